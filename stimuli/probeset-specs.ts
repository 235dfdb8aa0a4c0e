/**
 * The probe-set distribution: seeded scene specs over the whole vocabulary, with co-occurrence
 * controlled so that OR and AND units are identifiable. Documented in docs/probe-sets.md; change
 * PROBESET_GENERATOR_VERSION whenever the distribution changes (it is part of the cache key).
 *
 * Two kinds of scene:
 * - random (1 − PAIR_FRACTION = 60%): background, 1–4 items, each concept drawn independently;
 * - pair (PAIR_FRACTION = 40%): a pair (A, B) from PROBE_PAIRS (MAIA's AND/OR pairs through the mapping)
 *   is shown together (half of pair scenes), A without B (a quarter) or B without A (a quarter);
 *   "without" is enforced: no filler item or background brings the absent concept, even as an ancestor.
 */
import { backgroundRegionConcepts } from './backgrounds.ts';
import { maiaConceptMapping } from './maia-mapping.ts';
import { createRandom, hash32, pick, uniform, type Random } from '../util/random.ts';
import type { EffectSpec, ItemSpec, SceneSpec } from './spec.ts';
import { ancestors, conceptsOfKind, getConcept, membersOf, TEXT_CONCEPT_NAME } from './vocabulary.ts';
import { itemOwnConcepts } from './render.ts';

export const PROBESET_GENERATOR_VERSION = 2;
export const PAIR_FRACTION = 0.4;
const EFFECT_FRACTION = 0.08;

const round3 = (x: number) => Math.round(x * 1000) / 1000;

const OBJECTS = conceptsOfKind('object');
const SHAPES = conceptsOfKind('shape');
const COLOURS = conceptsOfKind('colour');
const TEXTURES = conceptsOfKind('texture');
const SCENE_BACKGROUNDS = conceptsOfKind('background').filter((b) => !COLOURS.includes(b));

/** Words drawn as text items: common sign and label words, some of them concept names. */
export const PROBE_WORDS = [
  'hello', 'stop', 'open', 'sale', 'exit', 'love', 'yes', 'no', 'cafe', 'hotel', 'park', 'music',
  'news', 'play', 'taxi', 'book', 'dog', 'cat', 'car', 'tree', 'bird', 'fish', 'red', 'blue', 'water',
  'fire', 'sky', 'home', 'go', 'sun',
]; // prettier-ignore

/** MAIA's OR and AND pairs, mapped to our concepts (pairs whose concepts cannot be depicted are left out). */
export const PROBE_PAIRS: [string, string][] = [
  ['people', 'building'], ['shoe', 'boat'], ['window', 'wheel'], ['truck', 'train'], ['hand', 'ear'],
  ['temple', 'playground'], ['baby', 'dog'], ['necklace', 'flower'], ['dog', 'horse'], ['dog', 'car'],
  ['cup', 'road'], ['blue', 'yellow'], ['fire', 'fur'], ['sink', 'pool'], ['dog', 'bird'],
  ['train', 'instrument'], ['red', 'purple'], ['people', 'wood'],
  ['building', 'sky'], ['cup', 'handle'], ['horse', 'grass'], ['grass', 'dog'], ['red', 'orange'],
  ['water', 'blue'], ['dog', 'leash'], ['snow', 'road'], ['fish', 'water'], ['sky', 'bird'],
  ['beach', 'people'], ['fence', 'animal'], ['instrument', 'hand'], ['skyline', 'water'],
  ['tent', 'mountain'], ['bird', 'tree'], ['ball', 'hand'], ['bridge', 'sky'], ['suit', 'tie'],
  ['wheel', 'racecar'],
]
  .map(([a = '', b = '']) => [maiaConceptMapping[a]?.concept ?? null, maiaConceptMapping[b]?.concept ?? null])
  .filter((pair): pair is [string, string] => pair[0] !== null && pair[1] !== null); // prettier-ignore

function closure(concepts: string[]): Set<string> {
  const out = new Set<string>();
  for (const c of concepts) {
    out.add(c);
    for (const a of ancestors(c)) out.add(a);
  }
  return out;
}

function backgroundClosure(name: string): Set<string> {
  return closure(backgroundRegionConcepts(name).flat());
}

const intersects = (set: Set<string>, avoid: readonly string[]) => avoid.some((c) => set.has(c));

interface Draft {
  background?: string;
  items: ItemSpec[];
}

function baseItem(kind: ItemSpec['kind'], name: string): ItemSpec {
  return { kind, name, x: 0.5, y: 0.5, size: 0.3, rotation: 0, flip: false };
}

/**
 * An item that would vanish into the background: filled with the plain background colour (shapes
 * and words are black when uncoloured) or textured with the background's own texture. Its mask would
 * claim pixels a viewer cannot see, so the generator never makes one.
 */
export function camouflaged(item: ItemSpec, background: string | undefined): boolean {
  if (background === undefined) return false;
  const fill = item.colour ?? (item.kind !== 'object' && item.texture === undefined ? 'black' : undefined);
  return fill === background || item.texture === background;
}

/** A random item (kind, name, colour, texture) that brings none of `avoid`; null if none found. */
function randomItem(rng: Random, avoid: readonly string[], background?: string): ItemSpec | null {
  for (let attempt = 0; attempt < 30; attempt++) {
    const r = rng();
    const kind: ItemSpec['kind'] = r < 0.62 ? 'object' : r < 0.9 ? 'shape' : 'word';
    const item = baseItem(
      kind,
      kind === 'object' ? pick(rng, OBJECTS) : kind === 'shape' ? pick(rng, SHAPES) : pick(rng, PROBE_WORDS),
    );
    const colourChance = kind === 'object' ? 0.25 : kind === 'shape' ? 0.9 : 0.8;
    const textureChance = kind === 'object' ? 0.1 : kind === 'shape' ? 0.35 : 0;
    if (rng() < colourChance) item.colour = pick(rng, COLOURS);
    if (rng() < textureChance) item.texture = pick(rng, TEXTURES);
    if (!intersects(closure(itemOwnConcepts(item)), avoid) && !camouflaged(item, background)) return item;
  }
  return null;
}

/** A random non-word item kind to carry a colour or texture concept. */
function carrier(rng: Random, avoid: readonly string[]): ItemSpec {
  for (let attempt = 0; attempt < 30; attempt++) {
    const item = rng() < 0.5 ? baseItem('shape', pick(rng, SHAPES)) : baseItem('object', pick(rng, OBJECTS));
    if (!intersects(closure([item.name]), avoid)) return item;
  }
  return baseItem('shape', 'circle');
}

/**
 * Add `concept` to the draft in one of the roles it can play (background, object, shape, colour,
 * texture, word, or a member of a category), without bringing any of `avoid`. False if impossible.
 */
function realise(rng: Random, draft: Draft, concept: string, avoid: readonly string[]): boolean {
  const c = getConcept(concept);
  if (!c) return false;
  const roles = c.roles;
  const canBackground = roles.includes('background') && draft.background === undefined;
  const itemRoles = roles.filter((r) => r !== 'background' && r !== 'category');
  if (canBackground && (itemRoles.length === 0 || rng() < 0.5)) {
    if (intersects(backgroundClosure(concept), avoid)) return false;
    draft.background = concept;
    return true;
  }
  const role = itemRoles.length > 0 ? pick(rng, itemRoles) : c.kind;
  let item: ItemSpec;
  if (role === 'object') item = baseItem('object', concept);
  else if (role === 'shape') item = baseItem('shape', concept);
  else if (role === 'word') item = baseItem('word', pick(rng, PROBE_WORDS));
  else if (role === 'colour') item = { ...carrier(rng, avoid), colour: concept };
  else if (role === 'texture') item = { ...carrier(rng, avoid), texture: concept };
  else if (role === 'category') {
    const members = membersOf(concept, 'object').filter((m) => !intersects(closure([m]), avoid));
    if (members.length === 0) return false;
    item = baseItem('object', pick(rng, members));
  } else return false;
  if (concept === TEXT_CONCEPT_NAME) item.colour = pick(rng, COLOURS);
  if (intersects(closure(itemOwnConcepts(item)), avoid)) return false;
  draft.items.push(item);
  return true;
}

/** Sizes, positions, rotations: spread items out so most stay visible (later items may overlap). */
function place(rng: Random, items: ItemSpec[]): ItemSpec[] {
  const boxes: { x0: number; y0: number; x1: number; y1: number }[] = [];
  return items.map((item) => {
    const size = item.kind === 'word' ? uniform(rng, 0.1, 0.17) : uniform(rng, 0.22, 0.5);
    const halfW =
      item.kind === 'word' ? Math.min(0.5, size * 0.35 * Math.max(2, item.name.length)) : size / 2;
    let best = { x: 0.5, y: 0.5, overlap: Infinity };
    for (let attempt = 0; attempt < 12 && best.overlap > 0; attempt++) {
      const x = uniform(rng, Math.min(0.5, halfW), Math.max(0.5, 1 - halfW));
      const y = uniform(rng, size / 2, 1 - size / 2);
      const box = { x0: x - halfW, y0: y - size / 2, x1: x + halfW, y1: y + size / 2 };
      let overlap = 0;
      for (const b of boxes)
        overlap +=
          Math.max(0, Math.min(b.x1, box.x1) - Math.max(b.x0, box.x0)) *
          Math.max(0, Math.min(b.y1, box.y1) - Math.max(b.y0, box.y0));
      if (overlap < best.overlap) best = { x, y, overlap };
    }
    boxes.push({ x0: best.x - halfW, y0: best.y - size / 2, x1: best.x + halfW, y1: best.y + size / 2 });
    return {
      ...item,
      x: round3(best.x),
      y: round3(best.y),
      size: round3(size),
      rotation: rng() < 0.3 ? Math.round(uniform(rng, -30, 30)) : 0,
      flip: item.kind === 'object' && rng() < 0.5,
    };
  });
}

function randomEffect(rng: Random): EffectSpec {
  const r = rng();
  if (r < 0.4) return { kind: 'noise', amount: round3(uniform(rng, 0.04, 0.15)) };
  if (r < 0.7) return { kind: 'blur', sigma: round3(uniform(rng, 0.5, 1.5)) };
  const w = uniform(rng, 0.15, 0.3);
  const h = uniform(rng, 0.15, 0.3);
  const x0 = uniform(rng, 0, 1 - w);
  const y0 = uniform(rng, 0, 1 - h);
  return {
    kind: 'occlude',
    region: { x0: round3(x0), y0: round3(y0), x1: round3(x0 + w), y1: round3(y0 + h) },
    colour: 'gray',
  };
}

function randomCount(rng: Random): number {
  const r = rng();
  return r < 0.3 ? 1 : r < 0.6 ? 2 : r < 0.85 ? 3 : 4;
}

/** Scene i of a probe set: independent of the other scenes, so any range can be generated alone. */
export function probeSceneSpec(seed: number, index: number, size: number, height = size): SceneSpec {
  const sceneSeed = hash32(seed, index, 0x70726f62);
  const rng = createRandom(sceneSeed);
  const draft: Draft = { items: [] };
  let avoid: string[] = [];
  if (rng() < PAIR_FRACTION && PROBE_PAIRS.length > 0) {
    const [a, b] = pick(rng, PROBE_PAIRS);
    const v = rng();
    const present = v < 0.5 ? [a, b] : v < 0.75 ? [a] : [b];
    avoid = v < 0.5 ? [] : v < 0.75 ? [b] : [a];
    for (const concept of present) realise(rng, draft, concept, avoid);
  }
  const fillers = Math.max(0, randomCount(rng) - draft.items.length);
  for (let i = 0; i < fillers && draft.items.length < 4; i++) {
    const item = randomItem(rng, avoid, draft.background);
    if (item) draft.items.push(item);
  }
  if (draft.background === undefined) {
    for (let attempt = 0; attempt < 30 && draft.background === undefined; attempt++) {
      const candidate = rng() < 0.35 ? pick(rng, COLOURS) : pick(rng, SCENE_BACKGROUNDS);
      if (
        !intersects(backgroundClosure(candidate), avoid) &&
        !draft.items.some((i) => camouflaged(i, candidate))
      )
        draft.background = candidate;
    }
  }
  // A pair item that blends into a pair background gets another colour, or loses its texture.
  const background = draft.background ?? 'white';
  for (const item of draft.items) {
    if (!camouflaged(item, background)) continue;
    if (item.texture === background) delete item.texture;
    if (camouflaged(item, background))
      item.colour = pick(
        rng,
        COLOURS.filter((c) => c !== background && !avoid.includes(c)),
      );
  }
  // Shuffle so a pair's items are not always drawn first (under the fillers).
  const items = draft.items
    .map((item) => ({ item, key: rng() }))
    .sort((p, q) => p.key - q.key)
    .map((p) => p.item);
  return {
    width: size,
    height,
    background,
    items: place(rng, items),
    effects: rng() < EFFECT_FRACTION ? [randomEffect(rng)] : [],
    seed: sceneSeed,
  };
}
