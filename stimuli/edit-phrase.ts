import { InputError } from '../util/errors.ts';
import {
  mentionsNoise,
  parseBlur,
  parseFlip,
  parseNoise,
  parseOcclude,
  parseRotate,
  parseRotateRest,
} from './edit-effect-clauses.ts';
import { applyEdits, itemConcepts, itemRegion, resolveTarget } from './edit-apply.ts';
import { ClauseReader, numberOf, type Context } from './edit-reader.ts';
import type { EditSpec, EditTarget } from './edit-spec.ts';
import type { PhraseGroup } from './phrase-grammar.ts';
import { defaultItemSize, layoutGroups } from './phrase-layout.ts';
import { editDistance } from '../util/names.ts';
import { canPlay, longestConcept, SIZE_WORDS, tokenize, type Token } from './phrase-lexicon.ts';
import { groupsToItems } from './phrase.ts';
import { SceneSpec, type SceneSpecInput } from './spec.ts';
import { wordConceptName } from './vocabulary.ts';

/**
 * Edit phrases → EditSpec[]: "replace the dog with a cat", "make the circle blue and striped", "move
 * the dog to the right", "add a red ball on the left", "occlude the left half", "rotate 180",
 * "remove the boat and add noise". Clauses are split at ';', 'then', sentence ends, and 'and' or ','
 * before a verb; each clause starts with a verb. Clauses are parsed against the scene as edited by the
 * clauses before them, so "add a cat and make it blue" and "remove the dog, then remove the dog"
 * refer to the right items. Every edit returned has been applied once, so it is valid for the spec.
 */

const VERB_GROUPS = {
  remove: ['remove', 'delete', 'erase', 'take', 'get', 'drop'],
  add: ['add', 'insert', 'draw', 'include', 'put', 'place'],
  replace: ['replace', 'swap', 'substitute', 'exchange', 'switch'],
  change: ['change', 'make', 'turn', 'set', 'transform', 'convert'],
  colour: ['colour', 'color', 'paint', 'recolour', 'recolor', 'tint', 'dye'],
  move: ['move', 'shift', 'slide', 'drag'],
  resize: ['resize', 'scale', 'enlarge', 'shrink', 'grow', 'magnify'],
  occlude: ['occlude', 'cover', 'hide', 'mask', 'block'],
  flip: ['flip', 'mirror'],
  rotate: ['rotate', 'spin'],
  blur: ['blur', 'smudge'],
} as const;
type VerbGroup = keyof typeof VERB_GROUPS;

const VERBS = new Map<string, VerbGroup>(
  Object.entries(VERB_GROUPS).flatMap(([group, words]) => words.map((w) => [w, group as VerbGroup] as const)),
);

const BIGGER = new Set(['bigger', 'larger', 'greater']);
const SMALLER = new Set(['smaller', 'tinier', 'littler']);

/** Split tokens into clauses at ';', 'then', and 'and' / ',' followed by a verb. */
function splitClauses(tokens: Token[]): Token[][] {
  const clauses: Token[][] = [[]];
  const isVerb = (t: Token | undefined) => t?.type === 'word' && VERBS.has(t.text);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const current = clauses.at(-1)!;
    const boundary =
      (t.type === 'punct' && t.text === ';') ||
      (t.type === 'word' && t.text === 'then') ||
      ((t.type === 'punct' || (t.type === 'word' && t.text === 'and')) &&
        (isVerb(tokens[i + 1]) || (tokens[i + 1]?.type === 'word' && tokens[i + 1]!.text === 'then')));
    if (boundary) {
      if (current.length > 0) clauses.push([]);
      continue;
    }
    current.push(t);
  }
  return clauses.filter((c) => c.length > 0);
}

/** Edits for one clause. */
function parseClause(r: ClauseReader): EditSpec[] {
  const verb = r.word();
  const group = verb === undefined ? undefined : VERBS.get(verb);
  if (group === undefined) {
    const verbs = [...VERBS.keys()];
    const near = verbs.filter((v) => editDistance(verb ?? '', v) <= 2).slice(0, 4);
    const shown = near.length ? `did you mean ${near.map((v) => `'${v}'`).join(', ')}? ` : '';
    const first = verb ?? r.tokens[0]?.text ?? '';
    throw new InputError(
      `an edit starts with what to do, but "${r.ctx.text}" has '${first}': ${shown}known verbs: ${Object.values(
        VERB_GROUPS,
      )
        .map((words) => words[0])
        .join(', ')}`,
    );
  }
  r.pos++;
  switch (group) {
    case 'remove':
      return parseRemove(r);
    case 'add':
      return parseAdd(r, verb!);
    case 'replace':
      return parseReplace(r);
    case 'change':
      return parseChange(r, verb!);
    case 'colour':
      return parseColour(r);
    case 'move':
      return parseMove(r);
    case 'resize':
      return parseResize(r, verb!);
    case 'occlude':
      return parseOcclude(r);
    case 'flip':
      return parseFlip(r);
    case 'rotate':
      return parseRotate(r);
    case 'blur':
      return parseBlur(r);
  }
}

function parseRemove(r: ClauseReader): EditSpec[] {
  // "take away / take out / get rid of / take off"
  r.accept('rid', 'of');
  r.acceptAny('away', 'out', 'off');
  const targets = r.parseTargets();
  r.acceptFirst(['from', 'the', 'image'], ['from', 'the', 'scene']);
  r.expectEnd();
  r.ctx.last = undefined;
  if (targets.length === 1) return [{ op: 'remove', target: targets[0]! }];
  // Several: remove by index, highest first, so earlier removals do not shift later ones.
  const indices = [...new Set(targets.map((t) => resolveTarget(r.scene, t)))].sort((a, b) => b - a);
  return indices.map((target) => ({ op: 'remove', target }));
}

function parseAdd(r: ClauseReader, verb: string): EditSpec[] {
  if (mentionsNoise(r)) return parseNoise(r);
  // "put the dog on the left" moves an existing item; "put a dog on the left" adds one.
  if ((verb === 'put' || verb === 'place') && r.startsTarget() && isDefinite(r)) return parseMove(r);
  const scene = r.scene;
  r.parseScene();
  const groups: PhraseGroup[] = r.groups;
  // A relation to a definite thing the scene has ("above the dog") anchors to that item, not a new one.
  const related = new Set(groups.map((g) => g.relation?.target).filter((t) => t !== undefined));
  for (const [index, g] of groups.entries()) {
    if (!related.has(index) || !g.definite || g.names.length !== 1) continue;
    const names = [g.colour, g.texture, g.kind === 'word' ? wordConceptName(g.names[0]!) : g.names[0]].filter(
      (n): n is string => n !== undefined,
    );
    const existing = scene.items.findIndex((item) => names.every((n) => itemConcepts(item).includes(n)));
    if (existing >= 0) g.fixed = itemRegion(scene, existing);
  }
  const adding = groups.filter((g) => !g.fixed);
  if (adding.length === 0 && r.background === undefined)
    throw r.fail(`'${verb}' needs something to add, e.g. 'add a red ball'`);
  const obstacles = scene.items.map((_, i) => itemRegion(scene, i));
  const placements = layoutGroups(groups, {
    width: scene.width,
    height: scene.height,
    seed: r.ctx.seed + scene.items.length,
    obstacles,
    existingItems: scene.items.length,
  });
  const items = groupsToItems(
    groups.filter((g) => !g.fixed),
    placements.filter((_, g) => !groups[g]!.fixed),
  );
  const edits: EditSpec[] = items.map((item) => ({ op: 'add', item }));
  if (r.background !== undefined) edits.push({ op: 'background', background: r.background });
  r.ctx.last = items.map((_, i) => scene.items.length + i);
  return edits;
}

function isDefinite(r: ClauseReader): boolean {
  const w = r.word();
  return w === 'the' || w === 'it' || w === 'them' || w === 'item' || (w !== undefined && /^#\d+$/.test(w));
}

/** The new thing of a replace: a group of one ("a cat", "a red square", "the word 'go'"). */
function parseReplacement(r: ClauseReader, targets: EditTarget[]): EditSpec[] {
  const g = r.parseGroup();
  if (!g) {
    r.skipDeterminers();
    if (!r.done) throw r.unexpected();
    throw r.fail(`expected what to put in its place, e.g. 'a cat'`);
  }
  r.expectEnd();
  return targets.map((target) => {
    const item = r.scene.items[resolveTarget(r.scene, target)]!;
    const name = g.names[0]!;
    // A word for a word keeps everything but the text.
    if (g.kind === 'word' && item.kind === 'word' && g.colour === undefined && g.texture === undefined) {
      return { op: 'text', target, text: name };
    }
    const edit: EditSpec = { op: 'replace', target, name, kind: g.kind };
    if (g.colour !== undefined) edit.colour = g.colour;
    if (g.texture !== undefined) edit.texture = g.texture;
    return edit;
  });
}

function parseBackgroundChange(r: ClauseReader): EditSpec[] {
  r.acceptAny('to', 'with', 'into', 'for', 'by');
  r.skipDeterminers();
  r.accept('plain');
  const match = longestConcept(r.tokens, r.pos, (c) => canPlay(c, 'background'));
  if (!match) {
    const w = r.word();
    if (w === undefined) throw r.fail(`expected a background, e.g. 'grass', 'sky' or 'white'`);
    throw r.unexpected();
  }
  r.pos += match.length;
  r.acceptAny('background', 'backdrop');
  r.accept('one');
  r.expectEnd();
  return [{ op: 'background', background: match.resolved.concept.name }];
}

function acceptBackgroundWord(r: ClauseReader): boolean {
  const start = r.pos;
  r.skipDeterminers();
  if (r.accept('background') || r.accept('backdrop') || r.accept('bg')) return true;
  r.pos = start;
  return false;
}

function parseReplace(r: ClauseReader): EditSpec[] {
  if (acceptBackgroundWord(r)) return parseBackgroundChange(r);
  const targets = r.parseTargets();
  r.remember(targets);
  if (!(r.accept('with') || r.accept('by') || r.accept('for') || r.accept('to') || r.accept('into'))) {
    throw r.fail(`say what replaces it, e.g. 'replace the dog with a cat'`);
  }
  return parseReplacement(r, targets);
}

/** "bigger", "much smaller", "twice as big", "half the size", "3 times bigger", "huge": a resize. */
function parseSizeChange(r: ClauseReader, targets: EditTarget[]): EditSpec[] | undefined {
  const start = r.pos;
  const strength = r.parseStrength();
  const w = r.word();
  let factor: number | undefined;
  let size: number | undefined;
  const step = strength === 'strong' ? 2 : strength === 'weak' ? 1.2 : 1.5;
  if (w !== undefined && BIGGER.has(w)) factor = step;
  else if (w !== undefined && SMALLER.has(w)) factor = 1 / step;
  else if (w === 'twice' || w === 'double') factor = 2;
  else if (w === 'half') factor = 0.5;
  else if (numberOf(w) && r.word(1) === 'times') {
    factor = numberOf(w)!.value;
    r.pos++;
  } else if (w !== undefined && w in SIZE_WORDS) {
    size = defaultItemSize(r.scene.items.length) * SIZE_WORDS[w]!;
  } else {
    r.pos = start;
    return undefined;
  }
  r.pos++;
  // Trailing filler: "twice as big", "half the size", "3 times bigger", "bigger than before".
  while (
    ['as', 'big', 'large', 'the', 'size', 'bigger', 'larger', 'smaller', 'than', 'before', 'sized'].includes(
      r.word() ?? '',
    )
  )
    r.pos++;
  if (factor !== undefined && r.word(-1) === 'smaller' && w !== undefined && numberOf(w)) factor = 1 / factor;
  return targets.map((target) =>
    size !== undefined ? { op: 'resize', target, size } : { op: 'resize', target, factor: factor! },
  );
}

/** After "make the circle …" / "turn the dog …": colours, textures, sizes, or a new thing. */
function parseAttributes(r: ClauseReader, targets: EditTarget[]): EditSpec[] {
  const edits: EditSpec[] = [];
  for (;;) {
    if (r.done) break;
    if (r.acceptSeparator()) continue;
    r.accept('in');
    const size = parseSizeChange(r, targets);
    if (size) {
      edits.push(...size);
      continue;
    }
    if (r.accept('plain') || r.accept('untextured')) {
      edits.push(...targets.map((target): EditSpec => ({ op: 'retexture', target, texture: null })));
      continue;
    }
    const adjective = longestConcept(r.tokens, r.pos, (c) => canPlay(c, 'colour', 'texture'));
    const head = longestConcept(r.tokens, r.pos, (c) => canPlay(c, 'object', 'shape', 'category'));
    const quoted =
      r.tokens[r.pos]?.type === 'quoted' || ['a', 'an', 'the', 'into', 'to'].includes(r.word() ?? '');
    if (adjective && !(head && head.length > adjective.length) && !quoted) {
      const concept = adjective.resolved.concept;
      // "a red circle" after make → a new thing; "red" alone → a colour.
      r.pos += adjective.length;
      if (r.word() !== undefined && !['and', ','].includes(r.word()!) && r.tokens[r.pos]?.type !== 'punct') {
        r.pos -= adjective.length;
        return [...edits, ...parseReplacement(r, targets)];
      }
      edits.push(
        ...targets.map(
          (target): EditSpec =>
            canPlay(concept, 'colour')
              ? { op: 'recolour', target, colour: concept.name }
              : { op: 'retexture', target, texture: concept.name },
        ),
      );
      continue;
    }
    r.acceptAny('into', 'to');
    if (edits.length === 0) return parseReplacement(r, targets);
    throw r.unexpected();
  }
  if (edits.length === 0)
    throw r.fail(`say what to change, e.g. 'make the circle blue' or 'make the dog bigger'`);
  return edits;
}

function parseChange(r: ClauseReader, verb: string): EditSpec[] {
  if (verb === 'turn' && r.acceptImage()) {
    if (r.accept('upside', 'down')) {
      r.expectEnd();
      return [{ op: 'flip', axis: 'vertical' }];
    }
    return parseRotateRest(r, undefined);
  }
  if (acceptBackgroundWord(r)) return parseBackgroundChange(r);
  // "change the text to 'go'", "change the word 'hi' to 'go'", "change 'hi' to 'go'"
  const start = r.pos;
  r.skipDeterminers();
  if (r.accept('colour', 'of') || r.accept('color', 'of')) {
    const targets = r.parseTargets();
    r.acceptAny('to', 'into');
    return parseAttributes(r, targets);
  }
  r.pos = start;
  const targets = r.parseTargets();
  r.remember(targets);
  if (verb === 'turn') {
    const n = numberOf(r.word());
    if (n || r.matches(['upside', 'down'])) return parseRotateRest(r, targets);
  }
  const first = targets[0]!;
  const item = r.scene.items[resolveTarget(r.scene, first)]!;
  if (item.kind === 'word' && (r.accept('to') || r.accept('into')) && r.tokens[r.pos]?.type === 'quoted') {
    const text = (r.tokens[r.pos] as { text: string }).text;
    r.pos++;
    r.expectEnd();
    return targets.map((target) => ({ op: 'text', target, text }));
  }
  r.acceptAny('to', 'into', 'be');
  return parseAttributes(r, targets);
}

function parseColour(r: ClauseReader): EditSpec[] {
  const targets = r.parseTargets();
  r.remember(targets);
  r.accept('in');
  r.accept('with');
  const match = longestConcept(r.tokens, r.pos, (c) => canPlay(c, 'colour'));
  if (!match) {
    if (r.done) throw r.fail(`say which colour, e.g. 'paint the dog red'`);
    throw r.unexpected();
  }
  r.pos += match.length;
  r.expectEnd();
  return targets.map((target) => ({ op: 'recolour', target, colour: match.resolved.concept.name }));
}

function parseMove(r: ClauseReader): EditSpec[] {
  const targets = r.parseTargets();
  r.remember(targets);
  const edits: EditSpec[] = [];
  for (const target of targets) edits.push(...parseMoveRest(r, target));
  return edits;
}

function parseMoveRest(r: ClauseReader, target: EditTarget): EditSpec[] {
  const destination = r.parseDestination();
  if (destination) {
    r.expectEnd();
    return [{ op: 'move', target, ...destination }];
  }
  // Relative to another item: "above the cat", "next to the boat".
  const relation = r.tryRelationTo();
  if (relation) {
    const index = resolveTarget(r.scene, target);
    const item = r.scene.items[index]!;
    const self = itemRegion(r.scene, index);
    const other = itemRegion(r.scene, relation.index);
    const w = self.x1 - self.x0;
    const h = item.size;
    const gap = 0.02;
    const cx = (other.x0 + other.x1) / 2;
    const cy = (other.y0 + other.y1) / 2;
    const point: Record<string, [number, number]> = {
      above: [cx, other.y0 - gap - h / 2],
      below: [cx, other.y1 + gap + h / 2],
      leftOf: [other.x0 - gap - w / 2, cy],
      rightOf: [other.x1 + gap + w / 2, cy],
      beside: cx <= 0.5 ? [other.x1 + gap + w / 2, cy] : [other.x0 - gap - w / 2, cy],
    };
    const [x, y] = point[relation.type]!;
    r.expectEnd();
    const clampRound = (v: number) => Math.round(Math.min(1, Math.max(0, v)) * 10_000) / 10_000;
    return [{ op: 'move', target, x: clampRound(x), y: clampRound(y) }];
  }
  // Directions: "left", "up a bit", "right by 10%".
  const dirs: Record<string, [number, number]> = {
    left: [-1, 0],
    right: [1, 0],
    up: [0, -1],
    upwards: [0, -1],
    down: [0, 1],
    downwards: [0, 1],
  };
  let dx = 0;
  let dy = 0;
  let any = false;
  let amount = 0.2;
  for (;;) {
    const strength = r.parseStrength();
    if (strength === 'strong') amount = 0.35;
    if (strength === 'weak') amount = 0.1;
    const w = r.word();
    if (w !== undefined && w in dirs) {
      dx += dirs[w]![0];
      dy += dirs[w]![1];
      any = true;
      r.pos++;
      r.accept('and');
      continue;
    }
    if (any && r.accept('by')) {
      const n = numberOf(r.word());
      if (!n) throw r.unexpected();
      amount = n.percent || n.value > 1 ? n.value / 100 : n.value;
      r.pos++;
      continue;
    }
    break;
  }
  if (!any) throw r.fail(`say where to move it, e.g. 'to the right', 'up', or 'above the cat'`);
  r.expectEnd();
  return [{ op: 'move', target, dx: dx * amount, dy: dy * amount }];
}

function parseResize(r: ClauseReader, verb: string): EditSpec[] {
  const targets = r.parseTargets();
  r.remember(targets);
  if (r.done) {
    const factor = verb === 'shrink' ? 1 / 1.5 : 1.5;
    if (verb === 'resize' || verb === 'scale')
      throw r.fail(`say how much, e.g. '${verb} the dog by 2' or 'to 50%'`);
    return targets.map((target) => ({ op: 'resize', target, factor }));
  }
  const strength = r.parseStrength();
  if (r.done && strength) {
    const step = strength === 'strong' ? 2 : 1.2;
    return targets.map((target) => ({ op: 'resize', target, factor: verb === 'shrink' ? 1 / step : step }));
  }
  if (r.accept('to')) {
    const n = numberOf(r.word());
    if (!n) throw r.unexpected();
    r.pos++;
    r.accept('of', 'the', 'image');
    r.expectEnd();
    const size = n.percent || n.value > 2 ? n.value / 100 : n.value;
    return targets.map((target) => ({ op: 'resize', target, size }));
  }
  r.accept('by');
  r.accept('a', 'factor', 'of');
  const w = r.word() ?? '';
  const n = numberOf(w.replace(/^x/, '')) ?? numberOf(w.replace(/x$/, ''));
  if (!n) throw r.unexpected();
  r.pos++;
  r.accept('times');
  r.expectEnd();
  let factor = n.percent ? n.value / 100 : n.value;
  if (verb === 'shrink' && factor > 1) factor = 1 / factor;
  return targets.map((target) => ({ op: 'resize', target, factor }));
}

/**
 * The edits an edit phrase describes, for this scene. Raises an InputError naming the unknown word
 * (with near matches) or the item that is not there (listing what the scene has).
 */
export function parseEdit(
  text: string,
  spec: SceneSpecInput | SceneSpec,
  opts: { seed?: number } = {},
): EditSpec[] {
  if (text.trim() === '')
    throw new InputError('the edit is empty: say what to change, e.g. "replace the dog with a cat"');
  let scene = SceneSpec.parse(spec);
  const ctx: Context = { text, seed: opts.seed ?? scene.seed, last: undefined, hints: [...VERBS.keys()] };
  const edits: EditSpec[] = [];
  for (const clause of splitClauses(tokenize(text))) {
    const reader = new ClauseReader(clause, ctx, scene);
    const produced = parseClause(reader);
    // Apply now: later clauses see this one's result, and a bad edit fails here with its phrase.
    scene = applyEdits(scene, produced);
    edits.push(...produced);
  }
  if (edits.length === 0)
    throw new InputError(`"${text}" has no edit in it: e.g. "replace the dog with a cat"`);
  return edits;
}
