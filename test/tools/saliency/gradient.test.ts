import { describe, expect, it } from 'vitest';
import {
  channelDot,
  gradCam,
  gradCamPlusPlus,
  gradientMap,
  integratedGradientsSum,
  smoothGrad,
  type InputGradientFn,
} from '../../../tools/saliency/index.ts';

/**
 * The gradient attribution methods on functions whose gradients are known in closed form:
 * f(x) = Σ a_i·x_i² + b_i·x_i, ∇f = 2a·x + b.
 */

const shape = { channels: 2, height: 2, width: 3 };
const size = 12;
const a = Float32Array.from({ length: size }, (_, i) => ((i % 5) - 2) * 0.3);
const b = Float32Array.from({ length: size }, (_, i) => ((i * 7) % 3) - 1);
const f = (x: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < size; i++)
    s += (a[i] as number) * (x[i] as number) ** 2 + (b[i] as number) * (x[i] as number);
  return s;
};
let calls = 0;
const gradientOf: InputGradientFn = async (inputs, count) => {
  calls += count;
  return Float32Array.from(inputs, (v, i) => 2 * (a[i % size] as number) * v + (b[i % size] as number));
};
const x = Float32Array.from({ length: size }, (_, i) => Math.sin(i + 1));

describe('gradient attribution methods', () => {
  it('gradient: the largest |∂f/∂x| over channels; gradient × input: Σ_c x·∂f/∂x', async () => {
    const grad = await gradientOf(x, 1);
    const map = gradientMap(grad, shape);
    expect(map[0]).toBeCloseTo(Math.max(Math.abs(grad[0] as number), Math.abs(grad[6] as number)), 6);
    const dot = channelDot(grad, x, shape);
    expect(dot[4]).toBeCloseTo(
      (grad[4] as number) * (x[4] as number) + (grad[10] as number) * (x[10] as number),
      6,
    );
  });

  it('Integrated Gradients is complete: attributions sum to f(x) − f(baseline)', async () => {
    const baseline = new Float32Array(size).fill(-0.5);
    calls = 0;
    const { map, attribution } = await integratedGradientsSum(x, shape, gradientOf, {
      baseline,
      steps: 7,
      batch: 3,
    });
    expect(calls).toBe(7);
    const total = attribution.reduce((s, v) => s + v, 0);
    // The path gradient of a quadratic is linear in α, so the midpoint rule is exact.
    expect(total).toBeCloseTo(f(x) - f(baseline), 4);
    expect(map.reduce((s, v) => s + v, 0)).toBeCloseTo(total, 4);
  });

  it('SmoothGrad is seeded, and without noise it is the gradient map', async () => {
    const first = await smoothGrad(x, shape, gradientOf, { seed: 5, samples: 6, noise: 0.2, batch: 4 });
    const again = await smoothGrad(x, shape, gradientOf, { seed: 5, samples: 6, noise: 0.2 });
    const other = await smoothGrad(x, shape, gradientOf, { seed: 6, samples: 6, noise: 0.2 });
    expect(Array.from(again)).toEqual(Array.from(first));
    expect(Array.from(other)).not.toEqual(Array.from(first));
    const quiet = await smoothGrad(x, shape, gradientOf, { seed: 5, samples: 3, noise: 0 });
    const plain = gradientMap(await gradientOf(x, 1), shape);
    quiet.forEach((v, i) => expect(v).toBeCloseTo(plain[i] as number, 5));
  });

  it('Grad-CAM weighs each map by its mean gradient and keeps the positive part', () => {
    const activations = Float32Array.from([1, 2, 3, 4, 0, 1, 1, 1]); // 2 maps of 2×2
    const gradients = Float32Array.from([1, 1, 1, 1, -2, 0, 0, 0]); // weights 1 and -0.5
    const map = gradCam({ activations, gradients, shape: { channels: 2, height: 2, width: 2 } });
    expect(Array.from(map)).toEqual([1, 1.5, 2.5, 3.5]);
  });

  it('Grad-CAM++ weighs each map by Σ_ij α_ij·ReLU(g_ij) with the closed-form α', () => {
    // One map with a uniform gradient g: α = 1/(2 + Σ A·g), w = Σ_ij α·g.
    const activations = Float32Array.from([1, 3, 0, 2]);
    const g = 0.5;
    const gradients = new Float32Array(4).fill(g);
    const map = gradCamPlusPlus({ activations, gradients, shape: { channels: 1, height: 2, width: 2 } });
    const alpha = 1 / (2 + 6 * g);
    expect(map[1]).toBeCloseTo(4 * alpha * g * 3, 6);
    // A map pushed down by its gradient gets no weight.
    const negative = gradCamPlusPlus({
      activations,
      gradients: new Float32Array(4).fill(-1),
      shape: { channels: 1, height: 2, width: 2 },
    });
    expect(Array.from(negative)).toEqual([0, 0, 0, 0]);
  });
});
