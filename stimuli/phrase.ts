import { InputError } from '../util/errors.ts';
import { PhraseReader, type PhraseGroup } from './phrase-grammar.ts';
import { defaultItemSize, itemAspect, layoutGroups, zoneOf } from './phrase-layout.ts';
import { countWord, pluralOf, SIZE_CLASSES, tokenize, type Zone } from './phrase-lexicon.ts';
import { MAX_IMAGE_SIDE, MIN_IMAGE_SIDE, SceneSpec, type ItemSpec, type SceneSpecInput } from './spec.ts';
import { getConcept } from './vocabulary.ts';

/**
 * Phrases ↔ scene specs. People and models speak phrases ("two striped circles beside a boat on
 * grass"); the renderer works on specs. parsePhrase reads a phrase with the grammar in
 * phrase-grammar.ts and lays the items out (phrase-layout.ts); describeSpec writes the phrase form of
 * a spec, such that parsing it back gives the same items (kinds, names, counts, colours, textures)
 * and background, with sizes and positions kept coarsely (size words; left/right/top/bottom where a
 * whole group lies in one zone).
 *
 * describeSpec does not describe item rotation, mirroring or whole-image effects: the phrase grammar
 * has no words for them (edits do: see edit-phrase.ts).
 */

export interface PhraseOptions {
  width?: number;
  height?: number;
  /** Seeds the layout jitter and category picks; also becomes the spec's render seed. */
  seed?: number;
}

const round = (v: number) => Math.round(v * 10_000) / 10_000;

function checkSide(name: string, value: number): number {
  if (!Number.isInteger(value) || value < MIN_IMAGE_SIDE || value > MAX_IMAGE_SIDE) {
    throw new InputError(
      `${name} must be an integer from ${MIN_IMAGE_SIDE} to ${MAX_IMAGE_SIDE} pixels, got ${value}`,
    );
  }
  return value;
}

/** Groups → spec items in phrase order, placed by the layout. */
export function groupsToItems(
  groups: PhraseGroup[],
  placements: { x: number; y: number; size: number }[][],
): ItemSpec[] {
  return groups.flatMap((group, g) =>
    group.names.map((name, i) => {
      const place = placements[g]![i]!;
      const item: ItemSpec = {
        kind: group.kind,
        name,
        x: round(place.x),
        y: round(place.y),
        size: round(place.size),
        rotation: 0,
        flip: false,
      };
      if (group.colour !== undefined) item.colour = group.colour;
      if (group.texture !== undefined) item.texture = group.texture;
      return item;
    }),
  );
}

/**
 * The scene a phrase describes, with defaults filled. Deterministic: the same text and options give
 * the same spec. Unknown words raise an InputError quoting the word with the nearest known names.
 */
export function parsePhrase(text: string, opts: PhraseOptions = {}): SceneSpec {
  if (text.trim() === '')
    throw new InputError('the phrase is empty: describe a scene, e.g. "a red dog on grass"');
  const width = checkSide('width', opts.width ?? 224);
  const height = checkSide('height', opts.height ?? 224);
  const seed = opts.seed ?? 0;
  if (!Number.isInteger(seed) || seed < 0)
    throw new InputError(`seed must be a non-negative integer, got ${seed}`);
  const reader = new PhraseReader(tokenize(text), text, seed);
  reader.skipFraming();
  reader.parseScene();
  if (reader.groups.length === 0 && reader.background === undefined) {
    throw new InputError(
      `"${text}" names nothing to draw: say what is in the scene, e.g. "a red dog on grass"`,
    );
  }
  const placements = layoutGroups(reader.groups, { width, height, seed });
  return SceneSpec.parse({
    width,
    height,
    background: reader.background ?? 'white',
    items: groupsToItems(reader.groups, placements),
    effects: [],
    seed,
  });
}

/** The adjective form of a texture that reads naturally and parses back to it ("stripes" → "striped"). */
export function textureAdjective(texture: string): string {
  const concept = getConcept(texture);
  const adjective = concept?.synonyms.find((s) => !s.includes(' ') && /(ed|y|en)$/.test(s));
  return adjective ?? texture;
}

/** Quote a word item's text so the tokenizer reads it back exactly. */
export function quoteText(text: string): string {
  if (!text.includes('"') && !text.includes('\\')) return `"${text}"`;
  return `'${text.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

function zonePhrase(zone: Zone): string {
  const v = zone.vertical === 'top' || zone.vertical === 'bottom' ? zone.vertical : undefined;
  const h = zone.horizontal === 'left' || zone.horizontal === 'right' ? zone.horizontal : undefined;
  if (v && h) return `at the ${v} ${h}`;
  if (v) return `at the ${v}`;
  if (h) return `on the ${h}`;
  return '';
}

/**
 * What the size words mean in one kind of scene, as item sizes: the smallest, middle and largest sizes
 * the scenes' own generator draws (text lines: words 0.45–0.8 of the line's height). Against the
 * defaults of object scenes nearly every word of a text line reads "huge"; against the probe set's
 * range, "small" and "large" say where a word stands among the lines a unit was probed with.
 */
export interface SizeScale {
  small: number;
  medium: number;
  large: number;
}

export interface DescribeOptions {
  /** Size words relative to this range instead of the default size of an object scene. */
  sizeScale?: SizeScale;
}

/** The size word nearest (in ratio) to the size on the scale: tiny, small, '', large or huge. */
export function scaledSizeWord(size: number, scale: SizeScale): string {
  const words: [string, number][] = [
    ['tiny', scale.small * 0.7],
    ['small', scale.small],
    ['', scale.medium],
    ['large', scale.large],
    ['huge', scale.large * 1.4],
  ];
  let best = words[2]!;
  for (const entry of words)
    if (Math.abs(Math.log(size / entry[1])) < Math.abs(Math.log(size / best[1]))) best = entry;
  return best[0];
}

/**
 * The size word for an item: its size against the default size of a scene with this many items (for
 * a word, the default capped so the word fits across the image, as the layout caps it), or against
 * the given scale.
 */
function sizeWord(item: ItemSpec, itemCount: number, spec: SceneSpec, scale?: SizeScale): string {
  if (scale) return scaledSizeWord(item.size, scale);
  let expected = defaultItemSize(itemCount);
  if (item.kind === 'word') {
    expected = Math.min(expected, 0.95 / ((itemAspect('word', item.name) * spec.height) / spec.width));
  }
  const ratio = item.size / expected;
  let best = SIZE_CLASSES[2]!;
  for (const entry of SIZE_CLASSES) {
    if (Math.abs(Math.log(ratio / entry[1])) < Math.abs(Math.log(ratio / best[1]))) best = entry;
  }
  return best[0];
}

function article(nextWord: string): string {
  return /^[aeiou]/.test(nextWord) && !/^(uni|use|one|eu)/.test(nextWord) ? 'an' : 'a';
}

/** The phrase for `count` items that share kind, name, colour, texture, size word and zone. */
function describeGroup(item: ItemSpec, count: number, size: string, zone: string): string {
  const adjectives = [size, item.colour ?? '', item.texture ? textureAdjective(item.texture) : ''].filter(
    Boolean,
  );
  let noun: string;
  if (item.kind === 'word') {
    noun = `${count > 1 ? 'words' : 'word'} ${quoteText(item.name)}`;
  } else {
    noun = count > 1 ? pluralOf(item.name) : item.name;
  }
  const body = [...adjectives, noun].join(' ');
  let determiner: string;
  if (count > 1) determiner = countWord(count);
  else if (item.kind === 'word') determiner = 'the';
  else determiner = article(body);
  return [determiner, body, zone].filter(Boolean).join(' ');
}

function describeBackground(background: string): string {
  const concept = getConcept(background);
  if (concept?.kind === 'colour') return `on a plain ${background} background`;
  if (background === 'sky') return 'in the sky';
  // Scenery that is a place (a road, a beach) reads with an article; materials (grass, sand) without.
  if (concept?.kind === 'background') return `on ${article(background)} ${background}`;
  return `on ${background}`;
}

/**
 * The phrase form of a spec: items grouped by kind, name, colour, texture, size word and position
 * word (in order of first appearance), joined with commas and 'and', then the background.
 */
export function describeSpec(input: SceneSpecInput | SceneSpec, options: DescribeOptions = {}): string {
  const spec = SceneSpec.parse(input);
  const n = spec.items.length;
  const groups = new Map<string, { item: ItemSpec; count: number; size: string; zones: Set<string> }>();
  for (const item of spec.items) {
    const size = sizeWord(item, n, spec, options.sizeScale);
    const zone = zonePhrase(zoneOf(item.x, item.y));
    const key = JSON.stringify([item.kind, item.name, item.colour, item.texture, size]);
    const group = groups.get(key);
    if (group) {
      group.count++;
      group.zones.add(zone);
    } else groups.set(key, { item, count: 1, size, zones: new Set([zone]) });
  }
  // A position word only where every item of the group is in the same zone.
  const parts = [...groups.values()].map((g) =>
    describeGroup(g.item, g.count, g.size, g.zones.size === 1 ? [...g.zones][0]! : ''),
  );
  const background = describeBackground(spec.background);
  if (parts.length === 0) return `an empty scene ${background}`;
  const items = parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)!}`;
  return `${items} ${background}`;
}
