import { InputError } from '../../util/errors.ts';
import type { RgbImage } from '../../util/image.ts';

/** Rejects images whose pixel buffer does not match their size. */
export function checkImage(image: RgbImage): void {
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new InputError(`image size must be positive integers, got ${width}×${height}`);
  }
  if (data.length !== width * height * 3) {
    throw new InputError(
      `image data has ${data.length} bytes but a ${width}×${height} RGB image needs ${width * height * 3}`,
    );
  }
}

/** Checks an integer option lies in [min, max], naming it and the limit when it does not. */
export function checkInteger(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer in [${min}, ${max}]`;
    throw new InputError(`${name} must be ${range}, got ${value}`);
  }
}
