import { loadFont } from './font.ts';
import type { RelationType, Zone } from './phrase-lexicon.ts';

/**
 * Where the items of a parsed phrase go. Each item gets a preferred centre (from its position words,
 * its relation to another group, or an even share of the width) and a set of constraints; it is then
 * placed at the nearest point of a fine grid that satisfies its constraints and overlaps nothing
 * already placed. If some item cannot be placed, every size shrinks a little and the layout starts
 * over; only when shrinking fails are overlaps (and then constraints) given up. Deterministic for a
 * given seed, which only jitters the preferred centres.
 *
 * All geometry is in image fractions (x of width, y of height), like the scene spec.
 */

export interface LayoutGroup {
  kind: 'object' | 'shape' | 'word';
  /** One name per item (the text for words): count = names.length. */
  names: string[];
  /** Factor on the scene's default item size (size words: tiny 0.45 … huge 1.8). */
  sizeFactor: number;
  zone?: Zone;
  /** This group's place relative to an earlier-placed group (by index). */
  relation?: { type: RelationType; target: number };
  /** An exact size (fraction of image height), overriding the scene default and sizeFactor. */
  size?: number;
  /**
   * Already in the scene at this box (an existing item an added one is placed relative to): the
   * group is not placed and gets no placements.
   */
  fixed?: Box;
}

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface Placement {
  x: number;
  y: number;
  size: number;
}

export interface LayoutOptions {
  width: number;
  height: number;
  seed: number;
  /** Boxes already taken (items of a scene being added to). */
  obstacles?: Box[];
  /** Items already in the scene, counted when choosing the default size. */
  existingItems?: number;
}

const GAP = 0.02;
const GRID_STEPS = 64;
const MAX_SHRINKS = 12;
const SHRINK = 0.85;

/** Default item size (fraction of image height) for a scene of n items: fewer items, larger. */
export function defaultItemSize(n: number): number {
  if (n <= 1) return 0.5;
  if (n <= 2) return 0.38;
  if (n <= 4) return 0.3;
  if (n <= 6) return 0.24;
  if (n <= 9) return 0.2;
  if (n <= 16) return 0.15;
  return 0.11;
}

/**
 * Width ÷ height of an item's footprint in pixels. Sprites and shapes are square; a word is as wide
 * as its DejaVu Sans advance at a line height equal to its size (the same metric renderTextAlpha
 * uses), plus 10% so a bolder face still fits its slot.
 */
export function itemAspect(kind: LayoutGroup['kind'], name: string): number {
  if (kind !== 'word') return 1;
  const font = loadFont('sans');
  const lineHeight = 100;
  const fontSize = (lineHeight * font.unitsPerEm) / (font.ascender - font.descender);
  return (1.1 * font.getAdvanceWidth(name, fontSize)) / lineHeight;
}

/** Footprint of an item centred at (x, y), in image fractions. */
export function itemBox(
  kind: LayoutGroup['kind'],
  name: string,
  x: number,
  y: number,
  size: number,
  width: number,
  height: number,
): Box {
  const w = (size * itemAspect(kind, name) * height) / width;
  return { x0: x - w / 2, y0: y - size / 2, x1: x + w / 2, y1: y + size / 2 };
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Slot {
  group: number;
  index: number;
  /** Item width and height in image fractions. */
  w: number;
  h: number;
  size: number;
}

function intersects(a: Box, b: Box, gap: number): boolean {
  return a.x0 < b.x1 + gap && b.x0 < a.x1 + gap && a.y0 < b.y1 + gap && b.y0 < a.y1 + gap;
}

function union(boxes: Box[]): Box {
  return {
    x0: Math.min(...boxes.map((b) => b.x0)),
    y0: Math.min(...boxes.map((b) => b.y0)),
    x1: Math.max(...boxes.map((b) => b.x1)),
    y1: Math.max(...boxes.map((b) => b.y1)),
  };
}

/** Centre ranges for a zone: thirds, with the preferred point in the middle of each. */
function zoneAccepts(zone: Zone | undefined, x: number, y: number): boolean {
  if (!zone) return true;
  const h = zone.horizontal;
  const v = zone.vertical;
  if (h === 'left' && x > 0.4) return false;
  if (h === 'right' && x < 0.6) return false;
  if (h === 'centre' && Math.abs(x - 0.5) > 0.15) return false;
  if (v === 'top' && y > 0.4) return false;
  if (v === 'bottom' && y < 0.6) return false;
  if (v === 'centre' && Math.abs(y - 0.5) > 0.15) return false;
  return true;
}

/** The zone an item centre lies in, by the same thresholds zoneAccepts uses (describeSpec's inverse). */
export function zoneOf(x: number, y: number): Zone {
  const zone: Zone = {};
  if (x <= 0.4) zone.horizontal = 'left';
  else if (x >= 0.6) zone.horizontal = 'right';
  if (y <= 0.4) zone.vertical = 'top';
  else if (y >= 0.6) zone.vertical = 'bottom';
  return zone;
}

function zonePoint(zone: Zone): [number, number] {
  const x = zone.horizontal === 'left' ? 0.25 : zone.horizontal === 'right' ? 0.75 : 0.5;
  const y = zone.vertical === 'top' ? 0.25 : zone.vertical === 'bottom' ? 0.75 : 0.5;
  return [x, y];
}

function relationAccepts(type: RelationType, box: Box, target: Box): boolean {
  const cx = (box.x0 + box.x1) / 2;
  const cy = (box.y0 + box.y1) / 2;
  const w = box.x1 - box.x0;
  const h = box.y1 - box.y0;
  const tcx = (target.x0 + target.x1) / 2;
  const tcy = (target.y0 + target.y1) / 2;
  const tw = target.x1 - target.x0;
  const th = target.y1 - target.y0;
  const horizontallyNear = cx >= target.x0 - w && cx <= target.x1 + w;
  const verticallyNear = Math.abs(cy - tcy) <= (h + th) / 2;
  switch (type) {
    case 'above':
      return cy < tcy - (h + th) / 4 && horizontallyNear;
    case 'below':
      return cy > tcy + (h + th) / 4 && horizontallyNear;
    case 'beside':
      return (
        Math.abs(cy - tcy) <= (h + th) / 4 + GAP && Math.max(target.x0 - box.x1, box.x0 - target.x1) <= 0.25
      );
    case 'leftOf':
      return cx < tcx - (w + tw) / 4 && verticallyNear;
    case 'rightOf':
      return cx > tcx + (w + tw) / 4 && verticallyNear;
  }
}

function relationPoint(type: RelationType, slot: Slot, target: Box): [number, number] {
  const tcx = (target.x0 + target.x1) / 2;
  const tcy = (target.y0 + target.y1) / 2;
  switch (type) {
    case 'above':
      return [tcx, target.y0 - GAP - slot.h / 2];
    case 'below':
      return [tcx, target.y1 + GAP + slot.h / 2];
    case 'leftOf':
      return [target.x0 - GAP - slot.w / 2, tcy];
    case 'rightOf':
      return [target.x1 + GAP + slot.w / 2, tcy];
    case 'beside':
      // The side with more room.
      return tcx <= 0.5 ? [target.x1 + GAP + slot.w / 2, tcy] : [target.x0 - GAP - slot.w / 2, tcy];
  }
}

/** Groups in an order where every relation target comes before the groups related to it. */
function placementOrder(groups: LayoutGroup[]): number[] {
  const order: number[] = [];
  const visit = (g: number, depth: number) => {
    if (order.includes(g) || depth > groups.length) return;
    const target = groups[g]!.relation?.target;
    if (target !== undefined && groups[target]) visit(target, depth + 1);
    if (!order.includes(g)) order.push(g);
  };
  groups.forEach((_, g) => visit(g, 0));
  return order;
}

/**
 * Preferred anchors of groups placed by neither zone nor relation: side by side, each given a share
 * of the width proportional to its row of items.
 */
function freeAnchors(
  groups: LayoutGroup[],
  slots: Slot[][],
  jitter: () => number,
): Map<number, [number, number]> {
  const free = groups.map((g, i) => ({ g, i })).filter(({ g }) => !g.zone && !g.relation && !g.fixed);
  const rowWidth = (i: number) => slots[i]!.reduce((sum, s) => sum + s.w + GAP, 0);
  const total = free.reduce((sum, { i }) => sum + rowWidth(i), 0);
  const anchors = new Map<number, [number, number]>();
  let left = Math.max(0, (1 - total) / 2);
  const scale = total > 1 ? 1 / total : 1;
  for (const { i } of free) {
    const share = rowWidth(i) * scale;
    // A group with others stacked above it sits lower, and vice versa, to leave them room.
    const dependents = groups.filter((g) => g.relation?.target === i).map((g) => g.relation!.type);
    const y = dependents.includes('above') ? 0.62 : dependents.includes('below') ? 0.38 : 0.5;
    anchors.set(i, [left + share / 2 + jitter(), y + jitter()]);
    left += share;
  }
  return anchors;
}

type Mode = 'strict' | 'overlap' | 'free';

function attempt(
  groups: LayoutGroup[],
  slots: Slot[][],
  opts: LayoutOptions,
  mode: Mode,
): Placement[][] | undefined {
  const random = mulberry32((opts.seed ^ 0x5eed1a70) >>> 0);
  const jitter = () => (random() - 0.5) * 0.04;
  const anchors = freeAnchors(groups, slots, jitter);
  const placed: Box[] = [...(opts.obstacles ?? [])];
  const groupBoxes = new Map<number, Box>();
  const result: Placement[][] = groups.map(() => []);
  for (const g of placementOrder(groups)) {
    const group = groups[g]!;
    const groupSlots = slots[g]!;
    if (group.fixed) {
      groupBoxes.set(g, group.fixed);
      continue;
    }
    const target = group.relation ? groupBoxes.get(group.relation.target) : undefined;
    const first = groupSlots[0]!;
    let [ax, ay] = anchors.get(g) ?? [0.5, 0.5];
    if (group.zone) [ax, ay] = zonePoint(group.zone);
    if (group.relation && target) [ax, ay] = relationPoint(group.relation.type, first, target);
    if (group.zone || group.relation) {
      ax += jitter();
      ay += jitter();
    }
    const rowWidth = groupSlots.reduce((sum, s) => sum + s.w + GAP, -GAP);
    let cursor = ax - rowWidth / 2;
    const boxes: Box[] = [];
    for (const slot of groupSlots) {
      const px = cursor + slot.w / 2;
      cursor += slot.w + GAP;
      const spot = findSpot(slot, px, ay, (box) => {
        const cx = (box.x0 + box.x1) / 2;
        const cy = (box.y0 + box.y1) / 2;
        if (mode !== 'free') {
          if (!zoneAccepts(group.zone, cx, cy)) return false;
          if (group.relation && target && !relationAccepts(group.relation.type, box, target)) return false;
        }
        return mode !== 'strict' || !placed.some((other) => intersects(box, other, GAP));
      });
      if (!spot) return undefined;
      placed.push(spot);
      boxes.push(spot);
      result[g]!.push({ x: (spot.x0 + spot.x1) / 2, y: (spot.y0 + spot.y1) / 2, size: slot.size });
    }
    groupBoxes.set(g, union(boxes));
  }
  return result;
}

/**
 * The grid point nearest (px, py) whose box keeps the item inside the image and passes `accept`
 * (ties broken by x, then y). Searches rings of grid cells outward from the nearest cell and stops
 * once no farther ring can hold a nearer point, so a free spot near the preferred one is found in a
 * few checks rather than by sorting the whole grid.
 */
function findSpot(slot: Slot, px: number, py: number, accept: (box: Box) => boolean): Box | undefined {
  const xs = axisPoints(slot.w);
  const ys = axisPoints(slot.h);
  const stepX = xs.length > 1 ? xs[1]! - xs[0]! : 1;
  const stepY = ys.length > 1 ? ys[1]! - ys[0]! : 1;
  const nearest = (points: number[], v: number) => {
    let best = 0;
    for (let i = 1; i < points.length; i++)
      if (Math.abs(points[i]! - v) < Math.abs(points[best]! - v)) best = i;
    return best;
  };
  const ci = nearest(xs, px);
  const cj = nearest(ys, py);
  const minStep = Math.min(stepX, stepY);
  let best: [number, number, number] | undefined;
  const consider = (i: number, j: number) => {
    const x = xs[i]!;
    const y = ys[j]!;
    const d = (x - px) ** 2 + (y - py) ** 2;
    if (best && (d > best[0] || (d === best[0] && (x > best[1] || (x === best[1] && y >= best[2]))))) return;
    if (accept({ x0: x - slot.w / 2, y0: y - slot.h / 2, x1: x + slot.w / 2, y1: y + slot.h / 2 }))
      best = [d, x, y];
  };
  const maxRing = Math.max(xs.length, ys.length);
  for (let ring = 0; ring <= maxRing; ring++) {
    // Every cell of this ring is at least (ring − 1) steps from the preferred point.
    if (best && ((ring - 1) * minStep) ** 2 > best[0]) break;
    for (let i = ci - ring; i <= ci + ring; i++) {
      if (i < 0 || i >= xs.length) continue;
      const edge = i === ci - ring || i === ci + ring;
      for (let j = cj - ring; j <= cj + ring; j += edge ? 1 : 2 * ring) {
        if (j >= 0 && j < ys.length) consider(i, j);
        if (ring === 0) break;
      }
    }
  }
  if (!best) return undefined;
  const [, x, y] = best;
  return { x0: x - slot.w / 2, y0: y - slot.h / 2, x1: x + slot.w / 2, y1: y + slot.h / 2 };
}

/** Centre positions along one axis that keep an extent of `extent` inside 0..1. */
function axisPoints(extent: number): number[] {
  if (extent >= 1) return [0.5];
  const lo = extent / 2;
  const hi = 1 - extent / 2;
  const points: number[] = [];
  for (let i = 0; i <= GRID_STEPS; i++) points.push(lo + ((hi - lo) * i) / GRID_STEPS);
  return points;
}

/** Place every item of every group; returns one placement per name, in group order. */
export function layoutGroups(groups: LayoutGroup[], opts: LayoutOptions): Placement[][] {
  const total = groups.reduce((n, g) => n + (g.fixed ? 0 : g.names.length), 0) + (opts.existingItems ?? 0);
  const base = defaultItemSize(total);
  const aspectRatio = opts.height / opts.width;
  const makeSlots = (scale: number): Slot[][] =>
    groups.map((group, g) =>
      (group.fixed ? [] : group.names).map((name, index) => {
        const aspect = itemAspect(group.kind, name);
        let size = (group.size ?? Math.min(0.95, base * group.sizeFactor)) * scale;
        // A long word must still fit across the image.
        size = Math.min(size, 0.95 / (aspect * aspectRatio));
        size = Math.max(0.02, size);
        return { group: g, index, size, w: size * aspect * aspectRatio, h: size };
      }),
    );
  for (const mode of ['strict', 'overlap', 'free'] as const) {
    let scale = 1;
    for (let tries = 0; tries <= MAX_SHRINKS; tries++) {
      const result = attempt(groups, makeSlots(scale), opts, mode);
      if (result) return result;
      scale *= SHRINK;
    }
  }
  // 'free' mode accepts any in-image spot, so it always succeeds; this is for the type checker.
  throw new Error('layout failed');
}
