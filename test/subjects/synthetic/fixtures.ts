import type { AnnotatedScene } from '../../../subjects/synthetic/index.ts';

/** A hand-built item: an axis-aligned rectangle [x0, y0, x1) × [y0, y1) of pixels. */
export interface FixtureItem {
  kind?: 'object' | 'shape' | 'word';
  /** Object or shape name; for a word item, its text. */
  name: string;
  rect: [x0: number, y0: number, x1: number, y1: number];
  colour?: string;
  /** Concepts whose masks also cover the item but are not its own (ancestors such as 'animal'). */
  ancestors?: string[];
}

/**
 * A small AnnotatedScene built the way the renderer builds one: items painted in order (later ones on
 * top), each concept mask = the visible pixels of the items carrying it, the background concept on
 * the pixels no item covers, and word items in the 'text' mask.
 */
export function makeScene(
  items: FixtureItem[],
  options: { width?: number; height?: number; background?: string } = {},
): AnnotatedScene {
  const width = options.width ?? 16;
  const height = options.height ?? 16;
  const background = options.background ?? 'white';
  const itemMap = new Uint8Array(width * height);
  items.forEach((item, i) => {
    const [x0, y0, x1, y1] = item.rect;
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) itemMap[y * width + x] = i + 1;
  });
  const ownConcepts = items.map((item) =>
    item.kind === 'word'
      ? ['text', `word:${item.name.toLowerCase()}`]
      : [item.name, ...(item.colour ? [item.colour] : [])],
  );
  const masks = new Map<string, Uint8Array>();
  const mark = (name: string, p: number) => {
    let mask = masks.get(name);
    if (!mask) masks.set(name, (mask = new Uint8Array(width * height)));
    mask[p] = 1;
  };
  for (let p = 0; p < itemMap.length; p++) {
    const value = itemMap[p]!;
    if (value === 0) {
      mark(background, p);
      continue;
    }
    const item = items[value - 1]!;
    for (const concept of [...ownConcepts[value - 1]!, ...(item.ancestors ?? [])]) mark(concept, p);
  }
  return {
    image: { width, height },
    masks,
    itemMap,
    annotation: {
      background,
      items: items.map((item, i) => {
        const [x0, y0, x1, y1] = item.rect;
        let area = 0;
        for (const value of itemMap) if (value === i + 1) area++;
        return {
          index: i,
          kind: item.kind ?? 'object',
          name: item.name,
          concepts: ownConcepts[i]!,
          box: { x0, y0, x1, y1 },
          area,
        };
      }),
    },
  };
}

/** Indices of the pixels where a map is above 0, for exact comparisons with masks. */
export function onPixels(map: ArrayLike<number>): number[] {
  const on: number[] = [];
  for (let p = 0; p < map.length; p++) if (map[p]! > 0) on.push(p);
  return on;
}

/** The pixel indices of a rectangle in a width-wide image. */
export function rectPixels(width: number, [x0, y0, x1, y1]: [number, number, number, number]): number[] {
  const pixels: number[] = [];
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) pixels.push(y * width + x);
  return pixels;
}
