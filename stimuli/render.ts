/**
 * Scene spec → image + exact concept masks + item map + annotation.
 *
 * Each pixel gets a label (a background region, an item, or an occluder) and each label the set of
 * concepts true there, ancestors included; masks are derived from that, so they are exact by
 * construction: a pixel is in an item's masks iff the item's own coverage there is ≥ ALPHA_THRESHOLD
 * (128/255) and no later item or occluder took it over. What each concept covers:
 * - an object: its name, its colour if given (a tint keeps the sprite's shading) and its texture;
 *   an object without a colour gets no colour concept (emoji are many-coloured; no one colour is exact);
 * - a shape or word: its colour (default black) and texture; a word also 'text' and 'word:<text>';
 * - a material texture without an item colour adds its natural colour (grass → green); patterns don't;
 * - the background: its concept and, per region, the colours that are exact (see backgrounds.ts).
 * Same spec → same bytes: everything random is drawn from the spec's seed.
 */
import type { RgbImage } from '../util/image.ts';
import { renderBackground } from './backgrounds.ts';
import { drawItem, type ItemPaint, type PixelBox } from './compose.ts';
import { applyEffect, type EffectTarget } from './effects.ts';
import { conceptsOfLabels, deriveItemMap, deriveMasks, labelStats, unionBox } from './masks.ts';
import { hash32 } from '../util/random.ts';
import { resolveSpec } from './resolve-spec.ts';
import type { ItemSpec, SceneSpec, SceneSpecInput } from './spec.ts';
import { objectSprite, shapeSprite, wordSprite, type Sprite } from './sprites.ts';
import { getTexture, textureNaturalColour, type Rgb } from './textures.ts';
import { ancestors, colourRgb, TEXT_CONCEPT_NAME, wordConceptName } from './vocabulary.ts';

export { ALPHA_THRESHOLD } from './compose.ts';
export { OCCLUDED_ITEM } from './effects.ts';

export type Box = PixelBox;

export interface ItemAnnotation {
  index: number;
  kind: 'object' | 'shape' | 'word';
  /** Canonical concept name; for a word, its text. */
  name: string;
  /** The item's own concepts: name (or 'text' and 'word:<text>'), colour, texture — not ancestors. */
  concepts: string[];
  /** Box of its full footprint (before occlusion by later items), in pixels, x1/y1 exclusive. */
  box: Box;
  /** Visible pixels after occlusion. */
  area: number;
}

export interface ConceptAnnotation {
  name: string;
  area: number;
  box: Box | null;
}

export interface SceneAnnotation {
  items: ItemAnnotation[];
  concepts: ConceptAnnotation[];
  background: string;
}

/** The compact truth of a scene: masks and itemMap are pure functions of it (see masks.ts). */
export interface SceneLabels {
  /** Label per pixel (width*height). */
  labels: Uint8Array;
  /** Concepts (ancestors included) true at each label. */
  labelConcepts: string[][];
  /** itemMap value of each label: 0 background, i+1 item i, OCCLUDED_ITEM. */
  labelItem: number[];
}

export interface RenderedScene {
  /** The parsed spec: defaults filled, concept names canonical. */
  spec: SceneSpec;
  image: RgbImage;
  /** Concept → 0/1 per pixel, exact; includes background, colours, textures, 'text', ancestors. */
  masks: Map<string, Uint8Array>;
  /** Per pixel: 0 background, i+1 item i on top there, OCCLUDED_ITEM under an occluder. */
  itemMap: Uint8Array;
  annotation: SceneAnnotation;
  /** What masks and itemMap were derived from (probe sets store this). */
  labels: SceneLabels;
}

/** The scene without masks materialised: what probe sets generate and store. */
export type LabelledScene = Omit<RenderedScene, 'masks' | 'itemMap'>;

function withAncestors(concepts: string[]): string[] {
  const out: string[] = [];
  for (const c of concepts) for (const n of [c, ...ancestors(c)]) if (!out.includes(n)) out.push(n);
  return out;
}

function rgbOf(name: string): Rgb {
  const rgb = colourRgb(name);
  if (!rgb) throw new Error(`'${name}' is not a colour`);
  return rgb;
}

/** The item's own concepts, in a fixed order: name, colour, texture. */
export function itemOwnConcepts(item: ItemSpec): string[] {
  const concepts = item.kind === 'word' ? [TEXT_CONCEPT_NAME, wordConceptName(item.name)] : [item.name];
  const colour = item.colour ?? (item.kind !== 'object' && item.texture === undefined ? 'black' : undefined);
  const natural =
    item.texture !== undefined && item.colour === undefined ? textureNaturalColour(item.texture) : undefined;
  for (const c of [colour, natural, item.texture])
    if (c !== undefined && !concepts.includes(c)) concepts.push(c);
  return concepts;
}

function spriteFor(item: ItemSpec): Promise<Sprite> {
  if (item.kind === 'object') return objectSprite(item.name);
  if (item.kind === 'shape') return shapeSprite(item.name);
  return wordSprite(item.name);
}

/** Compose a resolved spec whose sprites are loaded. Synchronous and deterministic. */
export function composeScene(spec: SceneSpec, sprites: Sprite[]): LabelledScene {
  const { width, height } = spec;
  const background = renderBackground(spec.background, width, height, spec.seed);
  const data = background.image;
  const image = new Uint8ClampedArray(data.buffer, data.byteOffset, data.length);
  const labels = background.regions;
  const labelConcepts = background.regionConcepts.map(withAncestors);
  const labelItem: number[] = labelConcepts.map(() => 0);
  const boxes: (PixelBox | null)[] = [];
  spec.items.forEach((item, i) => {
    const sprite = sprites[i];
    if (!sprite) throw new Error(`no sprite for item ${i}`);
    const label = labelConcepts.length;
    labelConcepts.push(withAncestors(itemOwnConcepts(item)));
    labelItem.push(i + 1);
    const texture = item.texture !== undefined ? getTexture(item.texture) : undefined;
    const paint: ItemPaint = {
      sprite,
      mode: item.kind === 'object' ? 'sprite' : 'fill',
      ...(item.colour !== undefined ? { colour: rgbOf(item.colour) } : {}),
      ...(texture ? { texture } : {}),
      textureSeed: hash32(spec.seed, i, 0x7465),
    };
    boxes.push(drawItem({ width, height, image, labels }, item, paint, label));
  });
  const target: EffectTarget = { width, height, image, labels, labelConcepts, labelItem, boxes };
  spec.effects.forEach((effect, i) => applyEffect(target, effect, i, spec.seed, rgbOf));

  const stats = labelStats(labels, width, labelConcepts.length);
  const items: ItemAnnotation[] = spec.items.map((item, i) => ({
    index: i,
    kind: item.kind,
    name: item.name,
    concepts: itemOwnConcepts(item),
    box: target.boxes[i] ?? { x0: 0, y0: 0, x1: 0, y1: 0 },
    area: stats.area[labelItem.indexOf(i + 1)] ?? 0,
  }));
  const concepts: ConceptAnnotation[] = conceptsOfLabels(labelConcepts).map((name) => {
    let area = 0;
    let box: PixelBox | null = null;
    labelConcepts.forEach((list, label) => {
      if (!list.includes(name)) return;
      area += stats.area[label] ?? 0;
      box = unionBox(box, stats.box[label] ?? null);
    });
    return { name, area, box };
  });
  return {
    spec,
    image: { width, height, data },
    annotation: { items, concepts, background: spec.background },
    labels: { labels, labelConcepts, labelItem },
  };
}

/** Validate, load sprites (cached after first use) and compose, without materialising masks. */
export async function renderLabelledScene(input: SceneSpecInput): Promise<LabelledScene> {
  const spec = resolveSpec(input);
  const sprites = await Promise.all(spec.items.map(spriteFor));
  return composeScene(spec, sprites);
}

/** Render a scene with its exact masks. Throws InputError naming the bad field or unknown name. */
export async function renderScene(input: SceneSpecInput): Promise<RenderedScene> {
  const scene = await renderLabelledScene(input);
  const { labels, labelConcepts, labelItem } = scene.labels;
  return {
    ...scene,
    masks: deriveMasks(labels, labelConcepts),
    itemMap: deriveItemMap(labels, labelItem),
  };
}
