/**
 * Turning user input into a renderable spec: zod validation (errors name the field by its path) and
 * name resolution against the vocabulary (synonyms and plurals become canonical names; an unknown or
 * misplaced name gets an InputError with the nearest known names of the right kind).
 */
import type { z } from 'zod';
import { InputError } from '../util/errors.ts';
import { SceneSpec, type SceneSpecInput } from './spec.ts';
import { conceptsOfKind, lookupConcept, suggestConcepts, type ConceptKind } from './vocabulary.ts';

function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(spec)'}: ${issue.message}`)
    .join('; ');
}

/** A few members of a category, to say what to draw instead of it. */
function drawableUnder(category: string, role: ConceptKind): string[] {
  return conceptsOfKind(role)
    .filter((name) => lookupConcept(name)?.parents.includes(category))
    .slice(0, 6);
}

/** The canonical name of `name` as a concept that can play `role`, or an InputError that helps. */
export function resolveName(name: string, role: ConceptKind, field: string): string {
  const concept = lookupConcept(name);
  if (concept && concept.roles.includes(role)) return concept.name;
  if (concept) {
    const members = concept.kind === 'category' ? drawableUnder(concept.name, role) : [];
    const hint =
      members.length > 0
        ? `; draw one of its members instead, e.g. ${members.join(', ')}`
        : concept.roles.includes('object') || concept.roles.includes('shape')
          ? `; use it with kind '${concept.roles.includes('object') ? 'object' : 'shape'}'`
          : '';
    throw new InputError(`${field}: '${name}' is a ${concept.kind}, not a ${role}${hint}`);
  }
  const near = suggestConcepts(name, 5, [role]);
  throw new InputError(
    `${field}: unknown ${role} '${name}'${near.length ? `; did you mean ${near.map((n) => `'${n}'`).join(', ')}?` : ''}`,
  );
}

/** Validate a spec and canonicalise its concept names. Word items keep their text as given. */
export function resolveSpec(input: SceneSpecInput): SceneSpec {
  const parsed = SceneSpec.safeParse(input);
  if (!parsed.success) throw new InputError(`invalid scene spec: ${describeZodError(parsed.error)}`);
  const spec = parsed.data;
  return {
    ...spec,
    background: resolveName(spec.background, 'background', 'background'),
    items: spec.items.map((item, i) => {
      const at = `items.${i}`;
      const name =
        item.kind === 'word'
          ? item.name
          : resolveName(item.name, item.kind === 'object' ? 'object' : 'shape', `${at}.name`);
      if (item.kind === 'word' && item.name.trim() === '')
        throw new InputError(`${at}.name: a word item needs visible text`);
      return {
        ...item,
        name,
        ...(item.colour !== undefined ? { colour: resolveName(item.colour, 'colour', `${at}.colour`) } : {}),
        ...(item.texture !== undefined
          ? { texture: resolveName(item.texture, 'texture', `${at}.texture`) }
          : {}),
      };
    }),
    effects: spec.effects.map((effect, i) =>
      effect.kind === 'occlude'
        ? { ...effect, colour: resolveName(effect.colour, 'colour', `effects.${i}.colour`) }
        : effect,
    ),
  };
}
