import type { z } from 'zod';
import { InputError } from '../util/errors.ts';
import { EditSpec, type EditRegion, type EditSpecInput, type EditTarget } from './edit-spec.ts';
import { itemBox } from './phrase-layout.ts';
import { canonicalName } from './phrase-lexicon.ts';
import { textureAdjective } from './phrase.ts';
import { EffectSpec, MAX_ITEMS, SceneSpec, type ItemSpec, type SceneSpecInput } from './spec.ts';
import {
  ancestors,
  lookupConcept,
  suggestConcepts,
  wordConceptName,
  type ConceptKind,
} from './vocabulary.ts';

/**
 * Applying edits to scene specs. Every edit changes exactly what it names and nothing else, so the
 * original and edited scenes differ only there — which is what makes an edit an experiment. Names
 * are checked against the vocabulary and stored canonically ("puppy" → "dog").
 */

const MAX_EFFECTS = 16;

function zodMessage(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'edit'}: ${i.message}`).join('; ');
}

/** Parse an edit, turning schema errors into an InputError that names the bad field. */
export function parseEditSpec(edit: EditSpecInput | EditSpec): EditSpec {
  const result = EditSpec.safeParse(edit);
  if (!result.success)
    throw new InputError(`invalid edit ${JSON.stringify(edit)}: ${zodMessage(result.error)}`);
  return result.data;
}

function parseScene(spec: SceneSpecInput | SceneSpec): SceneSpec {
  const result = SceneSpec.safeParse(spec);
  if (!result.success) throw new InputError(`invalid scene spec: ${zodMessage(result.error)}`);
  return result.data;
}

/** An item's concepts for targeting: its own (name or text, colour, texture) and all their ancestors. */
export function itemConcepts(item: ItemSpec): string[] {
  const own = item.kind === 'word' ? ['text', wordConceptName(item.name)] : [item.name];
  if (item.colour) own.push(item.colour);
  if (item.texture) own.push(item.texture);
  const all = new Set(own);
  for (const name of own) for (const a of ancestors(name)) all.add(a);
  return [...all];
}

/** "#2 red striped circle" / "#0 word 'hi'": how errors and summaries name an item. */
export function itemLabel(item: ItemSpec, index: number): string {
  const texture = item.texture === undefined ? undefined : textureAdjective(item.texture);
  const words = [item.colour, texture, item.kind === 'word' ? `word '${item.name}'` : item.name];
  return `#${index} ${words.filter(Boolean).join(' ')}`;
}

function sceneContents(spec: SceneSpec): string {
  if (spec.items.length === 0) return 'the scene has no items';
  return `the scene has: ${spec.items.map(itemLabel).join(', ')}`;
}

/** A target name → the concept name items carry ("puppy" → "dog", "word:Hi" → "word:hi"). */
function targetConcept(name: string): string {
  if (name.startsWith('word:')) return wordConceptName(name.slice(5));
  return lookupConcept(name)?.name ?? name.toLowerCase();
}

/** The index of the item a target names, or an InputError listing what the scene has. */
export function resolveTarget(spec: SceneSpec, target: EditTarget): number {
  if (typeof target === 'number') {
    if (target < spec.items.length) return target;
    throw new InputError(
      `there is no item #${target}: ${spec.items.length === 0 ? 'the scene has no items' : `items are #0..#${spec.items.length - 1}`} (${sceneContents(spec)})`,
    );
  }
  const names = (typeof target === 'string' ? [target] : target).map(targetConcept);
  const index = spec.items.findIndex((item) => {
    const concepts = itemConcepts(item);
    // A bare string also matches a word item by its text ("hi" → the word 'hi').
    return names.every(
      (n) => concepts.includes(n) || (item.kind === 'word' && item.name.toLowerCase() === n),
    );
  });
  if (index >= 0) return index;
  const wanted = names.join(' ');
  const unknown = names.filter((n) => !n.startsWith('word:') && lookupConcept(n) === undefined);
  const hint = unknown.length
    ? ` ('${unknown[0]}' is not in the vocabulary; near: ${suggestConcepts(unknown[0]!, 4).join(', ')})`
    : '';
  throw new InputError(`no item is a '${wanted}'${hint}; ${sceneContents(spec)}`);
}

function checkRole(name: string, role: ConceptKind): string {
  return canonicalName(name, role);
}

/** An item with its names made canonical and checked against the vocabulary. */
export function canonicalItem(item: ItemSpec): ItemSpec {
  const out: ItemSpec = { ...item };
  if (item.kind !== 'word') out.name = checkRole(item.name, item.kind);
  if (item.colour !== undefined) out.colour = checkRole(item.colour, 'colour');
  if (item.texture !== undefined) out.texture = checkRole(item.texture, 'texture');
  return out;
}

/** The kind of item a concept name draws as (object before shape), or an InputError with near names. */
function drawableKind(name: string): 'object' | 'shape' {
  const concept = lookupConcept(name);
  if (concept?.roles.includes('object')) return 'object';
  if (concept?.roles.includes('shape')) return 'shape';
  const near = suggestConcepts(name, 5, ['object', 'shape']);
  const hint = concept ? ` ('${name}' is ${/^[aeiou]/.test(concept.kind) ? 'an' : 'a'} ${concept.kind})` : '';
  throw new InputError(
    `'${name}' is not something to draw${hint}: did you mean ${near.map((n) => `'${n}'`).join(', ')}?`,
  );
}

/** Normalise degrees to (-180, 180] so repeated rotations stay within the spec's range. */
function normaliseDegrees(degrees: number): number {
  const d = ((degrees % 360) + 360) % 360;
  return d > 180 ? d - 360 : d;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/** Geometry is stored to 1e-4 of the image: finer is invisible and float noise makes specs unreadable. */
const round = (v: number) => Math.round(v * 10_000) / 10_000;

function appendEffect(spec: SceneSpec, effect: EffectSpec): void {
  if (spec.effects.length >= MAX_EFFECTS) {
    throw new InputError(`the scene already has ${spec.effects.length} effects, the limit is ${MAX_EFFECTS}`);
  }
  spec.effects.push(EffectSpec.parse(effect));
}

function regionOrUndefined(region: EditRegion | undefined): { region?: EditRegion } {
  return region ? { region: { ...region } } : {};
}

/** The region an item covers in the spec (its square footprint, or a word's estimated line), clamped to the image. */
export function itemRegion(spec: SceneSpec, index: number): EditRegion {
  const item = spec.items[index]!;
  const box = itemBox(item.kind, item.name, item.x, item.y, item.size, spec.width, spec.height);
  return {
    x0: clamp(box.x0, 0, 1),
    y0: clamp(box.y0, 0, 1),
    x1: clamp(box.x1, 0, 1),
    y1: clamp(box.y1, 0, 1),
  };
}

/** The spec with one edit applied. The input is not modified. */
export function applyEdit(input: SceneSpecInput | SceneSpec, editInput: EditSpecInput | EditSpec): SceneSpec {
  const spec = structuredClone(parseScene(input));
  const edit = parseEditSpec(editInput);
  const target = (t: EditTarget) => spec.items[resolveTarget(spec, t)]!;
  switch (edit.op) {
    case 'add': {
      if (spec.items.length >= MAX_ITEMS) {
        throw new InputError(`the scene already has ${spec.items.length} items, the limit is ${MAX_ITEMS}`);
      }
      spec.items.push(canonicalItem(edit.item));
      break;
    }
    case 'remove':
      spec.items.splice(resolveTarget(spec, edit.target), 1);
      break;
    case 'replace': {
      const index = resolveTarget(spec, edit.target);
      const old = spec.items[index]!;
      const kind = edit.kind === 'word' ? 'word' : (edit.kind ?? drawableKind(edit.name));
      const next: ItemSpec = { ...old, kind, name: edit.name };
      if (edit.colour !== undefined) next.colour = edit.colour ?? undefined;
      if (edit.texture !== undefined) next.texture = edit.texture ?? undefined;
      if (next.colour === undefined) delete next.colour;
      if (next.texture === undefined) delete next.texture;
      spec.items[index] = canonicalItem(next);
      break;
    }
    case 'recolour': {
      const item = target(edit.target);
      if (edit.colour === null) delete item.colour;
      else item.colour = checkRole(edit.colour, 'colour');
      break;
    }
    case 'retexture': {
      const item = target(edit.target);
      if (edit.texture === null) delete item.texture;
      else item.texture = checkRole(edit.texture, 'texture');
      break;
    }
    case 'move': {
      if (edit.x === undefined && edit.y === undefined && edit.dx === undefined && edit.dy === undefined) {
        throw new InputError('a move edit needs x, y, dx or dy');
      }
      const item = target(edit.target);
      item.x = round(clamp((edit.x ?? item.x) + (edit.dx ?? 0), 0, 1));
      item.y = round(clamp((edit.y ?? item.y) + (edit.dy ?? 0), 0, 1));
      break;
    }
    case 'resize': {
      if ((edit.size === undefined) === (edit.factor === undefined)) {
        throw new InputError('a resize edit needs exactly one of size or factor');
      }
      const item = target(edit.target);
      item.size = round(clamp(edit.size ?? item.size * edit.factor!, 0.02, 2));
      break;
    }
    case 'background':
      spec.background = canonicalName(edit.background, 'background');
      break;
    case 'text': {
      const index =
        edit.target === undefined
          ? spec.items.findIndex((i) => i.kind === 'word')
          : resolveTarget(spec, edit.target);
      if (index < 0)
        throw new InputError(`there is no word in the scene to change the text of; ${sceneContents(spec)}`);
      const item = spec.items[index]!;
      if (item.kind !== 'word') {
        throw new InputError(`${itemLabel(item, index)} is not a word, so it has no text to change`);
      }
      item.name = edit.text;
      break;
    }
    case 'occlude':
      appendEffect(spec, {
        kind: 'occlude',
        region: { ...edit.region },
        colour: checkRole(edit.colour, 'colour'),
      });
      break;
    case 'flip': {
      if (edit.target === undefined) {
        appendEffect(spec, { kind: 'flip', axis: edit.axis });
        break;
      }
      // An item is drawn mirrored (in its own frame) and then rotated by θ. Mirroring the result
      // left-right gives mirrored-then-rotated by −θ; up-down gives mirrored-then-rotated by 180° − θ.
      const item = target(edit.target);
      item.flip = !item.flip;
      item.rotation = normaliseDegrees(edit.axis === 'horizontal' ? -item.rotation : 180 - item.rotation);
      break;
    }
    case 'rotate': {
      if (edit.target === undefined) {
        appendEffect(spec, { kind: 'rotate', degrees: edit.degrees });
        break;
      }
      const item = target(edit.target);
      item.rotation = normaliseDegrees(item.rotation + edit.degrees);
      break;
    }
    case 'blur':
      appendEffect(spec, { kind: 'blur', sigma: edit.sigma, ...regionOrUndefined(edit.region) });
      break;
    case 'noise':
      appendEffect(spec, { kind: 'noise', amount: edit.amount, ...regionOrUndefined(edit.region) });
      break;
  }
  return parseScene(spec);
}

/** The spec with every edit applied in order. */
export function applyEdits(
  spec: SceneSpecInput | SceneSpec,
  edits: readonly (EditSpecInput | EditSpec)[],
): SceneSpec {
  let current = parseScene(spec);
  for (const edit of edits) current = applyEdit(current, edit);
  return current;
}
