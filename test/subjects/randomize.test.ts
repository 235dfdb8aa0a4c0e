import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadSubject,
  randomizeModel,
  randomizeWeights,
  weightLayers,
  type Subject,
} from '../../subjects/index.ts';
import type { OnnxSubject } from '../../subjects/onnx/onnx-subject.ts';
import { encodeModel, int64ToNumber, type ModelProto, type TensorProto } from '../../subjects/onnx/proto.ts';
import { InputError } from '../../util/errors.ts';
import { tinyModel } from './fixtures.ts';

/** A stored tensor by name (initializer or Constant node value), as numbers. */
function tensorValues(model: ModelProto, name: string): number[] {
  const graph = model.graph ?? {};
  const tensor: TensorProto | undefined =
    (graph.initializer ?? []).find((t) => t.name === name) ??
    (graph.node ?? []).find((n) => n.op_type === 'Constant' && n.output?.[0] === name)?.attribute?.[0]?.t ??
    undefined;
  if (!tensor) throw new Error(`no tensor ${name}`);
  if (tensor.raw_data && tensor.raw_data.length > 0) {
    return Array.from(new Float32Array(Uint8Array.from(tensor.raw_data).buffer));
  }
  if (tensor.float_data && tensor.float_data.length > 0) return [...tensor.float_data];
  return (tensor.int64_data ?? []).map(int64ToNumber);
}

function std(values: number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
}

describe('randomizeModel on the tiny model', () => {
  it.each(['initializer', 'constant'] as const)('finds the Conv and Gemm layers (weights as %s)', (style) => {
    const layers = weightLayers(tinyModel(style));
    expect(layers.map((l) => l.op)).toEqual(['Conv', 'Gemm']);
    expect(layers[0]?.tensors.map((t) => [t.role, t.elements])).toEqual([
      ['weight', 6],
      ['bias', 3],
    ]);
    expect(layers[1]?.tensors.map((t) => [t.name, t.role])).toEqual([
      ['W2', 'weight'],
      ['B2', 'bias'],
    ]);
  });

  it('replaces every weight, keeps structural constants, and never modifies its input', () => {
    const model = tinyModel('initializer');
    const before = encodeModel(model);
    const { model: random, report } = randomizeModel(model, { seed: 7 });
    expect(encodeModel(model)).toEqual(before);
    expect(report.layers).toHaveLength(2);
    expect(report.tensors.map((t) => t.name)).toEqual(['W', 'B', 'W2', 'B2']);
    for (const name of ['W', 'B', 'W2', 'B2']) {
      expect(tensorValues(random, name)).not.toEqual(tensorValues(model, name));
    }
    expect(tensorValues(random, 'seq_shape')).toEqual([0, 3, 4]);
    // Reported statistics are the trained tensor's: W = [1,0,0,1,1,-1] has mean 1/3.
    expect(report.tensors[0]?.mean).toBeCloseTo(1 / 3);
  });

  it('is deterministic per seed and differs across seeds', () => {
    const model = tinyModel('constant');
    const a = encodeModel(randomizeModel(model, { seed: 1 }).model);
    const b = encodeModel(randomizeModel(model, { seed: 1 }).model);
    const c = encodeModel(randomizeModel(model, { seed: 2 }).model);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('randomises only the top k layers for a cascading scope', () => {
    const model = tinyModel('constant');
    const { model: random, report } = randomizeModel(model, { seed: 3, scope: { top: 1 } });
    expect(report).toMatchObject({ totalLayers: 2, layers: ['gemm_logits'] });
    expect(tensorValues(random, 'W_flat')).toEqual(tensorValues(model, 'W_flat'));
    expect(tensorValues(random, 'B')).toEqual(tensorValues(model, 'B'));
    expect(tensorValues(random, 'W2')).not.toEqual(tensorValues(model, 'W2'));
  });

  it('rejects a scope outside the model, naming the range', () => {
    const model = tinyModel('initializer');
    expect(() => randomizeModel(model, { seed: 1, scope: { top: 0 } })).toThrow(InputError);
    expect(() => randomizeModel(model, { seed: 1, scope: { top: 3 } })).toThrow(/from 1 to 2/);
  });
});

describe('randomizeWeights on the PaddleOCR classifier', () => {
  let trained: OnnxSubject;
  const opened: Subject[] = [];
  const image = {
    width: 192,
    height: 48,
    data: Uint8Array.from({ length: 192 * 48 * 3 }, (_, i) => ((i * 37) % 251) + 2),
  };

  beforeAll(async () => {
    trained = await loadSubject('paddle-ocr-cls');
    opened.push(trained);
  });
  afterAll(async () => {
    for (const subject of opened) await subject.dispose();
  });

  it('gives noise of the trained std for conv weights and keeps BatchNorm statistics', async () => {
    const { subject, report } = await randomizeWeights(trained, { seed: 11 });
    opened.push(subject);
    expect(report.totalLayers).toBe(54); // 53 convolutions and the classifier's MatMul
    expect(report.layers).toHaveLength(54);
    const model = trained.decodedModel();
    const random = subject.decodedModel();
    // The largest weight tensor, so its sample std is a tight estimate.
    const conv = report.tensors.reduce((a, b) => (b.role === 'weight' && b.elements > a.elements ? b : a));
    expect(conv.elements).toBeGreaterThan(5_000);
    const original = tensorValues(model, conv.name);
    const noisy = tensorValues(random, conv.name);
    expect(std(noisy) / std(original)).toBeGreaterThan(0.95);
    expect(std(noisy) / std(original)).toBeLessThan(1.05);
    // Running mean (w_1) and variance (w_2) of BatchNorm are statistics, not weights: unchanged.
    expect(tensorValues(random, 'batch_norm_0.w_1')).toEqual(tensorValues(model, 'batch_norm_0.w_1'));
    expect(tensorValues(random, 'batch_norm_0.w_2')).toEqual(tensorValues(model, 'batch_norm_0.w_2'));
    expect(tensorValues(random, 'batch_norm_0.w_0')).not.toEqual(tensorValues(model, 'batch_norm_0.w_0'));

    // Same preprocessing, labels and sites; different, finite answers.
    expect(subject.labels).toEqual(trained.labels);
    expect(subject.sites().map((s) => s.name)).toEqual(trained.sites().map((s) => s.name));
    expect(subject.name).toBe('paddle-ocr-cls~random(seed 11, all)');
    const a = await trained.read(trained.preprocess([image]), ['class_logits']);
    const b = await subject.read(subject.preprocess([image]), ['class_logits']);
    const la = Array.from(a.sites.class_logits?.data as Float32Array);
    const lb = Array.from(b.sites.class_logits?.data as Float32Array);
    expect(lb.every(Number.isFinite)).toBe(true);
    expect(Math.abs((lb[0] ?? 0) - (la[0] ?? 0))).toBeGreaterThan(0.5);
  });

  it('randomising only the top layer leaves every earlier activation unchanged', async () => {
    const { subject, report } = await randomizeWeights(trained, { seed: 5, scope: { top: 1 } });
    opened.push(subject);
    expect(report.layers).toEqual(['p2o.MatMul.0']);
    const sites = ['final_conv', 'features', 'class_logits'];
    const a = await trained.read(trained.preprocess([image]), sites);
    const b = await subject.read(subject.preprocess([image]), sites);
    expect(Array.from(b.sites.features?.data as Float32Array)).toEqual(
      Array.from(a.sites.features?.data as Float32Array),
    );
    expect(Array.from(b.sites.class_logits?.data as Float32Array)).not.toEqual(
      Array.from(a.sites.class_logits?.data as Float32Array),
    );
  });
});
