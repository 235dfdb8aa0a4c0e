import { createHash } from 'node:crypto';
import type { AnnotatedScene, SyntheticSubject, SyntheticUnit } from '../../subjects/synthetic/index.ts';
import type { RenderedScene } from '../../stimuli/render.ts';
import { InputError } from '../../util/errors.ts';
import type { RgbImage } from '../../util/image.ts';
import { requireValue } from './onnx-edits.ts';
import { maxOf } from './site-maps.ts';
import type {
  OutputScores,
  Probe,
  ProbeImage,
  ProbeSite,
  ReferenceMeans,
  ScoreFn,
  ScorerTarget,
  SiteBatchStats,
  UnitAddress,
  UnitEdit,
  UnitMap,
} from './types.ts';

/** The one site of a synthetic subject. */
export const SYNTHETIC_SITE = 'synthetic';

/**
 * The probe over synthetic units. One site, `synthetic`, whose unit i is the i-th definition; units are
 * written `synthetic:<index>` (canonical; the agent sees only these, since ids such as
 * `maia-mono-dog` would give the answer away) and programs may also write `synthetic:<id>`.
 *
 * Maps are the units' pooled grid maps (grid × grid over the whole image); a unit's value is the
 * map's maximum. Edits act on those maps: zero → 0, set v → v everywhere, scale f → f·map, add d →
 * map + d, mean → the unit's reference mean (the mean cell over the probe set when the tool context
 * wired it, else over the call's scenes) everywhere. Units are independent, so an edit changes only the
 * units it names.
 *
 * Synthetic units read annotations, not pixels: `siteValues` resolves images back to scenes this probe
 * has been given (by object identity); `sceneValues` takes scenes directly.
 */
export class SyntheticProbe implements Probe {
  readonly kind = 'synthetic' as const;
  readonly name: string;
  readonly hash: string;
  readonly sceneSize: { width: number; height: number };
  private referenceMeans: ReferenceMeans | undefined;
  private readonly seen = new WeakMap<RgbImage, AnnotatedScene>();

  constructor(
    readonly subject: SyntheticSubject,
    options: { name?: string; sceneSize?: { width: number; height: number } } = {},
  ) {
    this.name = options.name ?? 'synthetic';
    this.sceneSize = options.sceneSize ?? { width: 224, height: 224 };
    const definitions = subject.units.map((u) => u.definition);
    this.hash = createHash('sha256')
      .update(JSON.stringify({ grid: subject.grid, definitions }))
      .digest('hex');
  }

  get units(): readonly SyntheticUnit[] {
    return this.subject.units;
  }

  describe(): { text: string; data: Record<string, unknown> } {
    const n = this.units.length;
    const { grid } = this.subject;
    const text = [
      `Subject ${this.name}: ${n} synthetic unit${n === 1 ? '' : 's'} at one site, '${SYNTHETIC_SITE}' ` +
        `(units ${SYNTHETIC_SITE}:0${n > 1 ? `–${SYNTHETIC_SITE}:${n - 1}` : ''}).`,
      `Each unit responds to what a scene contains (objects, shapes, colours, textures, backgrounds, words, ` +
        `their sizes and places); what each one responds to is what you are to find out.`,
      `A unit's map is a ${grid}×${grid} grid over the image (values ≥ 0, about 1 where it fires fully); ` +
        `its activation for an image is the map's maximum.`,
      `Scenes are rendered at ${this.sceneSize.width}×${this.sceneSize.height}. Outputs are the units' activations.`,
    ];
    return {
      text: text.join('\n'),
      data: {
        kind: this.kind,
        name: this.name,
        hash: this.hash,
        units: n,
        grid,
        sceneSize: this.sceneSize,
        site: SYNTHETIC_SITE,
        output: { kind: 'activations', labels: this.units.map((_, i) => `${SYNTHETIC_SITE}:${i}`) },
      },
    };
  }

  sites(): ProbeSite[] {
    const { grid } = this.subject;
    return [
      {
        name: SYNTHETIC_SITE,
        aliases: [],
        op: 'synthetic',
        shape: [1, this.units.length, grid, grid],
        units: this.units.length,
      },
    ];
  }

  parseUnit(text: string): UnitAddress {
    const trimmed = text.trim();
    const colon = trimmed.lastIndexOf(':');
    const site = colon > 0 ? trimmed.slice(0, colon) : '';
    const key = trimmed.slice(colon + 1);
    const n = this.units.length;
    if (site !== SYNTHETIC_SITE) {
      throw new InputError(
        colon <= 0
          ? `'${text}' is not a unit: write ${SYNTHETIC_SITE}:<index>, e.g. ${SYNTHETIC_SITE}:0`
          : `unknown site '${site}': this synthetic subject has one site, '${SYNTHETIC_SITE}' ` +
            `(units ${SYNTHETIC_SITE}:0–${SYNTHETIC_SITE}:${n - 1})`,
      );
    }
    let index: number;
    if (/^\d+$/.test(key)) {
      index = Number(key);
      if (index >= n) {
        throw new InputError(
          `unit ${index} is out of range for site '${SYNTHETIC_SITE}': it has ${n} unit${n === 1 ? '' : 's'} ` +
            `(${n === 1 ? 'only unit 0' : `units 0–${n - 1}`})`,
        );
      }
    } else {
      // By id, for programs (benchmarks know the ids); the error does not list ids, which would leak.
      index = this.units.findIndex((u) => u.definition.id === key);
      if (index < 0) {
        throw new InputError(
          `'${text}' is not a unit of this subject: write ${SYNTHETIC_SITE}:<index> with an index from 0 to ${n - 1}`,
        );
      }
    }
    return { id: `${SYNTHETIC_SITE}:${index}`, site: SYNTHETIC_SITE, index };
  }

  async unitMaps(
    inputs: readonly ProbeImage[],
    units: readonly UnitAddress[],
    edits: readonly UnitEdit[] = [],
  ): Promise<UnitMap[][]> {
    const scenes = renderedScenes(inputs);
    this.remember(scenes);
    const checked = units.map((u) => this.check(u));
    const edit = await this.editPlan(edits, scenes);
    return checked.map((index) => this.mapsOf(index, scenes, edit.get(index)));
  }

  /**
   * One unit's maps on scenes given as annotations alone (no pixels), as unitMaps gives them without
   * edits: what a pass over the probe set for the unit's top region reads.
   */
  annotatedUnitMaps(scenes: readonly AnnotatedScene[], unit: UnitAddress): UnitMap[] {
    return this.mapsOf(this.check(unit), scenes);
  }

  async siteValues(images: readonly RgbImage[], site: string): Promise<Float32Array> {
    const scenes = images.map((image, i) => {
      const scene = this.seen.get(image);
      if (!scene) {
        throw new InputError(
          `image ${i} is not the image of a scene this synthetic subject has seen: synthetic units compute ` +
            `from scene annotations, not pixels; pass the scenes (sceneValues) instead`,
        );
      }
      return scene;
    });
    return this.valuesOf(scenes, site);
  }

  async sceneValues(inputs: readonly ProbeImage[], site: string): Promise<Float32Array> {
    const scenes = renderedScenes(inputs);
    this.remember(scenes);
    return this.valuesOf(scenes, site);
  }

  async outputs(inputs: readonly ProbeImage[], edits: readonly UnitEdit[] = []): Promise<OutputScores> {
    const scenes = renderedScenes(inputs);
    this.remember(scenes);
    const edit = await this.editPlan(edits, scenes);
    const n = this.units.length;
    const scores = scenes.map(() => new Float32Array(n));
    for (let u = 0; u < n; u++) {
      this.mapsOf(u, scenes, edit.get(u)).forEach((map, s) => ((scores[s] as Float32Array)[u] = map.value));
    }
    return { kind: 'activations', labels: this.units.map((_, i) => `${SYNTHETIC_SITE}:${i}`), scores };
  }

  scorer(target: ScorerTarget, input?: ProbeImage): ScoreFn {
    const scene = input ? renderedScenes([input])[0] : undefined;
    const address = 'unit' in target ? target.unit : this.parseUnit(target.label);
    const index = this.check(address);
    if (!scene) {
      throw new InputError(
        'a synthetic subject scores images only as perturbed copies of a scene: pass the scene to scorer()',
      );
    }
    const unit = this.units[index] as SyntheticUnit;
    return async (images) =>
      Float32Array.from(images, (image) => {
        const perturbed = perturbedScene(scene, image);
        return this.subject.activations([perturbed], [unit.name])[0]?.scenes[0]?.value ?? 0;
      });
  }

  /** Values (as sceneValues) and each unit's sum over the grid cells of every scene: what the activation
   *  cache stores. */
  sceneStats(scenes: readonly AnnotatedScene[], site: string): SiteBatchStats {
    this.checkSite(site);
    this.remember(scenes);
    const n = this.units.length;
    const values = new Float32Array(scenes.length * n);
    const sums = new Float64Array(n);
    this.subject.activations(scenes).forEach((responses, u) => {
      responses.scenes.forEach((map, s) => {
        values[s * n + u] = map.value;
        for (const v of map.pooled) sums[u] = (sums[u] ?? 0) + v;
      });
    });
    return { values, sums, positions: this.subject.grid * this.subject.grid };
  }

  setReferenceMeans(source: ReferenceMeans): void {
    this.referenceMeans = source;
  }

  async unitMeans(inputs: readonly ProbeImage[], site: string): Promise<Float32Array> {
    this.checkSite(site);
    const scenes = renderedScenes(inputs);
    const means = new Float32Array(this.units.length);
    if (scenes.length === 0) return means;
    this.subject.activations(scenes).forEach((responses, u) => {
      let sum = 0;
      let cells = 0;
      for (const map of responses.scenes) {
        for (const v of map.pooled) sum += v;
        cells += map.pooled.length;
      }
      means[u] = sum / Math.max(1, cells);
    });
    return means;
  }

  async dispose(): Promise<void> {}

  private remember(scenes: readonly AnnotatedScene[]): void {
    for (const scene of scenes) {
      const image = (scene as RenderedScene).image;
      if (image && 'data' in image) this.seen.set(image, scene);
    }
  }

  private checkSite(site: string): void {
    if (site !== SYNTHETIC_SITE) {
      throw new InputError(
        `unknown site '${site}': this synthetic subject has one site, '${SYNTHETIC_SITE}'`,
      );
    }
  }

  private check(unit: UnitAddress): number {
    return this.parseUnit(`${unit.site}:${unit.index}`).index;
  }

  private valuesOf(scenes: readonly AnnotatedScene[], site: string): Float32Array {
    this.checkSite(site);
    const n = this.units.length;
    const out = new Float32Array(scenes.length * n);
    this.subject.activations(scenes).forEach((responses, u) => {
      responses.scenes.forEach((map, s) => (out[s * n + u] = map.value));
    });
    return out;
  }

  /** The unit's pooled maps on the scenes, with its edits (a list of map transforms) applied. */
  private mapsOf(index: number, scenes: readonly AnnotatedScene[], edits: MapEdit[] = []): UnitMap[] {
    const unit = this.units[index] as SyntheticUnit;
    const responses = this.subject.activations(scenes, [unit.name])[0]?.scenes ?? [];
    return responses.map((response) => {
      const map = Float32Array.from(response.pooled);
      for (const edit of edits) for (let c = 0; c < map.length; c++) map[c] = edit(map[c] ?? 0);
      return { map, width: response.grid, height: response.grid, value: maxOf(map) };
    });
  }

  /** Per unit index, the transforms its edits apply to each cell, in order. */
  private async editPlan(
    edits: readonly UnitEdit[],
    scenes: readonly RenderedScene[],
  ): Promise<Map<number, MapEdit[]>> {
    const plan = new Map<number, MapEdit[]>();
    let means: Float32Array | undefined;
    for (const [position, edit] of edits.entries()) {
      if (edit.units.length === 0) throw new InputError(`edit ${position} (${edit.op}) lists no units`);
      let transform: (index: number) => MapEdit;
      switch (edit.op) {
        case 'zero':
          transform = () => () => 0;
          break;
        case 'set': {
          const v = requireValue(edit, position);
          transform = () => () => v;
          break;
        }
        case 'scale': {
          const f = requireValue(edit, position);
          transform = () => (x) => x * f;
          break;
        }
        case 'add': {
          const d = requireValue(edit, position);
          transform = () => (x) => x + d;
          break;
        }
        case 'mean': {
          means ??= this.referenceMeans
            ? await this.referenceMeans(SYNTHETIC_SITE)
            : await this.unitMeans(scenes, SYNTHETIC_SITE);
          const m = means;
          transform = (index) => () => m[index] ?? 0;
          break;
        }
        default: {
          const op: unknown = (edit as { op: unknown }).op;
          throw new InputError(`unknown edit op '${String(op)}'; use zero, mean, set, scale or add`);
        }
      }
      for (const unit of edit.units) {
        const index = this.check(unit);
        plan.set(index, [...(plan.get(index) ?? []), transform(index)]);
      }
    }
    return plan;
  }
}

type MapEdit = (value: number) => number;

/**
 * The scene as a synthetic unit sees a perturbed copy of its image: every pixel whose colour differs
 * from the original is removed from every concept mask and from the item map (it shows nothing the
 * scene's annotation knows about). Unchanged pixels keep their concepts.
 */
export function perturbedScene(scene: RenderedScene, image: RgbImage): AnnotatedScene {
  const { width, height, data } = scene.image;
  if (image.width !== width || image.height !== height) {
    throw new InputError(
      `a perturbed image must have its scene's size ${width}×${height}, got ${image.width}×${image.height}`,
    );
  }
  const changed = new Uint8Array(width * height);
  let any = false;
  for (let p = 0; p < changed.length; p++) {
    const i = p * 3;
    if (image.data[i] !== data[i] || image.data[i + 1] !== data[i + 1] || image.data[i + 2] !== data[i + 2]) {
      changed[p] = 1;
      any = true;
    }
  }
  if (!any) return scene;
  const masks = new Map<string, Uint8Array>();
  for (const [name, mask] of scene.masks)
    masks.set(
      name,
      mask.map((v, p) => (changed[p] ? 0 : v)),
    );
  const itemMap = scene.itemMap.map((v, p) => (changed[p] ? 0 : v));
  return { image, masks, itemMap, annotation: scene.annotation };
}

/**
 * Synthetic units compute from a scene's annotation (its items and their concepts), which dataset
 * images do not have: they take rendered scenes only, and say so.
 */
export function renderedScenes(inputs: readonly ProbeImage[]): RenderedScene[] {
  return inputs.map((input, i) => {
    if ('spec' in input) return input;
    throw new InputError(
      `stimulus ${i} (${input.id}) is a dataset image: synthetic units read rendered scenes' annotations, so show them rendered scenes`,
    );
  });
}
