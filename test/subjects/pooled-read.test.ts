import ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSubject } from '../../subjects/load.ts';
import type { OnnxSubject } from '../../subjects/onnx/onnx-subject.ts';
import { pooledAxes, withPooledOutputs } from '../../subjects/onnx/pooling.ts';
import { writeTinyModel, X, type WeightStyle } from './fixtures.ts';

const input = new ort.Tensor('float32', Float32Array.from(X.flat(3)), [2, 2, 2, 2]);

/** Max and mean over every axis but the batch and the unit axis, from a full map. */
function poolByHand(tensor: ort.Tensor, unitAxis: number): { max: number[]; mean: number[] } {
  const data = tensor.data as Float32Array;
  const dims = tensor.dims;
  const [batch = 1] = dims;
  const units = dims[unitAxis] ?? 1;
  const strides = dims.map((_, a) => dims.slice(a + 1).reduce((p, d) => p * d, 1));
  const max = new Array<number>(batch * units).fill(-Infinity);
  const sum = new Array<number>(batch * units).fill(0);
  for (let i = 0; i < data.length; i++) {
    const n = Math.floor(i / (strides[0] ?? 1));
    const u = Math.floor(i / (strides[unitAxis] ?? 1)) % units;
    const k = n * units + u;
    max[k] = Math.max(max[k] as number, data[i] as number);
    sum[k] = (sum[k] as number) + (data[i] as number);
  }
  const count = data.length / (batch * units);
  return { max, mean: sum.map((s) => s / count) };
}

describe.each<WeightStyle>(['initializer', 'constant'])('pooled reads (%s weights)', (style) => {
  let subject: OnnxSubject;
  beforeAll(async () => {
    const path = writeTinyModel(style, { modality: 'other', sites: { unitAxis: { seqmean: 1 } } });
    subject = await loadSubject(path, { cacheDir: false });
  });
  afterAll(async () => subject.dispose());

  it('pools each unit inside the graph to what the full maps give, for maps, sequences and vectors', async () => {
    const sites = ['conv', 'relu', 'seq', 'logits'];
    const { sites: full } = await subject.read(input, sites);
    const { pooled } = await subject.readPooled(input, sites);
    for (const name of sites) {
      const site = subject.resolveSite(name);
      const want = poolByHand(full[name] as ort.Tensor, site.unitAxis);
      const got = pooled[name];
      expect(Array.from(got?.max ?? [])).toHaveLength(2 * site.units);
      Array.from(got?.max ?? []).forEach((v, i) => expect(v).toBeCloseTo(want.max[i] ?? NaN, 5));
      Array.from(got?.mean ?? []).forEach((v, i) => expect(v).toBeCloseTo(want.mean[i] ?? NaN, 5));
    }
  });

  it('returns full maps of the sites asked for beside the pooled values, in one session', async () => {
    const before = subject.sessions.created;
    const first = await subject.readPooled(input, ['conv', 'relu'], { full: ['relu'] });
    await subject.readPooled(input, ['relu', 'conv'], { full: ['relu'] });
    expect(subject.sessions.created).toBe(before + 1);
    const { sites } = await subject.read(input, ['relu']);
    expect(Array.from(first.sites.relu?.data as Float32Array)).toEqual(
      Array.from(sites.relu?.data as Float32Array),
    );
    expect(Object.keys(first.pooled).sort()).toEqual(['conv', 'relu']);
  });
});

describe('pooling surgery', () => {
  it('pools every axis but the batch and the unit axis', () => {
    expect(pooledAxes(4, 1)).toEqual([2, 3]);
    expect(pooledAxes(3, 2)).toEqual([1]);
    expect(pooledAxes(2, 1)).toEqual([]);
  });

  it('gives axes as an input from opset 18 on, as an attribute before', () => {
    const site = { name: 't', elemType: 1, rank: 4, unitAxis: 1 };
    const old = withPooledOutputs({ opset_import: [{ domain: '', version: 13 }], graph: {} }, [site]);
    const max13 = old.graph?.node?.find((n) => n.op_type === 'ReduceMax');
    expect(max13?.input).toEqual(['t']);
    expect(max13?.attribute?.find((a) => a.name === 'axes')?.ints).toEqual([2, 3]);
    const recent = withPooledOutputs({ opset_import: [{ domain: '', version: 18 }], graph: {} }, [site]);
    const max18 = recent.graph?.node?.find((n) => n.op_type === 'ReduceMax');
    expect(max18?.input).toEqual(['t', 'aia.pool.max.t.axes']);
    expect(recent.graph?.initializer?.[0]?.int64_data).toEqual([2, 3]);
  });
});
