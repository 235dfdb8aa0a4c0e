import {
  ElemType,
  type Int64,
  type ModelProto,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from './proto.ts';

/**
 * Graph surgery that pools sites inside the graph: per site, a ReduceMax and a ReduceMean over every
 * axis but the batch and the unit axis, appended as graph outputs of shape [N, units]. What
 * exemplars and statistics need (each unit's maximum and mean per input) then leaves onnxruntime as
 * N × units numbers instead of the whole map; onnxruntime-node copies every output it returns, so
 * full maps of every site cost several forward passes while pooled ones cost almost nothing.
 */

/** A site to pool: its tensor name, element type, rank and unit axis (-1: a scalar per input). */
export interface PooledSite {
  name: string;
  elemType: number;
  rank: number;
  unitAxis: number;
}

/** Names of the pooled outputs of a site (fixed, so a run can fetch them without the model). */
export function pooledOutputNames(site: string): { max: string; mean: string } {
  return { max: `aia.pool.max.${site}`, mean: `aia.pool.mean.${site}` };
}

const ATTRIBUTE_INTS = 7;
const ATTRIBUTE_INT = 2;
const ATTRIBUTE_CAST_TO = 2;
/** From opset 18 on, the reduce ops take their axes as an input instead of an attribute. */
const AXES_AS_INPUT_OPSET = 18;

function defaultOpset(model: ModelProto): number {
  const entry = (model.opset_import ?? []).find((o) => (o.domain ?? '') === '' || o.domain === 'ai.onnx');
  return Number(entry?.version ?? 0);
}

/** The axes pooled for a site: every axis but the batch (0) and the unit axis. */
export function pooledAxes(rank: number, unitAxis: number): number[] {
  return Array.from({ length: rank }, (_, a) => a).filter((a) => a !== 0 && a !== unitAxis);
}

/**
 * Add `aia.pool.max.<site>` and `aia.pool.mean.<site>` (float32, [N, units], or [N, 1] for a scalar
 * site) for each site. Sites of another float type are cast to float32 first, so every pooled output
 * reads as a Float32Array. A site with nothing to pool (already [N, units]) is passed through as both.
 */
export function withPooledOutputs(model: ModelProto, sites: readonly PooledSite[]): ModelProto {
  const graph = model.graph ?? {};
  const opset = defaultOpset(model);
  const nodes: NodeProto[] = [];
  const outputs: ValueInfoProto[] = [];
  const initializers: TensorProto[] = [];
  const existing = new Set((graph.output ?? []).map((o) => o.name));
  for (const site of sites) {
    const names = pooledOutputNames(site.name);
    if (existing.has(names.max)) continue;
    let source = site.name;
    if (site.elemType !== ElemType.FLOAT) {
      source = `aia.pool.cast.${site.name}`;
      nodes.push({
        op_type: 'Cast',
        name: `${source}.node`,
        input: [site.name],
        output: [source],
        attribute: [{ name: 'to', type: ATTRIBUTE_CAST_TO, i: ElemType.FLOAT }],
      });
    }
    // A scalar site (unit axis -1) keeps one value per input: pool every axis but the batch.
    const axes = site.unitAxis < 0 ? pooledAxes(site.rank, 0) : pooledAxes(site.rank, site.unitAxis);
    const pooled = site.unitAxis < 0 && site.rank <= 1 ? [] : axes;
    for (const [op, output] of [
      ['ReduceMax', names.max],
      ['ReduceMean', names.mean],
    ] as const) {
      if (pooled.length === 0) {
        nodes.push({ op_type: 'Identity', name: `${output}.node`, input: [source], output: [output] });
      } else if (opset >= AXES_AS_INPUT_OPSET) {
        const axesName = `${output}.axes`;
        initializers.push({
          name: axesName,
          data_type: ElemType.INT64,
          dims: [pooled.length],
          int64_data: pooled as Int64[],
        });
        nodes.push({
          op_type: op,
          name: `${output}.node`,
          input: [source, axesName],
          output: [output],
          attribute: [{ name: 'keepdims', type: ATTRIBUTE_INT, i: 0 }],
        });
      } else {
        nodes.push({
          op_type: op,
          name: `${output}.node`,
          input: [source],
          output: [output],
          attribute: [
            { name: 'axes', type: ATTRIBUTE_INTS, ints: pooled as Int64[] },
            { name: 'keepdims', type: ATTRIBUTE_INT, i: 0 },
          ],
        });
      }
      outputs.push({ name: output, type: { tensor_type: { elem_type: ElemType.FLOAT } } });
    }
  }
  if (nodes.length === 0) return model;
  return {
    ...model,
    graph: {
      ...graph,
      node: [...(graph.node ?? []), ...nodes],
      output: [...(graph.output ?? []), ...outputs],
      initializer: [...(graph.initializer ?? []), ...initializers],
    },
  };
}
