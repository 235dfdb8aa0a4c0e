import type { Tensor } from 'onnxruntime-node';
import type { RgbImage } from '../util/image.ts';
import type { SubjectManifest } from './manifest.ts';
import type { ImagePlacement } from './preprocess.ts';

/**
 * The contract every subject (a model under study, or a stand-in for one) offers the layers above.
 * Nothing here is ONNX-specific: the ONNX implementation lives in `onnx/`, and a synthetic subject
 * can implement the same interface.
 */

export type { Tensor };

/** Inputs to a run: one tensor (for the image input) or tensors by graph input name. */
export type SubjectInputs = Tensor | Readonly<Record<string, Tensor>>;

export type TensorMap = Record<string, Tensor>;

/** A named tensor inside the subject that can be read and edited. */
export interface SiteInfo {
  /** The tensor's name in the graph. */
  name: string;
  /** Friendly names (from the manifest, then generated ones such as `conv3`). */
  aliases: string[];
  /** Type of the operation producing it (Conv, Relu, …) and that node's name. */
  op: string;
  node: string;
  /** Element type: float32, float16 or float64. */
  dtype: string;
  /** Shape for a single example input (batch 1, the manifest's example size). */
  shape: number[];
  /** Shape as the graph declares it: numbers for fixed dims, names for dynamic ones. */
  dims: (number | string)[];
  /** Axis that indexes units (channels); -1 for a scalar site. */
  unitAxis: number;
  /** Number of units: the size of the unit axis. */
  units: number;
}

/** One unit: a site and an index along its unit axis. */
export interface UnitRef {
  site: SiteInfo;
  unit: number;
}

/** Units of a site to edit: all of them when omitted. */
interface EditTarget {
  site: string;
  units?: readonly number[];
}

/**
 * An edit of a site's units during a run. Array values give one number per listed unit (per unit of
 * the site when `units` is omitted); a single number applies to every listed unit.
 * - zero: set the units to 0.
 * - mean: set the units to their mean activation; `means` has one value per unit of the site, as
 *   `unitMeans` returns, computed on whatever reference inputs the caller chooses.
 * - set: set the units to `value`.
 * - scale: multiply the units by `factor`.
 * - add: add `delta` to the units (steering).
 * Edits of the same site apply in the order given.
 */
export type Edit =
  | (EditTarget & { op: 'zero' })
  | (EditTarget & { op: 'mean'; means: ArrayLike<number> })
  | (EditTarget & { op: 'set'; value: number | ArrayLike<number> })
  | (EditTarget & { op: 'scale'; factor: number | ArrayLike<number> })
  | (EditTarget & { op: 'add'; delta: number | ArrayLike<number> });

export interface InterveneOptions {
  read?: readonly string[];
  /** Fetch the graph outputs too (default true). */
  outputs?: boolean;
}

export interface RunResult {
  /** The graph outputs, by name. */
  outputs: TensorMap;
  /** Activations of the requested sites, keyed by the names the caller used. */
  sites: TensorMap;
}

/** Per-unit pooled values of one site over a batch: N × units each (unit fastest). */
export interface PooledSiteValues {
  max: Float32Array;
  mean: Float32Array;
}

export interface PooledRunResult {
  /** Pooled values of every site asked for, by the name it was asked by. */
  pooled: Record<string, PooledSiteValues>;
  /** Full maps of the sites asked for in `full`, by the name they were asked by. */
  sites: TensorMap;
}

/**
 * A gradient to compute: d(objective)/d(each wrt tensor), per example. The objective pools each unit
 * of a tensor over the axes other than batch and the unit axis, then sums the units with `weights`
 * (one-hot for a class logit or one unit).
 */
export interface GradientRequest {
  objective: {
    /** An output, a site (name or alias) or any float tensor of the graph. */
    tensor: string;
    /** Default 1; -1 sums the whole example. */
    unitAxis?: number;
    /** Default 'mean'. */
    pool?: 'mean' | 'max' | 'sum';
    /** One weight per unit (default all 1). */
    weights?: ArrayLike<number>;
  };
  /**
   * Input names, sites (names or aliases) or weight tensors. Each gets the full gradient of the
   * objective: asking for an input and a site downstream of it gives the input the gradient through
   * the site as well (the site is not held fixed).
   */
  wrt: readonly string[];
  /** Sites to return as well, keyed by the names given. */
  read?: readonly string[];
  /**
   * Return each gradient summed over the batch (axis 0 kept, size 1), for methods that only need
   * the sum (Integrated Gradients, SmoothGrad): summed inside the graph run, before the first layer's
   * backward where that layer is a Conv, so one example's worth goes through it and comes back.
   */
  sumBatch?: boolean;
  /**
   * Integrated Gradients' straight path, inside one run: the image input (given at batch 1) becomes
   * the points baseline + α·(input − baseline), one per α; the objective comes per point and the
   * input's gradient is the sum of the points' gradients, [1, …] (the path's input is not held by
   * the caller, nor copied back).
   */
  path?: { baseline: Tensor; alphas: readonly number[] };
}

export interface GradientResult {
  /** The objective per example. */
  objective: Float32Array;
  /** Gradients keyed by the wrt names given. */
  gradients: TensorMap;
  /** Values of the read sites, keyed by the names given. */
  sites: TensorMap;
}

export interface Subject {
  readonly name: string;
  /** sha256 of the model file, hex. */
  readonly hash: string;
  readonly manifest: SubjectManifest;
  /** Output labels from the manifest, when it has them. */
  readonly labels: readonly string[] | undefined;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  sites(): readonly SiteInfo[];
  /** A site by tensor name or alias; InputError with near names when unknown. */
  resolveSite(nameOrAlias: string): SiteInfo;
  /** Parse `site:index`; InputError for an unknown site or an index out of range. */
  parseUnit(text: string): UnitRef;
  /** Images → the input tensor, as the manifest's preprocessing says. */
  preprocess(images: readonly RgbImage[]): Tensor;
  /** Where each image lands in the input tensor (for laying maps back over images). */
  placements(images: readonly RgbImage[]): ImagePlacement[];
  run(inputs: SubjectInputs): Promise<TensorMap>;
  /** Activations of any set of sites, in one run. */
  read(inputs: SubjectInputs, sites: readonly string[]): Promise<RunResult>;
  /**
   * One run with edits applied (and sites read, seeing the edits). With `outputs: false` only the
   * read sites are copied out (`outputs` is then empty): a language model's logits are vocab × tokens
   * floats, which a per-token read of one site should not pay for.
   */
  intervene(inputs: SubjectInputs, edits: readonly Edit[], options?: InterveneOptions): Promise<RunResult>;
  /**
   * Each unit's maximum and mean per input at many sites, pooled inside the graph, plus full maps of
   * the sites in `full`: what probe-set statistics need, without copying every map out. Optional:
   * callers fall back to `read` when a subject does not have it.
   */
  readPooled?(
    inputs: SubjectInputs,
    sites: readonly string[],
    options?: { full?: readonly string[] },
  ): Promise<PooledRunResult>;
  /**
   * Gradients by reverse-mode autodiff (absent where the subject has no graph to differentiate, e.g.
   * synthetic units). One compiled graph per objective tensor, wrt set and input shape.
   */
  gradient?(inputs: SubjectInputs, request: GradientRequest): Promise<GradientResult>;
  /** Mean activation of every unit of a site over the inputs (all axes but the unit axis). */
  unitMeans(inputs: SubjectInputs, site: string): Promise<Float32Array>;
  /** Release native resources (compiled sessions). */
  dispose(): Promise<void>;
}
