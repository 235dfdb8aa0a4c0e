/**
 * The concept vocabulary: every name a scene may use (objects, shapes, colours, textures, backgrounds,
 * words) and the categories above them, with a hierarchy (dog → mammal → animal) and synonyms. Scenes,
 * masks, phrases and scorers all speak these names, so a unit described as "fires on dogs" can be
 * checked against the exact 'dog' mask of any rendered scene.
 *
 * The tables live in vocabulary-data.ts; this file indexes them and answers questions about them.
 * Object sprites are Twemoji graphics (CC-BY 4.0, see vocabulary-data.ts and docs/vocabulary.md).
 */
import { editDistance } from '../util/names.ts';
import {
  BACKGROUNDS,
  CATEGORIES,
  COLOURS,
  OBJECTS,
  SHAPES,
  TEXT_CONCEPT,
  TEXTURES,
} from './vocabulary-data.ts';

export type ConceptKind = 'object' | 'shape' | 'colour' | 'texture' | 'background' | 'word' | 'category';

export interface Concept {
  /** Canonical name: lowercase, may contain spaces ("brick wall"). */
  name: string;
  /** The concept's main kind. */
  kind: ConceptKind;
  /** Direct parents in the hierarchy (dog → ['mammal', 'pet']). */
  parents: string[];
  synonyms: string[];
  /**
   * Every role the concept can play, `kind` first: 'grass' is a texture and a background, 'road' a
   * background and an object. Plain colours are also backgrounds. (Additive to the shared contract.)
   */
  roles: ConceptKind[];
}

/** Prefix of the concept a word item carries for its own text: the word "stop" → 'word:stop'. */
export const WORD_PREFIX = 'word:';
/** The concept every word item carries. */
export const TEXT_CONCEPT_NAME = TEXT_CONCEPT.name;

/** The concept name of a rendered word's own text (lowercased, spaces collapsed). */
export function wordConceptName(text: string): string {
  return WORD_PREFIX + normalise(text);
}

function normalise(word: string): string {
  return word.trim().toLowerCase().replace(/\s+/g, ' ');
}

function buildConcepts(): Map<string, Concept> {
  const concepts = new Map<string, Concept>();
  const add = (concept: Concept) => {
    const existing = concepts.get(concept.name);
    if (existing) {
      // A name listed in two tables is one concept with two roles (e.g. 'road': background + object).
      for (const role of concept.roles) if (!existing.roles.includes(role)) existing.roles.push(role);
      for (const p of concept.parents) if (!existing.parents.includes(p)) existing.parents.push(p);
      for (const s of concept.synonyms) if (!existing.synonyms.includes(s)) existing.synonyms.push(s);
      return;
    }
    concepts.set(concept.name, concept);
  };
  for (const o of OBJECTS)
    add({
      name: o.name,
      kind: 'object',
      parents: [...o.parents],
      synonyms: [...(o.synonyms ?? [])],
      roles: ['object'],
    });
  for (const s of SHAPES)
    add({
      name: s.name,
      kind: 'shape',
      parents: [...s.parents],
      synonyms: [...(s.synonyms ?? [])],
      roles: ['shape'],
    });
  for (const c of COLOURS)
    add({
      name: c.name,
      kind: 'colour',
      parents: [...c.parents],
      synonyms: [...(c.synonyms ?? [])],
      roles: ['colour', 'background'],
    });
  for (const t of TEXTURES)
    add({
      name: t.name,
      kind: 'texture',
      parents: [...t.parents],
      synonyms: [...(t.synonyms ?? [])],
      roles: t.background ? ['texture', 'background'] : ['texture'],
    });
  for (const b of BACKGROUNDS)
    add({
      name: b.name,
      kind: 'background',
      parents: [...b.parents],
      synonyms: [...(b.synonyms ?? [])],
      roles: b.sprite ? ['background', 'object'] : ['background'],
    });
  add({
    name: TEXT_CONCEPT.name,
    kind: 'word',
    parents: [...TEXT_CONCEPT.parents],
    synonyms: [...TEXT_CONCEPT.synonyms],
    roles: ['word'],
  });
  for (const c of CATEGORIES)
    add({
      name: c.name,
      kind: 'category',
      parents: [...c.parents],
      synonyms: [...(c.synonyms ?? [])],
      roles: ['category'],
    });
  return concepts;
}

const CONCEPTS = buildConcepts();

/** Every name and synonym → canonical name. Built once; a clash is a bug in the tables, so it throws. */
function buildIndex(): Map<string, string> {
  const index = new Map<string, string>();
  for (const concept of CONCEPTS.values()) index.set(concept.name, concept.name);
  for (const concept of CONCEPTS.values()) {
    for (const synonym of concept.synonyms) {
      const key = normalise(synonym);
      const owner = index.get(key);
      if (owner !== undefined && owner !== concept.name)
        throw new Error(`vocabulary: '${key}' names both '${owner}' and '${concept.name}'`);
      index.set(key, concept.name);
    }
  }
  for (const concept of CONCEPTS.values())
    for (const parent of concept.parents)
      if (!CONCEPTS.has(parent))
        throw new Error(`vocabulary: '${concept.name}' has unknown parent '${parent}'`);
  return index;
}

const INDEX = buildIndex();

/** The concept with this exact canonical name (word concepts 'word:<text>' included). */
export function getConcept(name: string): Concept | undefined {
  const concept = CONCEPTS.get(name);
  if (concept) return concept;
  if (name.startsWith(WORD_PREFIX) && name.length > WORD_PREFIX.length)
    return { name, kind: 'word', parents: [TEXT_CONCEPT.name], synonyms: [], roles: ['word'] };
  return undefined;
}

/** Singular forms to try for a plural word, most likely first ("buses" → "buse", "bus"). */
function singularCandidates(word: string): string[] {
  const out: string[] = [];
  if (word.endsWith('ies')) out.push(`${word.slice(0, -3)}y`);
  if (word.endsWith('ves')) out.push(`${word.slice(0, -3)}f`, `${word.slice(0, -3)}fe`);
  if (word.endsWith('es')) out.push(word.slice(0, -2));
  if (word.endsWith('s') && !word.endsWith('ss')) out.push(word.slice(0, -1));
  return out;
}

/** A concept by name or synonym, case-insensitive, accepting regular plurals ("dogs", "buses"). */
export function lookupConcept(word: string): Concept | undefined {
  const key = normalise(word);
  if (key.startsWith(WORD_PREFIX)) return getConcept(key);
  for (const candidate of [key, key.replace(/-/g, ' ')]) {
    const exact = INDEX.get(candidate);
    if (exact !== undefined) return CONCEPTS.get(exact);
    for (const singular of singularCandidates(candidate)) {
      const name = INDEX.get(singular);
      if (name !== undefined) return CONCEPTS.get(name);
    }
  }
  return undefined;
}

/**
 * The k canonical names nearest to `word` by edit distance over names and synonyms (a synonym match
 * suggests its canonical name), nearest first; ties broken alphabetically. Optionally restricted to
 * concepts that can play one of `roles`.
 */
export function suggestConcepts(word: string, k = 5, roles?: ConceptKind[]): string[] {
  const key = normalise(word);
  const words = key.split(' ');
  const best = new Map<string, number>();
  for (const [alias, name] of INDEX) {
    const concept = CONCEPTS.get(name);
    if (!concept || (roles && !concept.roles.some((r) => roles.includes(r)))) continue;
    // A name containing the whole word ("car" in "racecar") is a good suggestion even when long;
    // a canonical name beats a synonym at the same distance.
    const contains =
      key.length >= 3 && alias.includes(key) ? Math.min(alias.length - key.length, 2.5) : Infinity;
    // For several words ("car windw"), each word alone is also compared, one step dearer.
    const perWord = words.length > 1 ? Math.min(...words.map((w) => editDistance(w, alias) + 1)) : Infinity;
    const distance = Math.min(editDistance(key, alias), contains, perWord) + (alias === name ? 0 : 0.1);
    const previous = best.get(name);
    if (previous === undefined || distance < previous) best.set(name, distance);
  }
  return [...best.entries()]
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
    .slice(0, k)
    .map(([name]) => name);
}

/** Every ancestor of a concept, nearest first, without duplicates ('dog' → ['mammal', 'pet', 'animal']). */
export function ancestors(name: string): string[] {
  const out: string[] = [];
  const queue = [...(getConcept(name)?.parents ?? [])];
  while (queue.length > 0) {
    const next = queue.shift();
    if (next === undefined || out.includes(next)) continue;
    out.push(next);
    queue.push(...(CONCEPTS.get(next)?.parents ?? []));
  }
  return out;
}

/** Whether `name` is `ancestor` or lies below it in the hierarchy. */
export function isA(name: string, ancestor: string): boolean {
  return name === ancestor || ancestors(name).includes(ancestor);
}

/** Every concept below `name` in the hierarchy that can play `role` (e.g. the drawable animals). */
export function membersOf(name: string, role: ConceptKind = 'object'): string[] {
  return conceptsOfKind(role).filter((member) => member !== name && ancestors(member).includes(name));
}

/** Canonical names of every concept that can play this role, in table order. */
export function conceptsOfKind(kind: ConceptKind): string[] {
  return [...CONCEPTS.values()].filter((c) => c.roles.includes(kind)).map((c) => c.name);
}

/** Every canonical concept name (word concepts excluded: they are open-ended). */
export function allConceptNames(): string[] {
  return [...CONCEPTS.keys()];
}

const RGB = new Map(COLOURS.map((c) => [c.name, c.rgb] as const));

/** The RGB of a named colour (canonical name or synonym), or undefined if it is not a colour. */
export function colourRgb(name: string): [number, number, number] | undefined {
  const concept = lookupConcept(name);
  const rgb = concept ? RGB.get(concept.name) : undefined;
  return rgb ? [rgb[0], rgb[1], rgb[2]] : undefined;
}
