import { PROBE_WORDS } from '../../stimuli/probeset-specs.ts';
import type { ItemSpec, SceneSpec } from '../../stimuli/spec.ts';
import { conceptsOfKind, getConcept, membersOf } from '../../stimuli/vocabulary.ts';
import { createRandom, hash32, pick, type Random } from '../../util/random.ts';

/**
 * A seeded black-box search over scene specs for what drives a unit (search_stimuli, dissect's
 * escalation). Random probe scenes hold 1–4 items, so a unit on a rare conjunction (exactly two
 * cats, a bird above a tree, a boat on sand) may fire on none of thousands. The search samples
 * from distributions built to hold many conjunctions at once — dense grids of objects (a 4×4 grid
 * holds about a hundred ordered pairs one above the other), several copies of one object, two
 * objects in each relation, objects on scene backgrounds — and, once some scene moves the unit,
 * evolves the best scenes by small edits (add a copy, remove an item, move, resize, recolour, swap
 * the background), keeping the best. Everything is drawn from the seed, so a search repeats exactly.
 */

export interface ScoredSpec {
  spec: SceneSpec;
  activation: number;
}

/** What the search may draw from; `focus` concepts are drawn half the time when given. */
export interface SearchSpace {
  objects: readonly string[];
  shapes: readonly string[];
  colours: readonly string[];
  textures: readonly string[];
  backgrounds: readonly string[];
  words: readonly string[];
}

export const SCENE_BACKGROUNDS = [
  'sky', 'grass', 'sand', 'road', 'wood', 'snow', 'water', 'brick wall', 'beach',
] as const; // prettier-ignore

export const FULL_SPACE: SearchSpace = {
  objects: conceptsOfKind('object'),
  shapes: conceptsOfKind('shape'),
  colours: conceptsOfKind('colour'),
  textures: conceptsOfKind('texture'),
  backgrounds: [...SCENE_BACKGROUNDS, 'white', 'gray'],
  words: PROBE_WORDS,
};

export interface SearchOptions {
  seed: number;
  /** Scenes to evaluate in all (at least one batch). */
  budget: number;
  width: number;
  height: number;
  /** Concept names to favour (objects, shapes, colours, textures, backgrounds, words, categories). */
  focus?: readonly string[];
  /** Scenes to start the evolution from (e.g. the probe set's top exemplars). */
  start?: readonly SceneSpec[];
  /** How many of the best distinct scenes to return. */
  keep?: number;
  /** Stop drawing new batches after this many milliseconds (the call returns what it has). */
  timeLimitMs?: number;
  /** Stop drawing new batches once this aborts. */
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export interface SearchResult {
  best: ScoredSpec[];
  evaluated: number;
  /** The activation most scenes gave (median of the first batch): what "moving the unit" is against. */
  resting: number;
  /** Whether any scene moved the unit above its resting level. */
  moved: boolean;
  /** Why the search stopped before its budget, if it did. */
  stopped?: 'time' | 'aborted' | 'converged';
}

/** Scenes evaluated per step. */
export const SEARCH_BATCH = 48;
/** Batches of evolution without a better best scene after which the search ends before its budget. */
export const STALE_BATCHES = 6;
const ELITES = 8;

/** Scores a batch of specs (the unit's activation on each, in order). */
export type SpecScorer = (specs: readonly SceneSpec[]) => Promise<ArrayLike<number>>;

export async function searchScenes(score: SpecScorer, options: SearchOptions): Promise<SearchResult> {
  const random = createRandom(hash32(options.seed, 0x5ea7c4));
  const space = focusSpace(options.focus ?? []);
  const budget = Math.max(SEARCH_BATCH, Math.floor(options.budget));
  const seen = new Map<string, ScoredSpec>();
  let evaluated = 0;
  let resting = Number.NaN;
  const evaluate = async (specs: SceneSpec[]) => {
    const fresh = specs.filter((s) => !seen.has(specKey(s)));
    if (fresh.length === 0) return;
    const values = await score(fresh);
    fresh.forEach((spec, k) => seen.set(specKey(spec), { spec, activation: Number(values[k] ?? NaN) }));
    if (Number.isNaN(resting)) resting = median(Array.from(values, Number));
    evaluated += fresh.length;
    options.onProgress?.(Math.min(evaluated, budget), budget);
  };
  if (options.start?.length)
    await evaluate(options.start.map((s) => ({ ...s, width: options.width, height: options.height })));
  const moved = () => ranked().some((s) => s.activation > resting + movedMargin(resting));
  const ranked = () => [...seen.values()].sort((a, b) => b.activation - a.activation);
  // Until something moves the unit, two thirds of each batch come from the sweep (every pair of
  // objects side by side and one above the other), the rest from the random mixture (counts, sizes,
  // places, colours the sweep does not draw).
  const sweep = sweepSpecs(
    space.focus.objects.length > 0 ? space.focus.objects : space.objects,
    options.seed,
  );
  let swept = 0;
  const started = Date.now();
  let stopped: SearchResult['stopped'];
  let stale = 0;
  let lastBatchMs = 0;
  while (evaluated < budget) {
    if (options.signal?.aborted) {
      stopped = 'aborted';
      break;
    }
    // A batch takes about as long as the last one: stop before one that would end past the limit.
    if (options.timeLimitMs !== undefined && Date.now() - started + lastBatchMs > options.timeLimitMs) {
      stopped = 'time';
      break;
    }
    const batch: SceneSpec[] = [];
    const isMoved = moved();
    const exploit = isMoved && random() < 0.75;
    const elites = ranked().slice(0, ELITES);
    for (let k = 0; k < SEARCH_BATCH; k++) {
      const fromSweep = !isMoved && swept < sweep.length && k < (SEARCH_BATCH * 2) / 3;
      const spec = fromSweep
        ? (sweep[swept++] as SceneSpec)
        : exploit && elites.length > 0
          ? mutate(
              random,
              pick(random, elites).spec,
              space,
              random() < 0.3 ? pick(random, elites).spec : undefined,
            )
          : randomSearchSpec(random, space);
      batch.push({ ...spec, width: options.width, height: options.height, seed: Math.floor(random() * 1e6) });
    }
    const before = evaluated;
    const batchStarted = Date.now();
    const bestBefore = ranked()[0]?.activation ?? -Infinity;
    await evaluate(batch);
    lastBatchMs = Date.now() - batchStarted;
    if (evaluated === before) break;
    // Once the unit moves, the evolution only refines the best scene: stop when it has stopped improving.
    if (isMoved) stale = (ranked()[0]?.activation ?? -Infinity) > bestBefore ? 0 : stale + 1;
    if (stale >= STALE_BATCHES) {
      stopped = 'converged';
      break;
    }
  }
  const best: ScoredSpec[] = [];
  for (const scored of ranked()) {
    if (best.length >= (options.keep ?? 6)) break;
    best.push(scored);
  }
  return { best, evaluated, resting, moved: moved(), ...(stopped ? { stopped } : {}) };
}

/** Objects per column (or row) of a sweep scene: 16 items, each about a tenth of the image. */
export const SWEEP_BLOCK = 8;

/**
 * Scenes that together hold every pair of the given objects in every relation: the objects, in two
 * seeded orders, are cut into blocks of SWEEP_BLOCK; for each pair of blocks, one block fills the
 * left column and the other the right column (every item of the first is left_of every item of the
 * second: the columns are further apart than any two rows), then the same with rows (above), then
 * both again with the blocks swapped, and each block against itself reversed across the other axis
 * (for the pairs within a block). Before them come scenes of 2, 3, 4 and 5 copies of each object
 * (a few objects a scene), for units on a count. 222 objects make 203 + 4 × 378 + 2 × 28 scenes; a unit on a rare pair or
 * relation of two objects, which random scenes of 1–4 items almost never hold, fires on at least one
 * of them. Backgrounds cycle over the scene backgrounds and white. Items are plain (no colour).
 */
export function sweepSpecs(objects: readonly string[], seed: number): SceneSpec[] {
  const blocksOf = (salt: number) => {
    const random = createRandom(hash32(seed, salt));
    const order = [...objects];
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j] as string, order[i] as string];
    }
    const blocks: string[][] = [];
    for (let i = 0; i < order.length; i += SWEEP_BLOCK) blocks.push(order.slice(i, i + SWEEP_BLOCK));
    return blocks;
  };
  const columns = blocksOf(0xc01);
  const rows = blocksOf(0x4e0);
  const backgrounds = [...SCENE_BACKGROUNDS, 'white'];
  const out: SceneSpec[] = [];
  const place = (a: readonly string[], b: readonly string[], vertical: boolean) => {
    const line = (names: readonly string[], across: number): ItemSpec[] =>
      names.map((name, r) => {
        const along = 0.1 + (r * 0.8) / Math.max(1, SWEEP_BLOCK - 1);
        return {
          kind: 'object', name, size: 0.1, rotation: 0, flip: false,
          x: vertical ? along : across, y: vertical ? across : along,
        }; // prettier-ignore
      });
    const items = [...line(a, 0.08), ...line(b, 0.92)];
    const background = backgrounds[out.length % backgrounds.length] as string;
    out.push({ width: 224, height: 224, background, items, effects: [], seed: 0 });
  };
  // Copies first (cheap: few scenes, 16 items each): k copies of each of a few objects, so a unit on
  // exactly k of one thing (k = 2..5) fires on one of them; random scenes almost never hold k copies.
  for (const k of [2, 3, 4, 5]) {
    const per = Math.floor((2 * SWEEP_BLOCK) / k);
    for (let i = 0; i < columns.length * SWEEP_BLOCK; i += per) {
      const names = columns.flat().slice(i, i + per);
      if (names.length === 0) break;
      const cols = Math.ceil(Math.sqrt(names.length * k));
      const items = gridLayout(
        names.flatMap((name) => Array.from({ length: k }, () => ({ kind: 'object' as const, name, x: 0, y: 0, size: 0.9 / cols, rotation: 0, flip: false }))),
        cols,
        Math.ceil((names.length * k) / cols),
      ); // prettier-ignore
      const background = backgrounds[out.length % backgrounds.length] as string;
      out.push({ width: 224, height: 224, background, items, effects: [], seed: 0 });
    }
  }
  for (const swap of [false, true]) {
    for (const [blocks, vertical] of [
      [columns, false],
      [rows, true],
    ] as const) {
      for (let i = 0; i < blocks.length; i++) {
        for (let j = i + 1; j < blocks.length; j++) {
          const [a, b] = swap ? [blocks[j], blocks[i]] : [blocks[i], blocks[j]];
          place(a as string[], b as string[], vertical);
        }
      }
    }
  }
  // Pairs within one block stand in one column (or row) only: each block also gets a scene of its
  // own across the other axis, forwards in one line and backwards in the other.
  for (const [blocks, vertical] of [
    [columns, true],
    [rows, false],
  ] as const) {
    for (const block of blocks) place(block, [...block].reverse(), vertical);
  }
  return out;
}

/** A margin above the resting level that counts as moving the unit (not float noise). */
export function movedMargin(resting: number): number {
  return 1e-3 * Math.max(1, Math.abs(resting));
}

/** The search space with focus concepts expanded to what can be drawn, drawn half the time. */
export function focusSpace(focus: readonly string[]): SearchSpace & { focus: SearchSpace } {
  const f: { [K in keyof SearchSpace]: string[] } = {
    objects: [], shapes: [], colours: [], textures: [], backgrounds: [], words: [],
  }; // prettier-ignore
  for (const name of focus) {
    const concept = getConcept(name);
    if (!concept) {
      if (name.startsWith('word:')) f.words.push(name.slice(5));
      continue;
    }
    switch (concept.kind) {
      case 'object':
        f.objects.push(concept.name);
        break;
      case 'shape':
        f.shapes.push(concept.name);
        break;
      case 'colour':
        f.colours.push(concept.name);
        break;
      case 'texture':
        f.textures.push(concept.name);
        break;
      case 'background':
        f.backgrounds.push(concept.name);
        break;
      case 'category':
        f.objects.push(...membersOf(concept.name, 'object'));
        f.shapes.push(...membersOf(concept.name, 'shape'));
        break;
      case 'word':
        f.words.push('exit');
        break;
    }
  }
  return { ...FULL_SPACE, focus: f };
}

function draw(random: Random, space: SearchSpace & { focus?: SearchSpace }, key: keyof SearchSpace): string {
  const focused = space.focus?.[key] ?? [];
  if (focused.length > 0 && random() < 0.5) return pick(random, focused);
  return pick(random, space[key]);
}

function item(random: Random, space: SearchSpace, kind?: ItemSpec['kind']): ItemSpec {
  const r = random();
  const k = kind ?? (r < 0.75 ? 'object' : r < 0.92 ? 'shape' : 'word');
  const name = draw(random, space, k === 'object' ? 'objects' : k === 'shape' ? 'shapes' : 'words');
  const out: ItemSpec = { kind: k, name, x: 0.5, y: 0.5, size: 0.3, rotation: 0, flip: false };
  const colourChance = k === 'object' ? 0.2 : 0.85;
  if (random() < colourChance) out.colour = draw(random, space, 'colours');
  if (k !== 'word' && random() < 0.12) out.texture = draw(random, space, 'textures');
  return out;
}

function background(random: Random, space: SearchSpace): string {
  return random() < 0.6 ? draw(random, space, 'backgrounds') : draw(random, space, 'colours');
}

/** Items laid out on a cols × rows grid (cell centres), each a little smaller than its cell. */
export function gridLayout(items: readonly ItemSpec[], cols: number, rows: number): ItemSpec[] {
  const cell = Math.min(1 / cols, 1 / rows);
  return items.map((it, i) => ({
    ...it,
    x: ((i % cols) + 0.5) / cols,
    y: (Math.floor(i / cols) + 0.5) / rows,
    size: Math.min(it.size, cell * 0.85),
  }));
}

/**
 * One scene from the search's mixture: a dense grid (35%), several copies of one item (25%), two
 * items in a relation (20%), or a few items anywhere (20%), on a random background.
 */
export function randomSearchSpec(random: Random, space: SearchSpace): SceneSpec {
  const r = random();
  let items: ItemSpec[];
  if (r < 0.35) {
    const side = random() < 0.5 ? 3 : 4;
    const cells: ItemSpec[] = [];
    for (let i = 0; i < side * side; i++) {
      // Some cells repeat an earlier item, so grids also hold counts of one thing.
      cells.push(
        i > 0 && random() < 0.15 ? { ...pick(random, cells) } : { ...item(random, space), size: 0.9 / side },
      );
    }
    items = gridLayout(cells, side, side);
  } else if (r < 0.6) {
    const one = item(random, space, 'object');
    const count = 1 + Math.floor(random() * 5);
    const cols = count <= 3 ? count : 3;
    items = gridLayout(
      Array.from({ length: count }, () => ({ ...one, size: 0.28 })),
      cols,
      Math.ceil(count / cols),
    );
  } else if (r < 0.8) {
    const a = { ...item(random, space, 'object'), size: 0.3 };
    const b = { ...item(random, space, 'object'), size: 0.3 };
    items = relationPair(a, b, pick(random, ['above', 'below', 'left_of', 'right_of'] as const));
  } else {
    const n = 1 + Math.floor(random() * 4);
    items = Array.from({ length: n }, () => ({
      ...item(random, space),
      x: 0.15 + random() * 0.7,
      y: 0.15 + random() * 0.7,
      size: 0.2 + random() * 0.3,
    }));
  }
  return { width: 224, height: 224, background: background(random, space), items, effects: [], seed: 0 };
}

/** Two items placed so that `a` is in the relation to `b` (centres apart by a third of the image). */
export function relationPair(
  a: ItemSpec,
  b: ItemSpec,
  relation: 'above' | 'below' | 'left_of' | 'right_of',
): ItemSpec[] {
  const at = (it: ItemSpec, x: number, y: number): ItemSpec => ({ ...it, x, y });
  switch (relation) {
    case 'above':
      return [at(a, 0.5, 0.25), at(b, 0.5, 0.72)];
    case 'below':
      return [at(a, 0.5, 0.72), at(b, 0.5, 0.25)];
    case 'left_of':
      return [at(a, 0.25, 0.5), at(b, 0.72, 0.5)];
    case 'right_of':
      return [at(a, 0.72, 0.5), at(b, 0.25, 0.5)];
  }
}

/** One small edit of a scene (or a cross with `other`: the items of both, on one background). */
export function mutate(random: Random, spec: SceneSpec, space: SearchSpace, other?: SceneSpec): SceneSpec {
  const items = spec.items.map((it) => ({ ...it }));
  if (other && other.items.length > 0 && items.length < 12) {
    const extra = pick(random, other.items);
    items.push({ ...extra, x: 0.1 + random() * 0.8, y: 0.1 + random() * 0.8 });
    return { ...spec, items };
  }
  const r = random();
  const index = Math.floor(random() * Math.max(1, items.length));
  const target = items[index];
  if (r < 0.18 && target && items.length < 16) {
    // A copy: counts.
    items.push({ ...target, x: 0.1 + random() * 0.8, y: 0.1 + random() * 0.8 });
  } else if (r < 0.34 && items.length > 1) {
    items.splice(index, 1);
  } else if (r < 0.48 && target) {
    items[index] = { ...target, x: 0.1 + random() * 0.8, y: 0.1 + random() * 0.8 };
  } else if (r < 0.6 && target) {
    items[index] = {
      ...target,
      size: Math.min(0.9, Math.max(0.05, target.size * (random() < 0.5 ? 0.6 : 1.6))),
    };
  } else if (r < 0.72) {
    return { ...spec, items, background: background(random, space) };
  } else if (r < 0.82 && target) {
    const { colour: _colour, ...rest } = target;
    items[index] = random() < 0.3 ? rest : { ...target, colour: draw(random, space, 'colours') };
  } else if (r < 0.92 && target) {
    items[index] = { ...item(random, space), x: target.x, y: target.y, size: target.size };
  } else if (items.length < 16) {
    items.push({ ...item(random, space), x: 0.1 + random() * 0.8, y: 0.1 + random() * 0.8, size: 0.25 });
  }
  return { ...spec, items };
}

/** What a scene holds, for listing the search's results: background and items in words. */
export function specContents(spec: SceneSpec): string {
  const counts = new Map<string, number>();
  for (const it of spec.items) {
    const name = [it.colour, it.texture, it.kind === 'word' ? `word "${it.name}"` : it.name]
      .filter(Boolean)
      .join(' ');
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const things = [...counts].map(([name, n]) => (n > 1 ? `${n}× ${name}` : name));
  return `${things.join(', ') || 'nothing'} on ${spec.background}`;
}

function specKey(spec: SceneSpec): string {
  return JSON.stringify([spec.background, spec.items, spec.effects]);
}

function median(values: number[]): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
