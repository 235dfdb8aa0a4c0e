import { ElemType, type AttributeProto, type NodeProto, type TensorProto } from '../onnx/proto.ts';

/**
 * Emitting standard ONNX nodes (ai.onnx domain) into a growing graph. Names are fresh and prefixed so
 * they never collide with the forward graph's tensors. Helpers whose form changed between opsets
 * (ReduceSum/Squeeze/Unsqueeze/Split axes as inputs from 13, ReduceMean/ReduceMax from 18) pick the
 * form of the builder's opset, so rules read the same whatever opset the model uses.
 */

/** AttributeProto.AttributeType values. */
const AttrType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7 } as const;

export const attr = {
  int: (name: string, i: number): AttributeProto => ({ name, type: AttrType.INT, i }),
  ints: (name: string, ints: readonly number[]): AttributeProto => ({
    name,
    type: AttrType.INTS,
    ints: [...ints],
  }),
  float: (name: string, f: number): AttributeProto => ({ name, type: AttrType.FLOAT, f }),
  string: (name: string, s: string): AttributeProto => ({
    name,
    type: AttrType.STRING,
    s: new TextEncoder().encode(s),
  }),
  tensor: (name: string, t: TensorProto): AttributeProto => ({ name, type: AttrType.TENSOR, t }),
};

/**
 * onnxruntime's blocked (NCHWc) layout takes channels in blocks of 16 (8 on machines without
 * AVX-512); pools and convolutions over other channel counts fall back to plain NCHW.
 */
export const CHANNEL_BLOCK = 16;

/** Above this many kernel values a spatial mean stays a GlobalAveragePool (see spatialMeanNode). */
const MAX_MEAN_KERNEL = 1 << 20;

export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  private counter = 0;
  private readonly int64Cache = new Map<string, string>();
  private readonly int64Values = new Map<string, number[]>();
  private readonly floatCache = new Map<string, string>();
  private readonly meanKernels = new Map<string, string>();
  /**
   * Gradients a rule left in a smaller shape that broadcasts to their tensor's (a pooled gradient
   * before it is spread over the window): the reverse pass adds them to full-size contributions
   * with a broadcasting Add (or, for a per-channel term of an image-shaped tensor, spread and a
   * same-shape Add), and expands one only where nothing else reaches the tensor. By name, with the
   * term's shape.
   */
  readonly broadcasting = new Map<string, readonly number[]>();
  /**
   * Forward nodes a rule asked to be written differently in the emitted graph (same outputs), so
   * that the backward can read an intermediate the forward computes anyway (HardSwish as
   * HardSigmoid then Mul, as onnxruntime runs it, with the HardSigmoid's output shared).
   */
  readonly forwardRewrites = new Map<NodeProto, NodeProto[]>();
  /**
   * Shapes of emitted tensors, written into the graph's value_info: onnxruntime's own shape
   * inference loses track of some backward convolutions' outputs, and without a proven shape its
   * NCHWc pass cannot keep the elementwise ops around them in the blocked layout (it reorders both
   * operands to NCHW and back instead).
   */
  readonly shapes = new Map<string, { shape: readonly number[]; elemType: number }>();
  /** Gradients a rule already summed over the batch (see GradContext.sumsBatch). */
  readonly batchSummed = new Set<string>();

  constructor(
    /** The ai.onnx opset the emitted nodes must follow. */
    readonly opset: number,
    private readonly prefix = 'aia.grad',
  ) {}

  /** Record a tensor's shape for the graph's value_info (see `shapes`). */
  declare(name: string, shape: readonly number[], elemType: number): void {
    this.shapes.set(name, { shape, elemType });
  }

  /** A tensor name no forward tensor uses. */
  fresh(hint: string): string {
    this.counter += 1;
    return `${this.prefix}/${hint}.${this.counter}`;
  }

  /** Emit one node with a single output; returns the output's name. */
  op(type: string, inputs: readonly string[], attributes: AttributeProto[] = [], hint = type): string {
    const output = this.fresh(hint);
    this.nodes.push({
      op_type: type,
      name: output,
      input: [...inputs],
      output: [output],
      attribute: attributes,
    });
    return output;
  }

  /** Emit one node with several outputs. */
  opMulti(
    type: string,
    inputs: readonly string[],
    outputs: number,
    attributes: AttributeProto[] = [],
  ): string[] {
    const names = Array.from({ length: outputs }, () => this.fresh(type));
    this.nodes.push({
      op_type: type,
      name: names[0],
      input: [...inputs],
      output: names,
      attribute: attributes,
    });
    return names;
  }

  /** An int64 initializer (cached by value). */
  int64(values: readonly number[], dims: readonly number[] = [values.length]): string {
    const key = `${dims.join(',')}:${values.join(',')}`;
    const cached = this.int64Cache.get(key);
    if (cached) return cached;
    const name = this.fresh('i64');
    this.initializers.push({ name, dims: [...dims], data_type: ElemType.INT64, int64_data: [...values] });
    this.int64Cache.set(key, name);
    this.int64Values.set(name, [...values]);
    return name;
  }

  /** The values of an int64 constant this builder made (undefined for any other tensor). */
  intsOf(name: string): number[] | undefined {
    return this.int64Values.get(name);
  }

  /** A float initializer of the given element type (float32 unless told); cached by value when small. */
  float(values: ArrayLike<number>, dims: readonly number[], elemType: number = ElemType.FLOAT): string {
    const small = values.length <= 16;
    const key = small ? `${elemType}|${dims.join(',')}:${Array.from(values).join(',')}` : '';
    if (small) {
      const cached = this.floatCache.get(key);
      if (cached) return cached;
    }
    const name = this.fresh('const');
    const tensor: TensorProto =
      elemType === ElemType.DOUBLE
        ? { name, dims: [...dims], data_type: elemType, raw_data: bytesOf(Float64Array.from(values)) }
        : { name, dims: [...dims], data_type: ElemType.FLOAT, raw_data: bytesOf(Float32Array.from(values)) };
    this.initializers.push(tensor);
    if (small) this.floatCache.set(key, name);
    return name;
  }

  /** A float scalar (rank 0) broadcastable against anything. */
  scalar(value: number, elemType: number = ElemType.FLOAT): string {
    return this.float([value], [], elemType);
  }

  add(a: string, b: string): string {
    return this.op('Add', [a, b]);
  }
  sub(a: string, b: string): string {
    return this.op('Sub', [a, b]);
  }
  mul(a: string, b: string): string {
    return this.op('Mul', [a, b]);
  }
  div(a: string, b: string): string {
    return this.op('Div', [a, b]);
  }
  neg(a: string): string {
    return this.op('Neg', [a]);
  }

  /** Sum of several tensors of one shape (gradient accumulation). */
  sum(terms: readonly string[]): string {
    if (terms.length === 1) return terms[0] as string;
    if (terms.length === 2) return this.add(terms[0] as string, terms[1] as string);
    return this.op('Sum', terms);
  }

  reshape(x: string, shape: readonly number[]): string {
    return this.op('Reshape', [x, this.int64(shape)]);
  }

  transpose(x: string, perm: readonly number[]): string {
    return this.op('Transpose', [x], [attr.ints('perm', perm)]);
  }

  reduceSum(x: string, axes: readonly number[], keepdims: boolean): string {
    if (this.opset >= 13) {
      return this.op('ReduceSum', [x, this.int64(axes)], [attr.int('keepdims', keepdims ? 1 : 0)]);
    }
    return this.op('ReduceSum', [x], [attr.ints('axes', axes), attr.int('keepdims', keepdims ? 1 : 0)]);
  }

  reduceMean(x: string, axes: readonly number[], keepdims: boolean): string {
    return this.reduce('ReduceMean', x, axes, keepdims);
  }

  reduceMax(x: string, axes: readonly number[], keepdims: boolean): string {
    return this.reduce('ReduceMax', x, axes, keepdims);
  }

  private reduce(op: string, x: string, axes: readonly number[], keepdims: boolean): string {
    if (this.opset >= 18) return this.op(op, [x, this.int64(axes)], [attr.int('keepdims', keepdims ? 1 : 0)]);
    return this.op(op, [x], [attr.ints('axes', axes), attr.int('keepdims', keepdims ? 1 : 0)]);
  }

  unsqueeze(x: string, axes: readonly number[]): string {
    if (this.opset >= 13) return this.op('Unsqueeze', [x, this.int64(axes)]);
    return this.op('Unsqueeze', [x], [attr.ints('axes', axes)]);
  }

  /** Split along an axis into parts of the given sizes. */
  split(x: string, axis: number, sizes: readonly number[]): string[] {
    if (this.opset >= 13)
      return this.opMulti('Split', [x, this.int64(sizes)], sizes.length, [attr.int('axis', axis)]);
    return this.opMulti('Split', [x], sizes.length, [attr.int('axis', axis), attr.ints('split', sizes)]);
  }

  /** Zeros of a static shape and element type. */
  zeros(shape: readonly number[], elemType: number = ElemType.FLOAT): string {
    const value: TensorProto =
      elemType === ElemType.DOUBLE
        ? { dims: [1], data_type: elemType, double_data: [0] }
        : { dims: [1], data_type: ElemType.FLOAT, float_data: [0] };
    return this.op('ConstantOfShape', [this.int64(shape)], [attr.tensor('value', value)], 'zeros');
  }

  /** Ones shaped like a tensor, at run time. */
  onesLike(x: string, elemType: number = ElemType.FLOAT): string {
    const value: TensorProto =
      elemType === ElemType.DOUBLE
        ? { dims: [1], data_type: elemType, double_data: [1] }
        : { dims: [1], data_type: ElemType.FLOAT, float_data: [1] };
    return this.op('ConstantOfShape', [this.op('Shape', [x])], [attr.tensor('value', value)], 'ones');
  }

  /**
   * A per-channel tensor [N, C, 1, 1] repeated over the spatial size of [N, C, H, W] by a nearest
   * Resize with whole-number scales: the form onnxruntime's NCHWc pass runs in the blocked layout
   * (its Upsample), so a channel scale multiplies or adds as a same-shape op between blocked
   * convolutions, where a broadcasting Mul or Add reorders both tensors to NCHW and back.
   */
  spread(small: string, to: readonly number[]): string {
    const node = this.spreadNode(small, to, this.fresh('spread'));
    this.nodes.push(node);
    return node.output?.[0] as string;
  }

  /** The Resize node of `spread`, writing `output`, for a rule that places it in the forward graph. */
  spreadNode(small: string, to: readonly number[], output: string): NodeProto {
    return {
      op_type: 'Resize',
      name: output,
      input: [small, '', this.float([1, 1, ...to.slice(2)], [to.length])],
      output: [output],
      attribute: [
        attr.string('mode', 'nearest'),
        attr.string('coordinate_transformation_mode', 'asymmetric'),
        attr.string('nearest_mode', 'floor'),
      ],
    };
  }

  /**
   * The spatial mean of an image [N, C, H, W] as [N, C, 1, 1]: a GlobalAveragePool, or, where C is
   * not a whole number of onnxruntime's channel blocks (whose pool then runs in plain NCHW and
   * reorders its input out of the blocked layout), a depthwise Conv whose H×W kernel holds 1/(H·W),
   * which onnxruntime pads to whole blocks and runs blocked. Writes `output`.
   */
  spatialMeanNode(x: string, shape: readonly number[], elemType: number, output: string): NodeProto {
    const [channels, height, width] = [shape[1] as number, shape[2] as number, shape[3] as number];
    const pooled =
      elemType !== ElemType.FLOAT ||
      shape.length !== 4 ||
      channels % CHANNEL_BLOCK === 0 ||
      channels * height * width > MAX_MEAN_KERNEL;
    if (pooled) return { op_type: 'GlobalAveragePool', name: output, input: [x], output: [output] };
    // One kernel per shape: a block's forward pool and its backward mean share it.
    const key = `${channels}x${height}x${width}`;
    let kernel = this.meanKernels.get(key);
    if (!kernel) {
      kernel = this.float(new Float32Array(channels * height * width).fill(1 / (height * width)), [
        channels,
        1,
        height,
        width,
      ]);
      this.meanKernels.set(key, kernel);
    }
    return {
      op_type: 'Conv',
      name: output,
      input: [x, kernel],
      output: [output],
      attribute: [attr.ints('kernel_shape', [height, width]), attr.int('group', channels)],
    };
  }

  /** `spatialMeanNode`, emitted; returns the mean's name. */
  spatialMean(x: string, shape: readonly number[], elemType: number): string {
    const node = this.spatialMeanNode(x, shape, elemType, this.fresh('mean'));
    this.nodes.push(node);
    return node.output?.[0] as string;
  }

  /** Float 0/1 of a boolean tensor. */
  mask(condition: string, elemType: number = ElemType.FLOAT): string {
    return this.op('Cast', [condition], [attr.int('to', elemType)]);
  }

  /**
   * Sum a gradient of a broadcast result down to an operand's shape: ReduceSum over the axes the
   * operand was broadcast along, then Reshape to drop the leading axes it never had.
   */
  reduceTo(grad: string, gradShape: readonly number[], target: readonly number[]): string {
    if (sameShape(gradShape, target)) return grad;
    const offset = gradShape.length - target.length;
    const axes: number[] = [];
    gradShape.forEach((size, axis) => {
      const t = axis < offset ? undefined : target[axis - offset];
      if (t === undefined || (t === 1 && size !== 1)) axes.push(axis);
    });
    const reduced = axes.length > 0 ? this.reduceSum(grad, axes, true) : grad;
    return offset > 0 ? this.reshape(reduced, target) : reduced;
  }
}

/**
 * Whether `spread` applies: a float32 [N, C, 1, 1] against a float32 [N, C, H, W] with more than one
 * spatial position (onnxruntime's Resize has no float64 kernel).
 */
export function spreadable(small: readonly number[], full: readonly number[], elemType: number): boolean {
  return (
    elemType === ElemType.FLOAT &&
    full.length === 4 &&
    small.length === 4 &&
    small[0] === full[0] &&
    small[1] === full[1] &&
    small[2] === 1 &&
    small[3] === 1 &&
    (full[2] as number) * (full[3] as number) > 1
  );
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function bytesOf(values: Float32Array | Float64Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice();
}
