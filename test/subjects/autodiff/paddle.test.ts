import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSubject } from '../../../subjects/load.ts';
import type { OnnxSubject } from '../../../subjects/onnx/onnx-subject.ts';
import { createRandom } from '../../../util/random.ts';

/**
 * The whole PaddleOCR orientation classifier (opset 9, weights in Constant nodes, MobileNetV3 with
 * hard-swish, squeeze-excitation, BatchNorm, MaxPool) differentiated end to end: the input gradient
 * of a class logit against central finite differences on sampled pixels, accumulated in float64.
 */

const LOGITS = 'class_logits';
let subject: OnnxSubject;

beforeAll(async () => {
  subject = await loadSubject('paddle-ocr-cls', {
    cacheDir: mkdtempSync(join(tmpdir(), 'aia-grad-paddle-')),
  });
});
afterAll(async () => {
  await subject.dispose();
});

function smoothImage(seed: number, shape: number[]): Float32Array {
  // A smooth random image in the model's input range [-1, 1]: sums of a few random waves.
  const [n, c, h, w] = shape as [number, number, number, number];
  const random = createRandom(seed);
  const waves = Array.from({ length: 6 }, () => [
    random() * 0.3,
    random() * 0.3,
    random() * 6,
    random() * 2 - 1,
  ]);
  const data = new Float32Array(n * c * h * w);
  for (let i = 0; i < data.length; i++) {
    const x = i % w;
    const y = Math.floor(i / w) % h;
    const ch = Math.floor(i / (w * h)) % c;
    const example = Math.floor(i / (w * h * c));
    let v = 0.3 * example;
    for (const [fx, fy, phase, amp] of waves)
      v +=
        (amp as number) *
        Math.sin((fx as number) * x + (fy as number) * y + (phase as number) + ch + 2 * example);
    data[i] = Math.tanh(v);
  }
  return data;
}

describe('autodiff on the PaddleOCR classifier', () => {
  it('the input gradient of a class logit matches central finite differences on sampled pixels', async () => {
    const shape = [2, 3, 48, 192];
    const base = smoothImage(3, shape);
    const label = 1;
    const { gradients, objective } = await subject.gradient(new ort.Tensor('float32', base, shape), {
      objective: { tensor: LOGITS, weights: [0, 1] },
      wrt: ['x'],
    });
    const grad = gradients.x?.data as Float32Array;
    const logitOf = async (data: Float32Array) => {
      const { sites } = await subject.read(new ort.Tensor('float32', data, shape), [LOGITS]);
      return sites[LOGITS]?.data as Float32Array;
    };
    const plain = await logitOf(base);
    // The objective is the logit itself, per example.
    expect(objective[0]).toBeCloseTo(plain[label] as number, 4);
    expect(objective[1]).toBeCloseTo(plain[2 + label] as number, 4);

    // Pixels of the first example: the 6 with the largest gradient and 6 at random.
    const plane = 3 * 48 * 192;
    const order = Array.from({ length: plane }, (_, i) => i).sort(
      (a, b) => Math.abs(grad[b] as number) - Math.abs(grad[a] as number),
    );
    const random = createRandom(11);
    const pixels = [...order.slice(0, 6), ...Array.from({ length: 6 }, () => Math.floor(random() * plane))];
    // Hard-swish, ReLU and max-pool kinks lie within a few 1e-3 of some pixels' paths, so each pixel is
    // differenced at two small steps and the closer estimate counts.
    const scale = Math.abs(grad[order[0] as number] as number);
    const numericAt = async (pixel: number, epsilon: number) => {
      const plus = Float32Array.from(base);
      const minus = Float32Array.from(base);
      plus[pixel] = (plus[pixel] as number) + epsilon;
      minus[pixel] = (minus[pixel] as number) - epsilon;
      const up = (await logitOf(plus))[label] as number;
      const down = (await logitOf(minus))[label] as number;
      return (up - down) / (2 * epsilon);
    };
    for (const pixel of pixels) {
      const analytic = grad[pixel] as number;
      const estimates = [await numericAt(pixel, 3e-3), await numericAt(pixel, 1e-3)];
      const error = Math.min(...estimates.map((n) => Math.abs(n - analytic)));
      expect(error, `pixel ${pixel}: analytic ${analytic}, numeric ${estimates.join(', ')}`).toBeLessThan(
        0.03 * scale,
      );
    }
    // The second example's gradient is its own, not the first's.
    const second = grad.subarray(plane, 2 * plane);
    expect(second.some((v, i) => Math.abs(v - (grad[i] as number)) > 1e-3 * scale)).toBe(true);
  });
});

describe('Integrated Gradients paths on the PaddleOCR classifier', () => {
  const size = 3 * 48 * 192;
  const objective = { tensor: LOGITS, weights: [1, 0] };

  it('builds the points and sums their gradients inside the run, as the points fed one by one do', async () => {
    const x = smoothImage(5, [1, 3, 48, 192]);
    const baseline = new Float32Array(size).fill(-1);
    const input = new ort.Tensor('float32', x, [1, 3, 48, 192]);
    const alphas = [0.1, 0.45, 0.8];
    const path = await subject.gradient(input, {
      objective,
      wrt: ['x'],
      path: { baseline: new ort.Tensor('float32', baseline, [1, 3, 48, 192]), alphas },
    });
    expect(path.gradients.x?.dims).toEqual([1, 3, 48, 192]);
    const points = new Float32Array(alphas.length * size);
    alphas.forEach((a, k) => {
      for (let i = 0; i < size; i++)
        points[k * size + i] = (baseline[i] as number) + a * ((x[i] as number) - (baseline[i] as number));
    });
    const each = await subject.gradient(new ort.Tensor('float32', points, [alphas.length, 3, 48, 192]), {
      objective,
      wrt: ['x'],
    });
    expect(Array.from(path.objective)).toEqual(Array.from(each.objective).map((v) => expect.closeTo(v, 4)));
    const grads = each.gradients.x?.data as Float32Array;
    const summed = path.gradients.x?.data as Float32Array;
    let worst = 0;
    let scale = 0;
    for (let i = 0; i < size; i++) {
      const expected = (grads[i] as number) + (grads[size + i] as number) + (grads[2 * size + i] as number);
      worst = Math.max(worst, Math.abs((summed[i] as number) - expected));
      scale = Math.max(scale, Math.abs(expected));
    }
    expect(scale).toBeGreaterThan(1e-3);
    expect(worst / scale).toBeLessThan(1e-4);
  });

  it('names what is wrong with a path: a batch, or a baseline of another shape', async () => {
    const two = new ort.Tensor('float32', new Float32Array(2 * size), [2, 3, 48, 192]);
    const one = new ort.Tensor('float32', new Float32Array(size), [1, 3, 48, 192]);
    const baseline = new ort.Tensor('float32', new Float32Array(size), [1, 3, 48, 192]);
    await expect(
      subject.gradient(two, { objective, wrt: ['x'], path: { baseline, alphas: [0.5] } }),
    ).rejects.toThrow(/one input example, got a batch of 2/);
    const wrong = new ort.Tensor('float32', new Float32Array(size), [1, 3, 192, 48]);
    await expect(
      subject.gradient(one, { objective, wrt: ['x'], path: { baseline: wrong, alphas: [0.5] } }),
    ).rejects.toThrow(/baseline must be float32 \[1×3×48×192\]/);
  });
});
