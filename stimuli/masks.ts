/**
 * Masks from labels. A rendered scene keeps one label per pixel (which background region, item or
 * occluder owns it) and, per label, the concepts true there (ancestors included). Every concept mask
 * is then a lookup: mask[p] = 1 iff the concept is among labelConcepts[labels[p]]. Storing labels
 * instead of masks is what keeps probe sets small; masks are re-derived exactly on load.
 */
import type { PixelBox } from './compose.ts';

/** Every concept of any label, in first-seen order (the order masks and annotations use). */
export function conceptsOfLabels(labelConcepts: readonly (readonly string[])[]): string[] {
  const seen = new Set<string>();
  for (const concepts of labelConcepts) for (const c of concepts) seen.add(c);
  return [...seen];
}

/**
 * Call `visit(label, start, end)` for every run of equal labels ([start, end) in pixel indices).
 * Label maps are mostly long runs, so per-run work (a native fill) is far cheaper than per-pixel work.
 */
function forEachRun(labels: Uint8Array, visit: (label: number, start: number, end: number) => void): void {
  const n = labels.length;
  let start = 0;
  while (start < n) {
    const label = labels[start]!;
    let end = start + 1;
    while (end < n && labels[end] === label) end++;
    visit(label, start, end);
    start = end;
  }
}

/** The 0/1 mask of one concept. */
export function conceptMask(
  labels: Uint8Array,
  labelConcepts: readonly (readonly string[])[],
  concept: string,
): Uint8Array {
  const has = labelConcepts.map((concepts) => concepts.includes(concept));
  const mask = new Uint8Array(labels.length);
  forEachRun(labels, (label, start, end) => {
    if (has[label] === true) mask.fill(1, start, end);
  });
  return mask;
}

/** Every concept's 0/1 mask. */
export function deriveMasks(
  labels: Uint8Array,
  labelConcepts: readonly (readonly string[])[],
): Map<string, Uint8Array> {
  const masks = new Map<string, Uint8Array>();
  for (const concept of conceptsOfLabels(labelConcepts)) masks.set(concept, new Uint8Array(labels.length));
  const targets = labelConcepts.map((concepts) => concepts.map((c) => masks.get(c)!));
  forEachRun(labels, (label, start, end) => {
    for (const mask of targets[label] ?? []) mask.fill(1, start, end);
  });
  return masks;
}

/**
 * A scene's concept masks as a Map that derives each mask from the label map the first time it is
 * read. Most readers need one or two concepts of a scene's twenty-odd (a synthetic unit's formula, a
 * formula scorer), so a probe-set pass that would derive every mask of a thousand scenes derives only
 * those. Iterating, or asking for the size, derives the rest; the order is always deriveMasks' order.
 */
export class LabelMasks extends Map<string, Uint8Array> {
  private readonly order: string[];
  private readonly pending: Set<string>;
  private decoded: Uint8Array | undefined;

  /** `labels` may be a function: the label map is then decoded only when a mask is first read. */
  constructor(
    private readonly labelConcepts: readonly (readonly string[])[],
    private readonly labelSource: Uint8Array | (() => Uint8Array),
  ) {
    super();
    this.order = conceptsOfLabels(labelConcepts);
    this.pending = new Set(this.order);
  }

  private get labels(): Uint8Array {
    const source = this.labelSource;
    return (this.decoded ??= typeof source === 'function' ? source() : source);
  }

  override get(name: string): Uint8Array | undefined {
    if (this.pending.delete(name)) super.set(name, conceptMask(this.labels, this.labelConcepts, name));
    return super.get(name);
  }

  override has(name: string): boolean {
    return this.pending.has(name) || super.has(name);
  }

  override set(name: string, mask: Uint8Array): this {
    this.pending.delete(name);
    return super.set(name, mask);
  }

  override delete(name: string): boolean {
    const wasPending = this.pending.delete(name);
    return super.delete(name) || wasPending;
  }

  override clear(): void {
    this.pending.clear();
    super.clear();
  }

  override get size(): number {
    return super.size + this.pending.size;
  }

  override entries(): MapIterator<[string, Uint8Array]> {
    this.deriveAll();
    return super.entries();
  }

  override keys(): MapIterator<string> {
    this.deriveAll();
    return super.keys();
  }

  override values(): MapIterator<Uint8Array> {
    this.deriveAll();
    return super.values();
  }

  override forEach(visit: (mask: Uint8Array, name: string, map: Map<string, Uint8Array>) => void): void {
    this.deriveAll();
    super.forEach(visit);
  }

  override [Symbol.iterator](): MapIterator<[string, Uint8Array]> {
    return this.entries();
  }

  /** Derive what is still pending (in one pass over the label runs) and restore deriveMasks' order. */
  private deriveAll(): void {
    if (this.pending.size === 0) return;
    const derived = deriveMasks(this.labels, this.labelConcepts);
    const kept = new Map(super.entries());
    const pending = new Set(this.pending);
    this.pending.clear();
    super.clear();
    for (const name of this.order) {
      const mask = kept.get(name) ?? (pending.has(name) ? derived.get(name) : undefined);
      if (mask) super.set(name, mask);
    }
    for (const [name, mask] of kept) if (!super.has(name)) super.set(name, mask);
  }
}

/** itemMap from labels: 0 background, i+1 item i, OCCLUDED_ITEM for occluders. */
export function deriveItemMap(labels: Uint8Array, labelItem: number[]): Uint8Array {
  const itemMap = new Uint8Array(labels.length);
  forEachRun(labels, (label, start, end) => {
    const item = labelItem[label] ?? 0;
    if (item !== 0) itemMap.fill(item, start, end);
  });
  return itemMap;
}

export interface LabelStats {
  /** Pixel count per label. */
  area: number[];
  /** Bounding box per label, null when absent. */
  box: (PixelBox | null)[];
}

/** Area and bounding box of every label in one pass (concept stats are unions of these). */
export function labelStats(labels: Uint8Array, width: number, labelCount: number): LabelStats {
  const area = new Int32Array(256);
  const x0 = new Int32Array(256).fill(width);
  const y0 = new Int32Array(256).fill(2 ** 30);
  const x1 = new Int32Array(256);
  const y1 = new Int32Array(256);
  const height = labels.length / width;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    // Runs of one label are long, so handle a run at a time.
    let x = 0;
    while (x < width) {
      const l = labels[row + x]!;
      let end = x + 1;
      while (end < width && labels[row + end] === l) end++;
      area[l]! += end - x;
      if (x < x0[l]!) x0[l] = x;
      if (end > x1[l]!) x1[l] = end;
      if (y < y0[l]!) y0[l] = y;
      y1[l] = y + 1;
      x = end;
    }
  }
  const areas: number[] = [];
  const box: (PixelBox | null)[] = [];
  for (let l = 0; l < labelCount; l++) {
    areas.push(area[l]!);
    box.push(area[l] === 0 ? null : { x0: x0[l]!, y0: y0[l]!, x1: x1[l]!, y1: y1[l]! });
  }
  return { area: areas, box };
}

export function unionBox(a: PixelBox | null, b: PixelBox | null): PixelBox | null {
  if (a === null) return b;
  if (b === null) return a;
  return {
    x0: Math.min(a.x0, b.x0),
    y0: Math.min(a.y0, b.y0),
    x1: Math.max(a.x1, b.x1),
    y1: Math.max(a.y1, b.y1),
  };
}
