import ort from 'onnxruntime-node';
import { AiaError, InputError } from '../../util/errors.ts';
import type { RgbImage } from '../../util/image.ts';
import { planEdits } from '../edits.ts';
import type { SubjectManifest } from '../manifest.ts';
import {
  DEFAULT_PREPROCESS,
  planPlacements,
  preprocessImages,
  type ImageInputInfo,
  type ImagePlacement,
} from '../preprocess.ts';
import { PATH_ALPHAS, PATH_BASELINE } from '../autodiff/compile.ts';
import { GradientSessions } from '../autodiff/session.ts';
import type {
  Edit,
  GradientRequest,
  GradientResult,
  InterveneOptions,
  PooledRunResult,
  PooledSiteValues,
  RunResult,
  SiteInfo,
  Subject,
  SubjectInputs,
  TensorMap,
  UnitRef,
} from '../subject.ts';
import { nearNames } from '../../util/names.ts';
import { checkUnit, splitUnit } from '../units.ts';
import type { SiteTable, TensorDescription } from './discover.ts';
import { ElemType, type ModelProto } from './proto.ts';
import type { SessionCache } from './session.ts';
import type { SessionFactory } from '../autodiff/session.ts';
import {
  editInputNames,
  withEdits,
  withExtraOutputs,
  withOutputsOnly,
  type EditableSite,
} from './surgery.ts';
import { pooledOutputNames, withPooledOutputs } from './pooling.ts';

const ELEM_TYPES: Record<string, number> = {
  float32: ElemType.FLOAT,
  float64: ElemType.DOUBLE,
  float16: ElemType.FLOAT16,
};

export interface OnnxSubjectParts {
  name: string;
  hash: string;
  manifest: SubjectManifest;
  labels: string[] | undefined;
  model: ModelProto;
  /** The file's bytes, for the plain session (no re-encoding). */
  modelBytes: Uint8Array;
  table: SiteTable;
  sites: SiteInfo[];
  aliases: Map<string, string>;
  sessions: SessionCache;
  /** Compiles a model into a fresh session (for probe runs outside the cache). */
  compile: SessionFactory;
}

/**
 * A subject backed by an ONNX model and onnxruntime. Reads add graph outputs; edits insert
 * `x * scale + shift` after the edited tensors with scale and shift as extra graph inputs. Each
 * distinct set of read and edited sites compiles one session, cached, so repeated experiments with
 * new values cost one run each.
 */
export class OnnxSubject implements Subject {
  readonly name: string;
  readonly hash: string;
  readonly manifest: SubjectManifest;
  readonly labels: readonly string[] | undefined;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  private readonly model: ModelProto;
  private readonly modelBytes: Uint8Array;
  private readonly inputs: readonly TensorDescription[];
  private readonly siteList: readonly SiteInfo[];
  private readonly byName: ReadonlyMap<string, SiteInfo>;
  private readonly aliases: ReadonlyMap<string, string>;
  /** Compiled sessions; exposed read-only so tests can check reuse. */
  readonly sessions: SessionCache;
  /** Compiled gradient graphs (sessions live in `sessions`). */
  readonly gradients: GradientSessions;

  constructor(parts: OnnxSubjectParts) {
    this.name = parts.name;
    this.hash = parts.hash;
    this.manifest = parts.manifest;
    this.labels = parts.labels;
    this.model = parts.model;
    this.modelBytes = parts.modelBytes;
    this.inputs = parts.table.inputs;
    this.inputNames = parts.table.inputs.map((i) => i.name);
    this.outputNames = parts.table.outputs.map((o) => o.name);
    this.siteList = parts.sites;
    this.byName = new Map(parts.sites.map((s) => [s.name, s]));
    this.aliases = parts.aliases;
    this.sessions = parts.sessions;
    this.gradients = new GradientSessions(parts.model, parts.sessions, parts.compile);
  }

  /**
   * The decoded model, for graph analysis (finding a CAM head, randomising weights). Shared, so treat it
   * as read-only: graph surgery returns copies and never mutates it.
   */
  decodedModel(): ModelProto {
    return this.model;
  }

  sites(): readonly SiteInfo[] {
    return this.siteList;
  }

  resolveSite(nameOrAlias: string): SiteInfo {
    const site = this.byName.get(nameOrAlias) ?? this.byName.get(this.aliases.get(nameOrAlias) ?? '');
    if (site) return site;
    const near = nearNames(nameOrAlias, [...this.byName.keys(), ...this.aliases.keys()]);
    throw new InputError(
      `unknown site '${nameOrAlias}' in subject ${this.name}` +
        (near.length ? `; did you mean ${near.map((n) => `'${n}'`).join(', ')}?` : '') +
        ` (aia inspect ${this.name} lists all ${this.siteList.length} sites)`,
    );
  }

  parseUnit(text: string): UnitRef {
    const { site: name, unit } = splitUnit(text);
    const site = this.resolveSite(name);
    checkUnit(site, unit);
    return { site, unit };
  }

  preprocess(images: readonly RgbImage[]): ort.Tensor {
    return preprocessImages(images, this.preprocessSpec(), this.imageInput()).tensor;
  }

  placements(images: readonly RgbImage[]): ImagePlacement[] {
    return planPlacements(images, this.preprocessSpec().resize);
  }

  async run(inputs: SubjectInputs): Promise<TensorMap> {
    const feeds = this.feeds(inputs);
    return this.sessions.use(
      'plain',
      () => this.modelBytes,
      (session) => this.runSession(session, feeds),
    );
  }

  async read(inputs: SubjectInputs, sites: readonly string[]): Promise<RunResult> {
    return this.intervene(inputs, [], { read: sites });
  }

  async intervene(
    inputs: SubjectInputs,
    edits: readonly Edit[],
    options: InterveneOptions = {},
  ): Promise<RunResult> {
    const feeds = this.feeds(inputs);
    const requested = options.read ?? [];
    const readSites = requested.map((name) => this.resolveSite(name));
    const plan = planEdits(edits, (name) => this.resolveSite(name));
    const editable: EditableSite[] = [...plan.values()]
      .map(({ site }) => ({
        name: site.name,
        elemType: this.elemTypeForEdit(site),
        paramShape: paramShape(site),
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const readNames = [...new Set(readSites.map((s) => s.name))].sort();
    if (editable.length === 0 && readNames.length === 0) return { outputs: await this.run(feeds), sites: {} };

    // The session depends on which sites are edited and read, never on the values, which are fed.
    const withOutputs = options.outputs ?? true;
    const key =
      `edit:${editable.map((e) => e.name).join('\n')}|read:${readNames.join('\n')}` +
      (withOutputs ? '' : '|sites-only');
    editable.forEach((e, index) => {
      const affine = plan.get(e.name);
      if (!affine) return;
      const names = editInputNames(index);
      feeds[names.scale] = paramTensor(affine.site, affine.scale);
      feeds[names.shift] = paramTensor(affine.site, affine.shift);
    });
    if (!withOutputs && readNames.length === 0)
      throw new InputError('a run that fetches no outputs must read a site');
    const fetches = [...new Set([...(withOutputs ? this.outputNames : []), ...readNames])];
    const buildModel = () => {
      const model = withExtraOutputs(
        withEdits(this.model, editable).model,
        readSites.map((s) => ({ name: s.name, elemType: ELEM_TYPES[s.dtype] })),
      );
      return withOutputs ? model : withOutputsOnly(model, readNames);
    };
    const result = await this.sessions.use(key, buildModel, (session) =>
      this.runSession(session, feeds, fetches),
    );
    const outputs: TensorMap = {};
    if (withOutputs) for (const name of this.outputNames) outputs[name] = result[name] as ort.Tensor;
    const siteValues: TensorMap = {};
    requested.forEach((name, i) => {
      siteValues[name] = result[readSites[i]?.name ?? ''] as ort.Tensor;
    });
    return { outputs, sites: siteValues };
  }

  /**
   * Each unit's maximum and mean per input at every site in `sites`, computed inside the graph
   * (ReduceMax / ReduceMean appended by surgery, pooling.ts), plus the full maps of the sites in
   * `full`. One compiled session per (pooled, full) set; only N × units numbers per pooled site
   * leave onnxruntime, so pooling every site costs about a forward pass.
   */
  async readPooled(
    inputs: SubjectInputs,
    sites: readonly string[],
    options: { full?: readonly string[] } = {},
  ): Promise<PooledRunResult> {
    const feeds = this.feeds(inputs);
    const pooledSites = sites.map((name) => this.resolveSite(name));
    const fullSites = (options.full ?? []).map((name) => this.resolveSite(name));
    const pooledNames = [...new Set(pooledSites.map((s) => s.name))].sort();
    const fullNames = [...new Set(fullSites.map((s) => s.name))].sort();
    const key = `pool:${pooledNames.join('\n')}|read:${fullNames.join('\n')}`;
    const buildModel = () =>
      withPooledOutputs(
        withExtraOutputs(
          this.model,
          fullSites.map((s) => ({ name: s.name, elemType: ELEM_TYPES[s.dtype] })),
        ),
        pooledNames.map((name) => {
          const site = this.resolveSite(name);
          return {
            name,
            elemType: ELEM_TYPES[site.dtype] ?? ElemType.FLOAT,
            rank: site.shape.length,
            unitAxis: site.unitAxis,
          };
        }),
      );
    const fetches = [
      ...pooledNames.flatMap((name) => {
        const names = pooledOutputNames(name);
        return [names.max, names.mean];
      }),
      ...fullNames,
    ];
    const result = await this.sessions.use(key, buildModel, (session) =>
      this.runSession(session, feeds, fetches),
    );
    const pooled: Record<string, PooledSiteValues> = {};
    sites.forEach((name, i) => {
      const names = pooledOutputNames(pooledSites[i]?.name ?? '');
      pooled[name] = {
        max: (result[names.max] as ort.Tensor).data as Float32Array,
        mean: (result[names.mean] as ort.Tensor).data as Float32Array,
      };
    });
    const full: TensorMap = {};
    (options.full ?? []).forEach((name, i) => {
      full[name] = result[fullSites[i]?.name ?? ''] as ort.Tensor;
    });
    return { pooled, sites: full };
  }

  async gradient(inputs: SubjectInputs, request: GradientRequest): Promise<GradientResult> {
    const feeds = this.feeds(inputs);
    const path = request.path ? this.pathFeeds(feeds, request.path) : undefined;
    const tensorName = (name: string) =>
      this.inputNames.includes(name) || this.outputNames.includes(name) ? name : this.tensorOrSite(name);
    const wrt = request.wrt.map(tensorName);
    const read = (request.read ?? []).map(tensorName);
    const { objective } = request;
    let run;
    try {
      run = await this.gradients.run(
        path ? { ...feeds, ...path.feeds } : feeds,
        {
          objective: {
            tensor: tensorName(objective.tensor),
            unitAxis: objective.unitAxis ?? 1,
            pool: objective.pool ?? 'mean',
          },
          wrt,
          read,
          ...(request.sumBatch ? { sumBatch: true } : {}),
          ...(path ? { path: { input: path.input } } : {}),
        },
        objective.weights,
      );
    } catch (error) {
      if (error instanceof AiaError) throw error;
      throw new AiaError(
        `gradient of subject ${this.name} failed: ${(error as Error).message}`,
        'RUN_ERROR',
        {
          cause: error,
        },
      );
    }
    const gradients: TensorMap = {};
    request.wrt.forEach((name, i) => {
      gradients[name] = run.gradients[wrt[i] as string] as ort.Tensor;
    });
    const sites: TensorMap = {};
    (request.read ?? []).forEach((name, i) => {
      sites[name] = run.tensors[read[i] as string] as ort.Tensor;
    });
    return { objective: Float32Array.from(run.objective.data as Float32Array), gradients, sites };
  }

  /** The feeds of an Integrated Gradients path: the baseline and the α as [points, 1, …]. */
  private pathFeeds(
    feeds: Readonly<Record<string, ort.Tensor>>,
    path: NonNullable<GradientRequest['path']>,
  ): { input: string; feeds: Record<string, ort.Tensor> } {
    const input = this.imageInput().name;
    const x = feeds[input] as ort.Tensor;
    if (x.dims[0] !== 1)
      throw new InputError(`a path gradient takes one input example, got a batch of ${x.dims[0]}`);
    const { baseline, alphas } = path;
    if (baseline.dims.join('×') !== x.dims.join('×') || baseline.type !== x.type) {
      throw new InputError(
        `the path's baseline must be ${x.type} [${x.dims.join('×')}] like the input, got ${baseline.type} [${baseline.dims.join('×')}]`,
      );
    }
    if (alphas.length === 0 || !alphas.every(Number.isFinite))
      throw new InputError('a path needs at least one finite α');
    const shape = [alphas.length, ...x.dims.slice(1).map(() => 1)];
    return {
      input,
      feeds: {
        [PATH_BASELINE]: baseline,
        [PATH_ALPHAS]:
          x.type === 'float64'
            ? new ort.Tensor('float64', Float64Array.from(alphas), shape)
            : new ort.Tensor('float32', Float32Array.from(alphas), shape),
      },
    };
  }

  /** A site's tensor name (aliases resolved); names that are no site (weights) pass through. */
  private tensorOrSite(name: string): string {
    if (this.byName.has(name)) return name;
    const alias = this.aliases.get(name);
    if (alias) return alias;
    const isTensor =
      (this.model.graph?.initializer ?? []).some((t) => t.name === name) ||
      (this.model.graph?.node ?? []).some((n) => (n.output ?? []).includes(name));
    return isTensor ? name : this.resolveSite(name).name;
  }

  async unitMeans(inputs: SubjectInputs, siteName: string): Promise<Float32Array> {
    const site = this.resolveSite(siteName);
    const { sites } = await this.read(inputs, [siteName]);
    const tensor = sites[siteName] as ort.Tensor;
    return meanOverUnitAxis(tensor, site.unitAxis);
  }

  async dispose(): Promise<void> {
    await this.sessions.dispose();
  }

  /** A run; onnxruntime's own failures (e.g. a dynamic size the graph cannot take) get the subject's name. */
  private async runSession(
    session: ort.InferenceSession,
    feeds: Record<string, ort.Tensor>,
    fetches?: string[],
  ): Promise<TensorMap> {
    try {
      return await (fetches ? session.run(feeds, fetches) : session.run(feeds));
    } catch (error) {
      const shapes = Object.entries(feeds)
        .filter(([name]) => this.inputNames.includes(name))
        .map(([name, t]) => `${name} ${t.dims.join('×')}`);
      throw new AiaError(
        `subject ${this.name} failed to run on ${shapes.join(', ')}: ${(error as Error).message}`,
        'RUN_ERROR',
        {
          cause: error,
        },
      );
    }
  }

  private preprocessSpec() {
    return this.manifest.input?.preprocess ?? DEFAULT_PREPROCESS;
  }

  /** The input images go to: the manifest's, else the first float input. */
  private imageInput(): ImageInputInfo {
    const wanted = this.manifest.input?.name;
    const input = wanted
      ? this.inputs.find((i) => i.name === wanted)
      : (this.inputs.find((i) => i.dtype === 'float32') ?? this.inputs[0]);
    if (!input) throw new InputError(`subject ${this.name} has no input named '${wanted}'`);
    return { name: input.name, dims: input.dims };
  }

  /** Normalise inputs to feeds by name, checking names, types and fixed dims. */
  private feeds(inputs: SubjectInputs): Record<string, ort.Tensor> {
    const byName: Record<string, ort.Tensor> = isTensor(inputs)
      ? { [this.imageInput().name]: inputs }
      : { ...(inputs as Readonly<Record<string, ort.Tensor>>) };
    for (const name of Object.keys(byName)) {
      if (!this.inputNames.includes(name)) {
        throw new InputError(
          `subject ${this.name} has no input '${name}'; its inputs are ${this.inputNames.join(', ')}`,
        );
      }
    }
    for (const input of this.inputs) {
      const tensor = byName[input.name];
      if (!tensor)
        throw new InputError(
          `input '${input.name}' is missing (subject ${this.name} needs ${this.inputNames.join(', ')})`,
        );
      const expected = input.dims.map((d) => (typeof d === 'number' ? String(d) : d)).join('×');
      if (tensor.type !== input.dtype) {
        throw new InputError(
          `input '${input.name}' must be ${input.dtype} [${expected}], got ${tensor.type}`,
        );
      }
      const fits =
        tensor.dims.length === input.dims.length &&
        input.dims.every((d, i) => typeof d !== 'number' || d === tensor.dims[i]);
      if (!fits) {
        throw new InputError(
          `input '${input.name}' has shape ${tensor.dims.join('×')} but subject ${this.name} expects ${expected}`,
        );
      }
    }
    return byName;
  }

  private elemTypeForEdit(site: SiteInfo): number {
    if (site.dtype !== 'float32' && site.dtype !== 'float64') {
      throw new InputError(
        `site '${site.name}' is ${site.dtype}; only float32 and float64 sites can be edited`,
      );
    }
    return ELEM_TYPES[site.dtype] as number;
  }
}

function isTensor(inputs: SubjectInputs): inputs is ort.Tensor {
  return inputs instanceof ort.Tensor;
}

/** Shape of a site's scale/shift inputs: 1 on every axis but the unit axis. */
function paramShape(site: SiteInfo): number[] {
  return site.shape.map((_, axis) => (axis === site.unitAxis ? site.units : 1));
}

function paramTensor(site: SiteInfo, values: Float64Array): ort.Tensor {
  const shape = paramShape(site);
  return site.dtype === 'float64'
    ? new ort.Tensor('float64', Float64Array.from(values), shape)
    : new ort.Tensor('float32', Float32Array.from(values), shape);
}

/** Mean over every axis but `unitAxis` (one value for a scalar site). */
export function meanOverUnitAxis(tensor: ort.Tensor, unitAxis: number): Float32Array {
  const data = tensor.data as Float32Array | Float64Array;
  if (unitAxis < 0) {
    let sum = 0;
    for (const v of data) sum += v;
    return Float32Array.of(sum / Math.max(1, data.length));
  }
  const dims = tensor.dims;
  const units = dims[unitAxis] ?? 1;
  const inner = dims.slice(unitAxis + 1).reduce((a, b) => a * b, 1);
  const sums = new Float64Array(units);
  for (let i = 0; i < data.length; i++) {
    const unit = Math.floor(i / inner) % units;
    sums[unit] = (sums[unit] ?? 0) + (data[i] ?? 0);
  }
  const count = data.length / units;
  return Float32Array.from(sums, (s) => s / count);
}
