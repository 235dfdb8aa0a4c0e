import { InputError } from '../../util/errors.ts';
import { createRandom } from '../../util/random.ts';

/**
 * Gradient attribution methods on input tensors, model-agnostic: the model comes in as a function
 * returning d(score)/d(input) for a batch of inputs. Maps are at the input tensor's resolution
 * [H, W] (channels combined); callers crop and resize them onto the image.
 *
 * - gradient (Simonyan et al. 2014): max over channels of |∂S/∂x|.
 * - gradient × input (Shrikumar et al. 2016): Σ_c x·∂S/∂x, signed.
 * - Integrated Gradients (Sundararajan et al. 2017): Σ_c (x − x')·mean_k ∂S/∂x(x' + α_k(x − x')),
 *   α_k = (k + ½)/steps (midpoint Riemann sum); signed; sums to ≈ S(x) − S(x').
 * - SmoothGrad (Smilkov et al. 2017): the mean over samples of the gradient map at x + N(0, σ²),
 *   σ = noise · (max x − min x); the noise is seeded.
 * - Grad-CAM (Selvaraju et al. 2017) and Grad-CAM++ (Chattopadhyay et al. 2018) weigh a site's
 *   activations A_k by their gradients: ReLU(Σ_k w_k A_k) at the site's resolution.
 */

/** Gradients of the score for a batch of inputs, each [C, H, W], concatenated. */
export type InputGradientFn = (inputs: Float32Array, count: number) => Promise<Float32Array>;

/**
 * Gradients along Integrated Gradients' straight path, summed (one [C, H, W]): at baseline +
 * α·(input − baseline) for each α, for a model that builds the points and sums inside its run.
 */
export interface PathGradient {
  along: (alphas: readonly number[]) => Promise<Float32Array>;
}

export interface TensorShape {
  channels: number;
  height: number;
  width: number;
}

export interface IntegratedGradientsOptions {
  /** The input the path starts from, [C, H, W] (e.g. a black image, preprocessed). */
  baseline: Float32Array;
  /** Riemann steps (default 32). */
  steps?: number;
  /** Inputs per gradient call (default 32). */
  batch?: number;
}

export interface SmoothGradOptions {
  /** σ as a share of the input's value range (default 0.15). */
  noise?: number;
  /** Noisy copies averaged (default 25). */
  samples?: number;
  seed: number;
  batch?: number;
}

function planeOf(shape: TensorShape): number {
  return shape.height * shape.width;
}

/** max_c |g| per position. */
export function gradientMap(grad: Float32Array, shape: TensorShape): Float32Array {
  const plane = planeOf(shape);
  const map = new Float32Array(plane);
  for (let c = 0; c < shape.channels; c++) {
    for (let p = 0; p < plane; p++)
      map[p] = Math.max(map[p] as number, Math.abs(grad[c * plane + p] as number));
  }
  return map;
}

/** Σ_c a·b per position. */
export function channelDot(a: ArrayLike<number>, b: ArrayLike<number>, shape: TensorShape): Float32Array {
  const plane = planeOf(shape);
  const map = new Float32Array(plane);
  for (let c = 0; c < shape.channels; c++) {
    for (let p = 0; p < plane; p++)
      map[p] = (map[p] as number) + (a[c * plane + p] as number) * (b[c * plane + p] as number);
  }
  return map;
}

export function integratedGradients(
  input: Float32Array,
  shape: TensorShape,
  gradientOf: InputGradientFn | PathGradient,
  options: IntegratedGradientsOptions,
): Promise<Float32Array> {
  return integratedGradientsSum(input, shape, gradientOf, options).then(({ map }) => map);
}

/** Integrated Gradients, with the summed attribution per channel position (for completeness checks). */
export async function integratedGradientsSum(
  input: Float32Array,
  shape: TensorShape,
  gradientOf: InputGradientFn | PathGradient,
  options: IntegratedGradientsOptions,
): Promise<{ map: Float32Array; attribution: Float32Array }> {
  const { baseline } = options;
  const steps = options.steps ?? 32;
  const batch = Math.max(1, options.batch ?? 32);
  if (baseline.length !== input.length) {
    throw new InputError(`the baseline has ${baseline.length} values but the input has ${input.length}`);
  }
  if (!Number.isInteger(steps) || steps < 1)
    throw new InputError(`steps must be a positive integer, got ${steps}`);
  const size = input.length;
  const diff = new Float32Array(size);
  for (let i = 0; i < size; i++) diff[i] = (input[i] as number) - (baseline[i] as number);
  // Gradients summed over the steps (in float64: 32 float32 terms), divided once at the end.
  const sum = new Float64Array(size);
  for (let start = 0; start < steps; start += batch) {
    const count = Math.min(batch, steps - start);
    const alphas = Array.from({ length: count }, (_, k) => (start + k + 0.5) / steps);
    if (typeof gradientOf !== 'function') {
      const grad = await gradientOf.along(alphas);
      for (let i = 0; i < size; i++) sum[i] = (sum[i] as number) + (grad[i] as number);
      continue;
    }
    const points = new Float32Array(count * size);
    alphas.forEach((alpha, k) => {
      const point = points.subarray(k * size, (k + 1) * size);
      for (let i = 0; i < size; i++) point[i] = (baseline[i] as number) + alpha * (diff[i] as number);
    });
    const grads = await gradientOf(points, count);
    for (let k = 0; k < count; k++) {
      const grad = grads.subarray(k * size, (k + 1) * size);
      for (let i = 0; i < size; i++) sum[i] = (sum[i] as number) + (grad[i] as number);
    }
  }
  const attribution = new Float32Array(size);
  for (let i = 0; i < size; i++) attribution[i] = ((sum[i] as number) / steps) * (diff[i] as number);
  const ones = new Float32Array(size).fill(1);
  return { map: channelDot(attribution, ones, shape), attribution };
}

export async function smoothGrad(
  input: Float32Array,
  shape: TensorShape,
  gradientOf: InputGradientFn,
  options: SmoothGradOptions,
): Promise<Float32Array> {
  const samples = options.samples ?? 25;
  const batch = Math.max(1, options.batch ?? 32);
  if (!Number.isInteger(samples) || samples < 1)
    throw new InputError(`samples must be a positive integer, got ${samples}`);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of input) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const sigma = (options.noise ?? 0.15) * Math.max(hi - lo, 1e-6);
  const random = createRandom(options.seed);
  const gaussian = () => {
    const u = Math.max(random(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const size = input.length;
  const plane = planeOf(shape);
  const map = new Float32Array(plane);
  for (let start = 0; start < samples; start += batch) {
    const count = Math.min(batch, samples - start);
    const noisy = new Float32Array(count * size);
    for (let i = 0; i < noisy.length; i++) noisy[i] = (input[i % size] as number) + sigma * gaussian();
    const grads = await gradientOf(noisy, count);
    for (let k = 0; k < count; k++) {
      const one = gradientMap(grads.subarray(k * size, (k + 1) * size), shape);
      for (let p = 0; p < plane; p++) map[p] = (map[p] as number) + (one[p] as number) / samples;
    }
  }
  return map;
}

/** Activations and gradients of one example at a site, both [K, h, w]. */
export interface SiteGradients {
  activations: ArrayLike<number>;
  gradients: ArrayLike<number>;
  shape: TensorShape;
}

/** ReLU(Σ_k w_k A_k) at the site's resolution. */
function weightedActivations(site: SiteGradients, weights: Float64Array): Float32Array {
  const plane = planeOf(site.shape);
  const map = new Float32Array(plane);
  for (let k = 0; k < site.shape.channels; k++) {
    const w = weights[k] as number;
    if (w === 0) continue;
    for (let p = 0; p < plane; p++)
      map[p] = (map[p] as number) + w * (site.activations[k * plane + p] as number);
  }
  for (let p = 0; p < plane; p++) map[p] = Math.max(0, map[p] as number);
  return map;
}

/** Grad-CAM: w_k = the spatial mean of ∂S/∂A_k. */
export function gradCam(site: SiteGradients): Float32Array {
  const plane = planeOf(site.shape);
  const weights = new Float64Array(site.shape.channels);
  for (let k = 0; k < site.shape.channels; k++) {
    let sum = 0;
    for (let p = 0; p < plane; p++) sum += site.gradients[k * plane + p] as number;
    weights[k] = sum / plane;
  }
  return weightedActivations(site, weights);
}

/**
 * Grad-CAM++ with the closed form for an exponential of the score (the paper's eq. 19):
 * α_ij = g² / (2g² + Σ_ab A_ab · g³), w_k = Σ_ij α_ij · ReLU(g_ij), with g = ∂S/∂A_k at (i, j).
 */
export function gradCamPlusPlus(site: SiteGradients): Float32Array {
  const plane = planeOf(site.shape);
  const weights = new Float64Array(site.shape.channels);
  for (let k = 0; k < site.shape.channels; k++) {
    let activationSum = 0;
    for (let p = 0; p < plane; p++) activationSum += site.activations[k * plane + p] as number;
    let w = 0;
    for (let p = 0; p < plane; p++) {
      const g = site.gradients[k * plane + p] as number;
      const g2 = g * g;
      const denominator = 2 * g2 + activationSum * g2 * g;
      const alpha = denominator !== 0 ? g2 / denominator : 0;
      w += alpha * Math.max(0, g);
    }
    weights[k] = w;
  }
  return weightedActivations(site, weights);
}
