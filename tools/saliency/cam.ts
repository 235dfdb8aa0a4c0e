import { InputError } from '../../util/errors.ts';
import { resizeBilinear } from './resize.ts';
import type { SaliencyMap } from './types.ts';

/** The last convolutional feature maps F, channel-major: data[c·h·w + y·w + x]. */
export interface FeatureMaps {
  data: Float32Array;
  channels: number;
  height: number;
  width: number;
}

/** The weights of the linear layer after global average pooling, row-major [classes, channels]. */
export interface LinearWeights {
  data: Float32Array;
  classes: number;
  channels: number;
}

/**
 * Class Activation Mapping (Zhou et al., CVPR 2016). For a network ending in global average pooling and a
 * linear layer, the class-k logit is Σ_c w[k,c]·mean(F_c) + b_k, so M_k = Σ_c w[k,c]·F_c shows where the
 * evidence for class k sits. M_k is computed at feature resolution and bilinearly upsampled to the image
 * size. Values are left unnormalised (negative = evidence against k); the bias is omitted as it is spatially
 * constant.
 */
export function classActivationMap(
  features: FeatureMaps,
  weights: LinearWeights,
  classIndex: number,
  imageSize: { width: number; height: number },
): SaliencyMap {
  const { data, channels, height, width } = features;
  const plane = height * width;
  if (![channels, height, width].every((n) => Number.isInteger(n) && n >= 1)) {
    throw new InputError(
      `feature map shape must be positive integers, got [${channels}, ${height}, ${width}]`,
    );
  }
  if (data.length !== channels * plane) {
    throw new InputError(
      `feature maps have ${data.length} values but shape [${channels}, ${height}, ${width}] needs ${channels * plane}`,
    );
  }
  if (weights.channels !== channels) {
    throw new InputError(
      `the linear layer expects ${weights.channels} channels but the feature maps have ${channels}; use the layer right before global average pooling`,
    );
  }
  if (weights.data.length !== weights.classes * weights.channels) {
    throw new InputError(
      `weights have ${weights.data.length} values but shape [${weights.classes}, ${weights.channels}] needs ${weights.classes * weights.channels}`,
    );
  }
  if (!Number.isInteger(classIndex) || classIndex < 0 || classIndex >= weights.classes) {
    throw new InputError(
      `class index ${classIndex} is out of range; the head has classes 0–${weights.classes - 1}`,
    );
  }
  if (![imageSize.width, imageSize.height].every((n) => Number.isInteger(n) && n >= 1)) {
    throw new InputError(`image size must be positive integers, got ${imageSize.width}×${imageSize.height}`);
  }

  const low = new Float32Array(plane);
  const row = classIndex * channels;
  for (let c = 0; c < channels; c++) {
    const w = weights.data[row + c] as number;
    const offset = c * plane;
    for (let p = 0; p < plane; p++) low[p] = (low[p] as number) + w * (data[offset + p] as number);
  }
  return {
    map: resizeBilinear(low, width, height, imageSize.width, imageSize.height),
    width: imageSize.width,
    height: imageSize.height,
  };
}
