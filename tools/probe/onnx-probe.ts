import { createHash } from 'node:crypto';
import {
  ctcGreedyDecode,
  softmax,
  type Edit,
  type ImagePlacement,
  type SiteInfo,
  type Subject,
  type Tensor,
} from '../../subjects/index.ts';
import { nearNames } from '../../util/names.ts';
import { InputError } from '../../util/errors.ts';
import type { RgbImage } from '../../util/image.ts';
import { toSubjectEdits } from './onnx-edits.ts';
import { siteMaxima, siteStats, unitMapOverImage, type SiteTensor } from './site-maps.ts';
import type {
  OutputScores,
  SiteBatchStats,
  Probe,
  ProbeImage,
  ProbeSite,
  ReferenceMeans,
  ScoreFn,
  ScorerTarget,
  UnitAddress,
  UnitEdit,
  UnitMap,
} from './types.ts';

/** Images per forward pass: large enough to amortise a run, small enough to keep site tensors modest. */
export const ONNX_BATCH = 64;

/** Scene size when the manifest gives no input size. */
const DEFAULT_SCENE_SIDE = 224;

/**
 * The probe over an ONNX subject. Scenes go through the subject's own preprocessing; maps are read
 * with `Subject.read` / `intervene` and cropped to the image (site-maps.ts). Images are run in batches
 * of ONNX_BATCH, split further so that each run holds images of one size (detector-style resizing
 * needs that).
 */
export class OnnxProbe implements Probe {
  readonly kind = 'onnx' as const;
  readonly name: string;
  readonly hash: string;
  readonly sceneSize: { width: number; height: number };
  private referenceMeans: ReferenceMeans | undefined;

  constructor(readonly subject: Subject) {
    this.name = subject.name;
    // The model file and the manifest: preprocessing or the output's meaning can change the values.
    this.hash = createHash('sha256')
      .update(subject.hash)
      .update(JSON.stringify(subject.manifest))
      .digest('hex');
    this.sceneSize = nativeSceneSize(subject);
  }

  describe(): { text: string; data: Record<string, unknown> } {
    const { subject } = this;
    const output = this.outputInfo();
    // The manifest's names (final_conv, class_logits, …); generated ones (conv1 … convN) are only counted.
    const manifestAliases = new Set(Object.keys(subject.manifest.sites?.aliases ?? {}));
    const named = subject.sites().filter((s) => s.aliases.some((a) => manifestAliases.has(a)));
    const generated = subject.sites().filter((s) => s.aliases.length > 0).length - named.length;
    const siteLine = (s: SiteInfo) =>
      `  ${s.aliases.join(', ')} = ${s.name} (${s.op}, ${s.units} unit${s.units === 1 ? '' : 's'}, shape ${s.shape.join('×')})`;
    const lines = [
      `Subject ${subject.name}: an ONNX model${subject.manifest.task ? ` for ${subject.manifest.task}` : ''}.`,
      ...(subject.manifest.description ? [subject.manifest.description] : []),
      `Scenes are rendered at ${this.sceneSize.width}×${this.sceneSize.height} (width×height), its native input size.`,
      output.labels.length > 0 && output.labels.length <= 20
        ? `Output: ${output.kind} over ${output.labels.length} labels: ${output.labels.join(', ')}.`
        : `Output: ${output.kind}${output.labels.length ? ` over ${output.labels.length} labels` : ''}.`,
      `${subject.sites().length} sites (tensors) can be read and edited` +
        (generated > 0
          ? ` (${generated} more have generated names such as conv1, conv1.out in graph order)`
          : '') +
        `; named ones:`,
      ...named.map(siteLine),
      'list_units lists every site.',
      `Write units as site:index, e.g. ${named[named.length - 1]?.aliases[0] ?? subject.sites()[0]?.name ?? 'site'}:0.`,
    ];
    return {
      text: lines.join('\n'),
      data: {
        kind: this.kind,
        name: subject.name,
        hash: subject.hash,
        task: subject.manifest.task,
        description: subject.manifest.description,
        sceneSize: this.sceneSize,
        output: { name: output.name, kind: output.kind, labels: output.labels },
        siteCount: subject.sites().length,
        namedSites: named.map((s) => ({
          name: s.name,
          aliases: s.aliases,
          op: s.op,
          shape: s.shape,
          units: s.units,
        })),
        source: subject.manifest.source,
      },
    };
  }

  sites(): ProbeSite[] {
    return this.subject.sites().map((s) => ({
      name: s.name,
      aliases: [...s.aliases],
      op: s.op,
      shape: [...s.shape],
      units: s.units,
    }));
  }

  parseUnit(text: string): UnitAddress {
    const { site, unit } = this.subject.parseUnit(text.trim());
    return { id: `${site.name}:${unit}`, site: site.name, index: unit };
  }

  async unitMaps(
    scenes: readonly ProbeImage[],
    units: readonly UnitAddress[],
    edits: readonly UnitEdit[] = [],
  ): Promise<UnitMap[][]> {
    const sites = [...new Set(units.map((u) => this.subject.resolveSite(u.site).name))];
    const result: UnitMap[][] = units.map(() => []);
    const subjectEdits = await this.subjectEdits(edits, scenes);
    await this.forBatches(
      scenes.map((s) => s.image),
      async (images) => {
        const run = await this.subject.intervene(this.subject.preprocess(images), subjectEdits, {
          read: sites,
        });
        const placements = this.subject.placements(images);
        units.forEach((unit, u) => {
          const tensor = this.siteTensor(run.sites[this.subject.resolveSite(unit.site).name], unit.site);
          images.forEach((_, n) => {
            result[u]?.push(unitMapOverImage(tensor, n, unit.index, placements[n] as ImagePlacement));
          });
        });
      },
    );
    return result;
  }

  async siteValues(images: readonly RgbImage[], site: string): Promise<Float32Array> {
    const info = this.subject.resolveSite(site);
    const out = new Float32Array(images.length * info.units);
    let offset = 0;
    await this.forBatches(images, async (batch) => {
      const values = await this.batchSiteValues(batch, info);
      out.set(values, offset);
      offset += values.length;
    });
    return out;
  }

  /** One batch's N × units values. */
  async batchSiteValues(images: readonly RgbImage[], site: SiteInfo): Promise<Float32Array> {
    const run = await this.subject.read(this.subject.preprocess(images), [site.name]);
    return siteMaxima(this.siteTensor(run.sites[site.name], site.name), this.subject.placements(images));
  }

  /**
   * One batch's values (as siteValues) and, from the same run, each unit's sum over every position of
   * every image (`positions` per image): what the activation cache stores. At most ONNX_BATCH images
   * of one size.
   */
  async batchStats(images: readonly RgbImage[], site: string): Promise<SiteBatchStats> {
    const stats = await this.batchStatsMany(images, [site]);
    return stats[0] as SiteBatchStats;
  }

  /**
   * Per-unit maxima and sums of many sites in one run. When every image fills the model's input (the
   * probe set's scenes are rendered at the native size) and the subject pools inside its graph, only
   * the pooled values leave onnxruntime; otherwise (padding to crop away, or no pooling) the full maps
   * are read and reduced here.
   */
  async batchStatsMany(images: readonly RgbImage[], sites: readonly string[]): Promise<SiteBatchStats[]> {
    const infos = sites.map((s) => this.subject.resolveSite(s));
    const placements = this.subject.placements(images);
    const fills = placements.every((p) => p.width === p.inputWidth && p.height === p.inputHeight);
    const input = this.subject.preprocess(images);
    if (fills && this.subject.readPooled) {
      const run = await this.subject.readPooled(
        input,
        infos.map((i) => i.name),
      );
      return infos.map((info) => {
        const pooled = run.pooled[info.name];
        if (!pooled)
          throw new InputError(`subject ${this.name} returned no pooled values for '${info.name}'`);
        const positions = pooledPositions(info);
        const sums = new Float64Array(info.units);
        const { mean } = pooled;
        for (let i = 0; i < mean.length; i++) {
          const u = i % info.units;
          sums[u] = (sums[u] as number) + (mean[i] as number) * positions;
        }
        return { values: Float32Array.from(pooled.max), sums, positions };
      });
    }
    const run = await this.subject.read(
      input,
      infos.map((i) => i.name),
    );
    return infos.map((info) =>
      siteStats(this.siteTensor(run.sites[info.name], info.name), placements, info.units),
    );
  }

  sceneValues(scenes: readonly ProbeImage[], site: string): Promise<Float32Array> {
    return this.siteValues(
      scenes.map((s) => s.image),
      site,
    );
  }

  async outputs(scenes: readonly ProbeImage[], edits: readonly UnitEdit[] = []): Promise<OutputScores> {
    const subjectEdits = await this.subjectEdits(edits, scenes);
    const info = this.outputInfo();
    const scores: Float32Array[] = [];
    const logits: Float32Array[] = [];
    const text: string[] = [];
    const logitsSite = this.logitsSite(info);
    await this.forBatches(
      scenes.map((s) => s.image),
      async (images) => {
        const run = await this.subject.intervene(
          this.subject.preprocess(images),
          subjectEdits,
          logitsSite ? { read: [logitsSite] } : {},
        );
        const tensor = run.outputs[info.name];
        if (!tensor) throw new InputError(`subject ${this.name} has no output '${info.name}'`);
        scores.push(...outputRows(tensor, info.mode));
        const logitTensor = logitsSite ? run.sites[logitsSite] : undefined;
        if (logitTensor) logits.push(...outputRows(logitTensor, 'logits'));
        if (info.mode === 'ctc') {
          const labels = this.subject.labels ?? [];
          text.push(...ctcGreedyDecode(tensor, labels).map((t) => t.text));
        }
      },
    );
    return {
      kind: info.kind,
      labels: info.labels,
      scores,
      ...(info.mode === 'ctc' ? { text } : {}),
      ...(logitsSite && logits.length === scores.length ? { logits } : {}),
    };
  }

  scorer(target: ScorerTarget): ScoreFn {
    if ('unit' in target) {
      const site = this.subject.resolveSite(target.unit.site);
      const { index } = target.unit;
      if (index < 0 || index >= site.units) this.parseUnit(`${site.name}:${index}`);
      return async (images) => {
        const values = await this.siteValues(images, site.name);
        return Float32Array.from({ length: images.length }, (_, n) => values[n * site.units + index] ?? 0);
      };
    }
    const info = this.outputInfo();
    const index = info.labels.indexOf(target.label);
    if (index < 0) {
      const near = nearNames(target.label, info.labels);
      throw new InputError(
        `subject ${this.name} has no output label '${target.label}'` +
          (near.length ? `; did you mean ${near.map((n) => `'${n}'`).join(', ')}?` : '') +
          (info.labels.length <= 20 ? ` (labels: ${info.labels.join(', ')})` : ''),
      );
    }
    return async (images) => {
      const out = new Float32Array(images.length);
      let offset = 0;
      await this.forBatches(images, async (batch) => {
        const outputs = await this.subject.run(this.subject.preprocess(batch));
        const tensor = outputs[info.name] as Tensor;
        for (const row of outputRows(tensor, info.mode)) out[offset++] = row[index] ?? 0;
      });
      return out;
    };
  }

  setReferenceMeans(source: ReferenceMeans): void {
    this.referenceMeans = source;
  }

  async unitMeans(scenes: readonly ProbeImage[], site: string): Promise<Float32Array> {
    const info = this.subject.resolveSite(site);
    const sums = new Float64Array(info.units);
    let count = 0;
    await this.forBatches(
      scenes.map((s) => s.image),
      async (images) => {
        const means = await this.subject.unitMeans(this.subject.preprocess(images), info.name);
        means.forEach((m, u) => (sums[u] = (sums[u] ?? 0) + m * images.length));
        count += images.length;
      },
    );
    return Float32Array.from(sums, (s) => s / Math.max(1, count));
  }

  dispose(): Promise<void> {
    return this.subject.dispose();
  }

  /** The subject's edits for probe edits; mean edits use the reference means, else the scenes' means. */
  private async subjectEdits(edits: readonly UnitEdit[], scenes: readonly ProbeImage[]): Promise<Edit[]> {
    if (edits.length === 0) return [];
    for (const edit of edits) for (const unit of edit.units) this.parseUnit(`${unit.site}:${unit.index}`);
    return toSubjectEdits(
      edits.map((e) => ({
        ...e,
        units: e.units.map((u) => ({ ...u, site: this.subject.resolveSite(u.site).name })),
      })),
      async (site) => {
        const units = this.subject.resolveSite(site).units;
        const means = this.referenceMeans
          ? await this.referenceMeans(site)
          : await this.unitMeans(scenes, site);
        if (means.length !== units) {
          throw new InputError(
            `reference means for site '${site}' have ${means.length} values for ${units} units`,
          );
        }
        return means;
      },
    );
  }

  private siteTensor(tensor: Tensor | undefined, site: string): SiteTensor {
    if (!tensor) throw new InputError(`site '${site}' was not read`);
    const info = this.subject.resolveSite(site);
    return { data: tensor.data as Float32Array | Float64Array, dims: tensor.dims, unitAxis: info.unitAxis };
  }

  /** Run `fn` over consecutive runs of at most ONNX_BATCH images of one size, in order. */
  private async forBatches(
    images: readonly RgbImage[],
    fn: (batch: readonly RgbImage[]) => Promise<void>,
  ): Promise<void> {
    if (images.length === 0) return;
    let start = 0;
    while (start < images.length) {
      const first = images[start] as RgbImage;
      let end = start + 1;
      while (
        end < images.length &&
        end - start < ONNX_BATCH &&
        images[end]?.width === first.width &&
        images[end]?.height === first.height
      )
        end++;
      await fn(images.slice(start, end));
      start = end;
    }
  }

  /**
   * The tensor of a probability output's logits, when the manifest names one (`output.logits`) and it
   * holds one value per label; undefined otherwise (a logits output is its own logits).
   */
  private logitsSite(info: {
    kind: OutputScores['kind'];
    mode: OutputMode;
    labels: string[];
  }): string | undefined {
    const name = this.subject.manifest.output?.logits;
    if (name === undefined || info.mode !== 'probabilities') return undefined;
    const site = this.subject.resolveSite(name);
    return site.units === info.labels.length ? site.name : undefined;
  }

  private outputInfo(): {
    name: string;
    kind: OutputScores['kind'];
    mode: OutputMode;
    labels: string[];
  } {
    const { subject } = this;
    const name = subject.manifest.output?.name ?? subject.outputNames[0] ?? '';
    const declared = subject.manifest.output?.kind ?? 'other';
    const labels = subject.labels ? [...subject.labels] : undefined;
    if ((declared === 'probabilities' || declared === 'logits') && labels) {
      return { name, kind: declared, mode: declared, labels };
    }
    if (declared === 'ctc-probabilities' && labels)
      return { name, kind: 'probabilities', mode: 'ctc', labels };
    return { name, kind: 'activations', mode: 'summary', labels: ['mean', 'max'] };
  }
}

type OutputMode = 'probabilities' | 'logits' | 'ctc' | 'summary';

/**
 * One score row per batch item. Classifier outputs are reported as they are (probabilities, or logits
 * for a logits output); a CTC output gives each label's peak probability over time; anything else its
 * mean and max.
 */
function outputRows(tensor: Tensor, mode: OutputMode): Float32Array[] {
  const data = tensor.data as Float32Array;
  const batch = tensor.dims[0] ?? 1;
  const perItem = tensor.dims.slice(1).reduce((a, b) => a * b, 1);
  const rows: Float32Array[] = [];
  for (let n = 0; n < batch; n++) {
    const item = data.subarray(n * perItem, (n + 1) * perItem);
    if (mode === 'probabilities' || mode === 'logits') rows.push(Float32Array.from(item));
    else if (mode === 'ctc') {
      const classes = tensor.dims[2] ?? 1;
      const peak = new Float32Array(classes);
      for (let i = 0; i < item.length; i++) {
        const c = i % classes;
        if ((item[i] ?? 0) > (peak[c] ?? 0)) peak[c] = item[i] ?? 0;
      }
      rows.push(peak);
    } else {
      let sum = 0;
      let max = -Infinity;
      for (const v of item) {
        sum += v;
        if (v > max) max = v;
      }
      rows.push(Float32Array.of(sum / Math.max(1, item.length), max));
    }
  }
  return rows;
}

/** Probabilities of a logits row (for callers that want them whatever the output holds). */
export function rowProbabilities(row: Float32Array, kind: OutputScores['kind']): number[] {
  return kind === 'logits' ? softmax(row) : Array.from(row);
}

/**
 * The size scenes are rendered at: the manifest's example input (width × height) for fixed-size and
 * text-line inputs, the stretch size, else a 224 px square.
 */
export function nativeSceneSize(subject: Subject): { width: number; height: number } {
  const input = subject.manifest.input;
  const resize = input?.preprocess?.resize;
  if (resize?.mode === 'stretch' || resize?.mode === 'keep-ratio-pad')
    return { width: resize.width, height: resize.height };
  const shape = input?.exampleShape;
  if (shape && shape.length === 4 && resize?.mode !== 'limit-side') {
    return { width: shape[3] ?? DEFAULT_SCENE_SIDE, height: shape[2] ?? DEFAULT_SCENE_SIDE };
  }
  return { width: DEFAULT_SCENE_SIDE, height: DEFAULT_SCENE_SIDE };
}

/** Positions pooled per unit per input: the product of every axis but the batch and the unit axis. */
function pooledPositions(site: SiteInfo): number {
  return site.shape.reduce((acc, d, axis) => (axis === 0 || axis === site.unitAxis ? acc : acc * d), 1);
}
