import ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSubject } from '../../subjects/load.ts';
import type { OnnxSubject } from '../../subjects/onnx/onnx-subject.ts';
import { reference, writeTinyModel, X, type WeightStyle } from './fixtures.ts';

const input = new ort.Tensor('float32', Float32Array.from(X.flat(3)), [2, 2, 2, 2]);
const expected = reference(X);

function values(tensor: ort.Tensor | undefined): number[] {
  return Array.from((tensor?.data ?? []) as Float32Array);
}

function expectClose(actual: number[], wanted: number[], digits = 5): void {
  expect(actual).toHaveLength(wanted.length);
  actual.forEach((v, i) => expect(v).toBeCloseTo(wanted[i] ?? NaN, digits));
}

describe.each<WeightStyle>(['initializer', 'constant'])('ONNX subject with %s weights', (style) => {
  let subject: OnnxSubject;

  beforeAll(async () => {
    const path = writeTinyModel(style, {
      modality: 'other',
      sites: { aliases: { layer1: 'conv' }, unitAxis: { seqmean: 1 } },
    });
    subject = await loadSubject(path, { cacheDir: false });
  });
  afterAll(async () => subject.dispose());

  it('lists every float tensor computed from the input, with op, shape and units, and no weights', () => {
    const table = subject.sites().map((s) => [s.name, s.op, s.shape.join('x'), s.unitAxis, s.units]);
    expect(table).toEqual([
      ['conv', 'Conv', '1x3x2x2', 1, 3],
      ['relu', 'Relu', '1x3x2x2', 1, 3],
      ['pool', 'GlobalAveragePool', '1x3x1x1', 1, 3],
      ['flat', 'Flatten', '1x3', 1, 3],
      ['logits', 'Gemm', '1x2', 1, 2],
      ['probs', 'Softmax', '1x2', 1, 2],
      ['seq_nct', 'Reshape', '1x3x4', 2, 4],
      ['seq', 'Transpose', '1x4x3', 2, 3],
      ['seqmean', 'ReduceMean', '1x3', 1, 3],
    ]);
    // Weights (initializers, Constant outputs, the reshaped W) and the int64 shape are not sites.
    for (const name of ['W', 'W_flat', 'B', 'W2', 'xshape'])
      expect(subject.sites().map((s) => s.name)).not.toContain(name);
    expect(subject.resolveSite('conv').dims).toEqual(['N', 3, 2, 2]);
  });

  it('resolves manifest and generated aliases', () => {
    expect(subject.resolveSite('layer1').name).toBe('conv');
    expect(subject.resolveSite('conv1').name).toBe('conv');
    expect(subject.resolveSite('conv1.out').name).toBe('relu');
    expect(subject.resolveSite('gemm1').name).toBe('logits');
    expect(subject.resolveSite('conv').aliases).toEqual(['layer1', 'conv1']);
    // 'logits' is already a tensor name here, so the generated alias does not shadow it.
    expect(subject.resolveSite('logits').name).toBe('logits');
  });

  it('runs the model as is', async () => {
    const outputs = await subject.run(input);
    expectClose(values(outputs.probs), expected.probs.flat());
    expectClose(values(outputs.seqmean), expected.seqmean.flat());
  });

  it('reads any set of sites in one run, equal to the hand-computed values', async () => {
    const { outputs, sites } = await subject.read(input, ['conv', 'relu', 'pool', 'logits', 'seq']);
    expectClose(values(sites.conv), expected.conv.flat(3));
    expectClose(values(sites.relu), expected.relu.flat(3));
    expectClose(values(sites.pool), expected.pool.flat());
    expectClose(values(sites.logits), expected.logits.flat());
    expectClose(values(sites.seq), expected.seq.flat(2));
    expect(sites.conv?.dims).toEqual([2, 3, 2, 2]);
    expectClose(values(outputs.probs), expected.probs.flat());
  });

  it('returns the same activations whichever other sites are read, keyed by the name used', async () => {
    const alone = await subject.read(input, ['relu']);
    const together = await subject.read(input, ['conv', 'relu', 'seqmean']);
    expect(values(together.sites.relu)).toEqual(values(alone.sites.relu));
    const byAlias = await subject.read(input, ['conv1.out']);
    expect(values(byAlias.sites['conv1.out'])).toEqual(values(alone.sites.relu));
  });

  it('caches sessions by site set: repeating a read or an edit with new values compiles nothing', async () => {
    await subject.read(input, ['pool', 'flat']);
    const before = subject.sessions.created;
    await subject.read(input, ['flat', 'pool']);
    await subject.intervene(input, [{ site: 'conv', op: 'set', value: 1 }], { read: ['pool'] });
    const afterFirstEdit = subject.sessions.created;
    for (const value of [2, 3, -4]) {
      await subject.intervene(input, [{ site: 'conv', units: [1], op: 'set', value }], { read: ['pool'] });
    }
    expect(afterFirstEdit).toBe(before + 1);
    expect(subject.sessions.created).toBe(afterFirstEdit);
  });

  it('zero-ablates units and downstream sites see the edit', async () => {
    const { outputs, sites } = await subject.intervene(input, [{ site: 'conv', units: [0, 2], op: 'zero' }], {
      read: ['conv', 'logits'],
    });
    const want = reference(X, { scale: [0, 1, 0], shift: [0, 0, 0] });
    expectClose(values(sites.conv), want.conv.flat(3));
    expectClose(values(sites.logits), want.logits.flat());
    expectClose(values(outputs.probs), want.probs.flat());
    expectClose(values(outputs.seqmean), want.seqmean.flat());
    expect(values(sites.logits)).not.toEqual(expected.logits.flat());
  });

  it('sets, scales and adds (steering) per unit, composing edits of one site in order', async () => {
    const edits = [
      { site: 'conv', units: [0], op: 'add' as const, delta: 1 },
      { site: 'conv', units: [0], op: 'scale' as const, factor: 2 },
      { site: 'conv', units: [1, 2], op: 'set' as const, value: [0.25, -3] },
      { site: 'layer1', units: [0, 2], op: 'add' as const, delta: 1.5 },
    ];
    const { outputs, sites } = await subject.intervene(input, edits, { read: ['conv', 'relu'] });
    // unit 0: (x + 1) * 2 + 1.5; unit 1: 0.25; unit 2: -3 + 1.5
    const want = reference(X, { scale: [2, 0, 0], shift: [3.5, 0.25, -1.5] });
    expectClose(values(sites.conv), want.conv.flat(3));
    expectClose(values(sites.relu), want.relu.flat(3));
    expectClose(values(outputs.probs), want.probs.flat());
  });

  it('mean-ablates with per-unit means from unitMeans', async () => {
    const means = await subject.unitMeans(input, 'conv');
    const wantMeans = [0, 1, 2].map(
      (o) => expected.conv.flatMap((item) => item[o]?.flat() ?? []).reduce((a, b) => a + b, 0) / 8,
    );
    expectClose(Array.from(means), wantMeans);
    const { sites } = await subject.intervene(input, [{ site: 'conv', units: [1], op: 'mean', means }], {
      read: ['conv'],
    });
    const want = reference(X, { scale: [1, 0, 1], shift: [0, wantMeans[1] ?? 0, 0] });
    expectClose(values(sites.conv), want.conv.flat(3));
  });

  it('edits sequence sites on their last axis and graph outputs in place', async () => {
    const seqEdit = await subject.intervene(input, [{ site: 'seq', units: [2], op: 'scale', factor: -1 }], {
      read: ['seq'],
    });
    const wantSeq = expected.seq.map((item) => item.map((row) => row.map((v, c) => (c === 2 ? -v : v))));
    expectClose(values(seqEdit.sites.seq), wantSeq.flat(2));
    const wantSeqmean = expected.seqmean.map((row) => row.map((v, c) => (c === 2 ? -v : v)));
    expectClose(values(seqEdit.outputs.seqmean), wantSeqmean.flat());

    // seqmean is a graph output; the manifest gives its unit axis explicitly.
    const outEdit = await subject.intervene(input, [{ site: 'seqmean', units: [0], op: 'set', value: 7 }]);
    expect(values(outEdit.outputs.seqmean).filter((_, i) => i % 3 === 0)).toEqual([7, 7]);
  });

  it('with scale 1 and shift 0 everywhere, equals a plain run', async () => {
    const plain = await subject.run(input);
    const identity = await subject.intervene(input, [
      { site: 'conv', op: 'scale', factor: 1 },
      { site: 'pool', op: 'add', delta: 0 },
    ]);
    expectClose(values(identity.outputs.probs), values(plain.probs), 6);
    expectClose(values(identity.outputs.seqmean), values(plain.seqmean), 6);
  });

  it('parses units and checks their range', () => {
    const ref = subject.parseUnit('layer1:2');
    expect([ref.site.name, ref.unit]).toEqual(['conv', 2]);
    expect(() => subject.parseUnit('conv:3')).toThrow(
      /unit 3 is out of range for site 'conv': it has 3 units \(units 0–2\)/,
    );
  });
});
