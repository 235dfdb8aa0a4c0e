import { InputError } from '../../util/errors.ts';
import {
  ElemType,
  type AttributeProto,
  type ModelProto,
  type NodeProto,
  type TensorProto,
} from '../onnx/proto.ts';
import { completeConfig, type Gpt2Config, type Gpt2Weights } from './gpt2-weights.ts';

/**
 * Writes a GPT-2-shaped ONNX graph from given weights, with node and tensor names as one of the two
 * PyTorch exporters writes them, so the site mapping can be tested on both and a trained model can be
 * saved in the form users' exports have:
 * - `torchscript` (torch.onnx.export, dynamo=False): node names are module scopes plus the op,
 *   `/transformer/h.0/attn/Softmax`, outputs `<node>_output_0`;
 * - `dynamo` (torch.onnx.export(dynamo=True)): flat names (`node_softmax_3` → `softmax_3`) and the
 *   module path in node metadata `pkg.torch.onnx.name_scopes` (`['', 'transformer',
 *   'transformer.h.0', 'transformer.h.0.attn', 'softmax_3']`).
 * The module tree is Hugging Face's GPT2LMHeadModel: transformer.{wte, wpe, h.L.{ln_1, attn.{c_attn,
 * c_proj}, ln_2, mlp.{c_fc, act, c_proj}}, ln_f}, lm_head. GELU is the erf form, as exported.
 * Inputs: input_ids int64 [batch, sequence] (and attention_mask int64 [batch, sequence] when asked);
 * output: logits float32 [batch, sequence, vocab].
 */

export type ExporterStyle = 'torchscript' | 'dynamo';

export interface BuildGpt2Options {
  style: ExporterStyle;
  /** Add an attention_mask input (1 = token, 0 = padding), applied to every head's scores. */
  attentionMask?: boolean;
}

const OPSET = 17;

export function buildGpt2Model(
  config: Gpt2Config,
  weights: Gpt2Weights,
  options: BuildGpt2Options,
): ModelProto {
  const c = completeConfig(config);
  checkWeights(c, weights);
  const g = new GraphWriter(options.style);
  const D = c.width;
  const H = c.heads;
  const Dh = D / H;
  const root = ['transformer'];

  // Embeddings.
  const tokens = g.op(
    'Gather',
    ['transformer', 'wte'],
    [g.weight('transformer.wte.weight', [c.vocabSize, D], weights.tokenEmbedding), 'input_ids'],
  );
  const shape = g.op('Shape', root, ['input_ids']);
  const length = g.op('Gather', root, [shape, g.int64('seq_axis', [], [1])], { axis: 0 });
  const positions = g.op('Range', root, [g.int64('zero', [], [0]), length, g.int64('one', [], [1])]);
  const position = g.op(
    'Gather',
    ['transformer', 'wpe'],
    [g.weight('transformer.wpe.weight', [c.contextLength, D], weights.positionEmbedding), positions],
  );
  let residual = g.op('Add', root, [tokens, position]);

  // The causal mask: the top-left T×T corner of a lower-triangular table, shared by every block.
  const tril = new Uint8Array(c.contextLength * c.contextLength);
  for (let i = 0; i < c.contextLength; i++) for (let j = 0; j <= i; j++) tril[i * c.contextLength + j] = 1;
  const lengthVector = g.op('Unsqueeze', root, [length, g.int64('axes0', [1], [0])]);
  const ends = g.op('Concat', root, [lengthVector, lengthVector], { axis: 0 });
  const causal = g.op('Slice', root, [
    g.tensor({
      name: 'transformer.causal_mask',
      dims: [c.contextLength, c.contextLength],
      data_type: ElemType.BOOL,
      raw_data: tril,
    }),
    g.int64('starts', [2], [0, 0]),
    ends,
    g.int64('axes01', [2], [0, 1]),
  ]);
  let padding: string | undefined;
  if (options.attentionMask) {
    const mask = g.op('Cast', root, ['attention_mask'], { to: ElemType.FLOAT });
    const missing = g.op('Sub', root, [g.float('one_f', [], [1]), mask]);
    const penalty = g.op('Mul', root, [missing, g.float('mask_penalty', [], [-1e9])]);
    padding = g.op('Unsqueeze', root, [penalty, g.int64('axes12', [2], [1, 2])]);
  }
  const filler = g.float('masked_score', [], [-1e9]);
  const scaleDivisor = g.float('attn_scale', [], [Math.sqrt(Dh)]);

  weights.blocks.forEach((w, L) => {
    const block = ['transformer', `h.${L}`];
    const attn = [...block, 'attn'];
    const mlp = [...block, 'mlp'];
    const p = `transformer.h.${L}`;
    const ln1 = g.op(
      'LayerNormalization',
      [...block, 'ln_1'],
      [residual, g.weight(`${p}.ln_1.weight`, [D], w.ln1Gain), g.weight(`${p}.ln_1.bias`, [D], w.ln1Bias)],
      {
        axis: -1,
        epsilon: c.epsilon,
      },
    );
    const qkvProduct = g.op(
      'MatMul',
      [...attn, 'c_attn'],
      [ln1, g.weight(`${p}.attn.c_attn.weight`, [D, 3 * D], w.qkvWeight)],
    );
    const qkv = g.op(
      'Add',
      [...attn, 'c_attn'],
      [qkvProduct, g.weight(`${p}.attn.c_attn.bias`, [3 * D], w.qkvBias)],
    );
    const [q, k, v] = g.ops('Split', attn, [qkv, g.int64('qkv_split', [3], [D, D, D])], 3, { axis: 2 }) as [
      string,
      string,
      string,
    ];
    const headsShape = g.int64('heads_shape', [4], [0, 0, H, Dh]);
    const qh = g.op('Transpose', attn, [g.op('Reshape', attn, [q, headsShape])], { perm: [0, 2, 1, 3] });
    const kh = g.op('Transpose', attn, [g.op('Reshape', attn, [k, headsShape])], { perm: [0, 2, 3, 1] });
    const vh = g.op('Transpose', attn, [g.op('Reshape', attn, [v, headsShape])], { perm: [0, 2, 1, 3] });
    const scores = g.op('Div', attn, [g.op('MatMul', attn, [qh, kh]), scaleDivisor]);
    let masked = g.op('Where', attn, [causal, scores, filler]);
    if (padding) masked = g.op('Add', attn, [masked, padding]);
    const pattern = g.op('Softmax', attn, [masked], { axis: -1 });
    const z = g.op('MatMul', attn, [pattern, vh]);
    const merged = g.op('Reshape', attn, [
      g.op('Transpose', attn, [z], { perm: [0, 2, 1, 3] }),
      g.int64('merge_shape', [3], [0, 0, D]),
    ]);
    const outProduct = g.op(
      'MatMul',
      [...attn, 'c_proj'],
      [merged, g.weight(`${p}.attn.c_proj.weight`, [D, D], w.outWeight)],
    );
    const attnOut = g.op(
      'Add',
      [...attn, 'c_proj'],
      [outProduct, g.weight(`${p}.attn.c_proj.bias`, [D], w.outBias)],
    );
    const mid = g.op('Add', block, [residual, attnOut]);

    const ln2 = g.op(
      'LayerNormalization',
      [...block, 'ln_2'],
      [mid, g.weight(`${p}.ln_2.weight`, [D], w.ln2Gain), g.weight(`${p}.ln_2.bias`, [D], w.ln2Bias)],
      {
        axis: -1,
        epsilon: c.epsilon,
      },
    );
    const fcProduct = g.op(
      'MatMul',
      [...mlp, 'c_fc'],
      [ln2, g.weight(`${p}.mlp.c_fc.weight`, [D, c.mlpWidth], w.fcWeight)],
    );
    const pre = g.op(
      'Add',
      [...mlp, 'c_fc'],
      [fcProduct, g.weight(`${p}.mlp.c_fc.bias`, [c.mlpWidth], w.fcBias)],
    );
    // GELU as exporters write it: x · ½ · (1 + erf(x / √2)).
    const act = [...mlp, 'act'];
    const erf = g.op('Erf', act, [g.op('Div', act, [pre, g.float('sqrt2', [], [Math.SQRT2])])]);
    const post = g.op('Mul', act, [
      g.op('Mul', act, [pre, g.op('Add', act, [erf, g.float('one_f', [], [1])])]),
      g.float('half', [], [0.5]),
    ]);
    const projProduct = g.op(
      'MatMul',
      [...mlp, 'c_proj'],
      [post, g.weight(`${p}.mlp.c_proj.weight`, [c.mlpWidth, D], w.projWeight)],
    );
    const mlpOut = g.op(
      'Add',
      [...mlp, 'c_proj'],
      [projProduct, g.weight(`${p}.mlp.c_proj.bias`, [D], w.projBias)],
    );
    residual = g.op('Add', block, [mid, mlpOut]);
  });

  const final = g.op(
    'LayerNormalization',
    ['transformer', 'ln_f'],
    [
      residual,
      g.weight('transformer.ln_f.weight', [D], weights.finalGain),
      g.weight('transformer.ln_f.bias', [D], weights.finalBias),
    ],
    {
      axis: -1,
      epsilon: c.epsilon,
    },
  );
  g.op(
    'MatMul',
    ['lm_head'],
    [final, g.weight('lm_head.weight', [D, c.vocabSize], transpose(weights.tokenEmbedding, c.vocabSize, D))],
    {},
    'logits',
  );

  const dims = (...d: (number | string)[]) => ({
    dim: d.map((x) => (typeof x === 'number' ? { dim_value: x } : { dim_param: x })),
  });
  const int64Input = (name: string) => ({
    name,
    type: { tensor_type: { elem_type: ElemType.INT64, shape: dims('batch_size', 'sequence_length') } },
  });
  return {
    ir_version: 8,
    producer_name: 'pytorch',
    producer_version: options.style === 'torchscript' ? '2.1.0' : '2.6.0',
    opset_import: [{ domain: '', version: OPSET }],
    graph: {
      name: 'main_graph',
      node: g.nodes,
      initializer: g.initializers,
      input: [int64Input('input_ids'), ...(options.attentionMask ? [int64Input('attention_mask')] : [])],
      output: [
        {
          name: 'logits',
          type: {
            tensor_type: {
              elem_type: ElemType.FLOAT,
              shape: dims('batch_size', 'sequence_length', c.vocabSize),
            },
          },
        },
      ],
    },
  };
}

type AttributeValue = number | number[];

/** Accumulates nodes and initializers, naming them as the chosen exporter does. */
class GraphWriter {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  private readonly initializerNames = new Set<string>();
  private readonly counters = new Map<string, number>();

  constructor(private readonly style: ExporterStyle) {}

  /** One node with one output; `scope` is the module path (['transformer', 'h.0', 'attn']). */
  op(
    opType: string,
    scope: readonly string[],
    inputs: string[],
    attributes: Record<string, AttributeValue> = {},
    outputName?: string,
  ): string {
    return this.ops(opType, scope, inputs, 1, attributes, outputName)[0] as string;
  }

  ops(
    opType: string,
    scope: readonly string[],
    inputs: string[],
    outputCount: number,
    attributes: Record<string, AttributeValue> = {},
    outputName?: string,
  ): string[] {
    const node: NodeProto = {
      op_type: opType,
      domain: '',
      input: inputs,
      attribute: Object.entries(attributes).map(([name, value]) => attribute(name, value)),
    };
    if (this.style === 'torchscript') {
      const base = `/${scope.join('/')}/${opType}`;
      const k = this.count(base);
      node.name = k === 0 ? base : `${base}_${k}`;
      node.output = Array.from({ length: outputCount }, (_, i) => `${node.name}_output_${i}`);
    } else {
      const fx = opType.toLowerCase();
      const k = this.count(fx);
      const fxName = k === 0 ? fx : `${fx}_${k}`;
      node.name = `node_${fxName}`;
      node.output =
        outputCount === 1 ? [fxName] : Array.from({ length: outputCount }, (_, i) => `${fxName}__${i}`);
      const paths = scope.map((_, i) => scope.slice(0, i + 1).join('.'));
      node.metadata_props = [
        { key: 'pkg.torch.onnx.name_scopes', value: pythonList(['', ...paths, fxName]) },
        {
          key: 'pkg.torch.onnx.class_hierarchy',
          value: pythonList([
            'transformers.models.gpt2.modeling_gpt2.GPT2LMHeadModel',
            ...paths.map(moduleClass),
            `aten.${fx}.default`,
          ]),
        },
      ];
    }
    if (outputName !== undefined) node.output = [outputName];
    this.nodes.push(node);
    return node.output;
  }

  weight(name: string, dims: number[], values: Float32Array): string {
    if (values.length !== dims.reduce((a, b) => a * b, 1)) {
      throw new InputError(`weight ${name} has ${values.length} values for shape [${dims.join(', ')}]`);
    }
    return this.tensor({
      name,
      dims,
      data_type: ElemType.FLOAT,
      raw_data: new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
    });
  }

  float(name: string, dims: number[], values: number[]): string {
    return this.tensor({ name: `const.${name}`, dims, data_type: ElemType.FLOAT, float_data: values });
  }

  int64(name: string, dims: number[], values: number[]): string {
    return this.tensor({ name: `const.${name}`, dims, data_type: ElemType.INT64, int64_data: values });
  }

  /** An initializer; one of the same name is written once (constants shared by blocks). */
  tensor(tensor: TensorProto): string {
    const name = tensor.name as string;
    if (!this.initializerNames.has(name)) {
      this.initializerNames.add(name);
      this.initializers.push(tensor);
    }
    return name;
  }

  private count(key: string): number {
    const k = this.counters.get(key) ?? 0;
    this.counters.set(key, k + 1);
    return k;
  }
}

function attribute(name: string, value: AttributeValue): AttributeProto {
  if (Array.isArray(value)) return { name, type: 7, ints: value };
  return Number.isInteger(value) && name !== 'epsilon'
    ? { name, type: 2, i: value }
    : { name, type: 1, f: value };
}

/** A Python list repr, as the exporter writes metadata (`repr(list_of_str)`). */
function pythonList(items: readonly string[]): string {
  return `[${items.map((s) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`).join(', ')}]`;
}

function moduleClass(path: string): string {
  const last = path.split('.').at(-1) ?? '';
  if (/^\d+$/.test(last)) return 'transformers.models.gpt2.modeling_gpt2.GPT2Block';
  const classes: Record<string, string> = {
    transformer: 'transformers.models.gpt2.modeling_gpt2.GPT2Model',
    wte: 'torch.nn.modules.sparse.Embedding',
    wpe: 'torch.nn.modules.sparse.Embedding',
    attn: 'transformers.models.gpt2.modeling_gpt2.GPT2Attention',
    mlp: 'transformers.models.gpt2.modeling_gpt2.GPT2MLP',
    act: 'transformers.activations.GELUActivation',
    lm_head: 'torch.nn.modules.linear.Linear',
  };
  return (
    classes[last] ??
    (/^ln/.test(last) ? 'torch.nn.modules.normalization.LayerNorm' : 'transformers.pytorch_utils.Conv1D')
  );
}

function transpose(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++)
    for (let k = 0; k < cols; k++) out[k * rows + r] = values[r * cols + k] as number;
  return out;
}

function checkWeights(c: Required<Gpt2Config>, w: Gpt2Weights): void {
  if (w.blocks.length !== c.layers) {
    throw new InputError(`GPT-2 weights have ${w.blocks.length} blocks; the config says ${c.layers} layers`);
  }
  if (w.tokenEmbedding.length !== c.vocabSize * c.width) {
    throw new InputError(
      `token embedding has ${w.tokenEmbedding.length} values; expected vocabSize × width = ${c.vocabSize * c.width}`,
    );
  }
  if (w.positionEmbedding.length !== c.contextLength * c.width) {
    throw new InputError(
      `position embedding has ${w.positionEmbedding.length} values; expected contextLength × width = ${c.contextLength * c.width}`,
    );
  }
}
