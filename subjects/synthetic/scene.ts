import { InputError } from '../../util/errors.ts';

/**
 * The minimal view of an annotated stimulus that synthetic units need. `subjects` may not import
 * `stimuli`, so this is a structural type: the renderer's `RenderedScene` satisfies it as is, and
 * tests build small ones by hand.
 */
export interface AnnotatedScene {
  image: { width: number; height: number };
  /** Concept name → 0/1 per pixel (width × height, row-major), including ancestors such as 'animal'. */
  masks: Map<string, Uint8Array>;
  /** Per pixel: 0 = background, i + 1 = item i is on top there; larger values (the renderer's
   *  occluder marker) belong to no item. */
  itemMap: Uint8Array;
  annotation: {
    items: {
      index: number;
      kind: string;
      name: string;
      concepts: string[];
      box: { x0: number; y0: number; x1: number; y1: number };
      area: number;
    }[];
    background: string;
  };
  /**
   * The effects applied after drawing, in order (the renderer's spec has them). Orientation and
   * effect() read them; a scene without them is upright with no effects.
   */
  spec?: { effects: readonly SceneEffect[] };
}

/** What the evaluator reads of an effect (stimuli's EffectSpec satisfies it). */
export interface SceneEffect {
  kind: string;
  degrees?: number;
}

/** Whether the scene is upside down: its last effect turns it by 180° (how the text-line sets flip lines). */
export function isSceneUpsideDown(scene: AnnotatedScene): boolean {
  const effects = scene.spec?.effects ?? [];
  const last = effects[effects.length - 1];
  return last?.kind === 'rotate' && Math.abs(last.degrees ?? 0) === 180;
}

/** The effect kinds a scene has, the final 180° turn left out (that is its orientation). */
export function sceneEffectKinds(scene: AnnotatedScene): Set<string> {
  const effects = scene.spec?.effects ?? [];
  const upsideDown = isSceneUpsideDown(scene);
  return new Set(effects.filter((_, i) => !(upsideDown && i === effects.length - 1)).map((e) => e.kind));
}

/** What the item-level operators (size, relations, counting, words, hue) need to know about an item. */
export interface SceneItem {
  index: number;
  kind: string;
  /** The item's name, lowercased, spaces collapsed (for a word item: its text). */
  name: string;
  /** The item's own concepts, lowercased. */
  concepts: ReadonlySet<string>;
  /** Indices of the pixels where this item is on top (from `itemMap`). */
  pixels: Int32Array;
  /** Visible pixels as a fraction of the image area. */
  areaFraction: number;
  /** Rows from the top to the bottom visible pixel, as a fraction of the image height (0 when hidden). */
  heightFraction: number;
  /** Centroid of the visible pixels, in pixels (pixel centres at +0.5); NaN when nothing is visible. */
  cx: number;
  cy: number;
}

/** Lowercase, trimmed, inner whitespace collapsed: how names are compared everywhere in this folder. */
export function normaliseName(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, ' ');
}

const itemCache = new WeakMap<AnnotatedScene, SceneItem[]>();

/**
 * The scene's items with their visible pixels, computed once per scene object. Geometry comes from
 * `itemMap` rather than the annotation's box and area because `itemMap` went through the same effects
 * (flip, rotate, occlude) as the masks, so item geometry and concept masks always agree.
 */
export function sceneItems(scene: AnnotatedScene): SceneItem[] {
  const cached = itemCache.get(scene);
  if (cached) return cached;
  checkScene(scene);
  const { width, height } = scene.image;
  const { items } = scene.annotation;
  const counts = new Int32Array(items.length);
  for (const value of scene.itemMap) if (value > 0 && value <= items.length) counts[value - 1]!++;
  const pixels = Array.from(counts, (count) => new Int32Array(count));
  const filled = new Int32Array(items.length);
  const sumX = new Float64Array(items.length);
  const sumY = new Float64Array(items.length);
  const top = new Int32Array(items.length).fill(height);
  const bottom = new Int32Array(items.length).fill(-1);
  for (let y = 0, p = 0; y < height; y++) {
    for (let x = 0; x < width; x++, p++) {
      const value = scene.itemMap[p]!;
      if (value === 0 || value > items.length) continue;
      const i = value - 1;
      pixels[i]![filled[i]!++] = p;
      sumX[i]! += x + 0.5;
      sumY[i]! += y + 0.5;
      if (y < top[i]!) top[i] = y;
      bottom[i] = y;
    }
  }
  const result = items.map((item, i): SceneItem => {
    const count = counts[i]!;
    return {
      index: i,
      kind: item.kind,
      name: normaliseName(item.name),
      concepts: new Set(item.concepts.map(normaliseName)),
      pixels: pixels[i]!,
      areaFraction: count / (width * height),
      heightFraction: count > 0 ? (bottom[i]! - top[i]! + 1) / height : 0,
      cx: count > 0 ? sumX[i]! / count : Number.NaN,
      cy: count > 0 ? sumY[i]! / count : Number.NaN,
    };
  });
  itemCache.set(scene, result);
  return result;
}

/**
 * Sizes must agree, or every later index would silently read the wrong pixel. Masks are checked where
 * they are read (sceneMask): a scene's masks may be derived only when asked for.
 */
export function checkScene(scene: AnnotatedScene): void {
  checkImageSize(scene);
  const { width, height } = scene.image;
  const size = width * height;
  if (scene.itemMap.length !== size) {
    throw new InputError(
      `scene itemMap has ${scene.itemMap.length} pixels but the image is ${width}×${height} (${size})`,
    );
  }
}

export function checkImageSize(scene: AnnotatedScene): void {
  const { width, height } = scene.image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new InputError(`scene image size must be positive integers, got ${width}×${height}`);
  }
}

/** A concept's mask in the scene (undefined when the scene has none), checked against the image size. */
export function sceneMask(scene: AnnotatedScene, name: string): Uint8Array | undefined {
  const mask = scene.masks.get(name);
  const size = scene.image.width * scene.image.height;
  if (mask && mask.length !== size) {
    throw new InputError(`scene mask '${name}' has ${mask.length} pixels but the image has ${size}`);
  }
  return mask;
}
