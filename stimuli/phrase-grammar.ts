import { InputError } from '../util/errors.ts';
import { MAX_ITEMS } from './spec.ts';
import type { LayoutGroup } from './phrase-layout.ts';
import {
  BACKGROUND_NOUNS,
  BACKGROUND_PREPOSITIONS,
  canPlay,
  countOf,
  longestConcept,
  RELATION_FORMS,
  SIZE_WORDS,
  STOP_WORDS,
  unknownWordError,
  WORD_NOUNS,
  ZONE_TAIL_WORDS,
  ZONE_WORDS,
  type RelationType,
  type Token,
  type Zone,
} from './phrase-lexicon.ts';
import { ancestors, conceptsOfKind, type Concept } from './vocabulary.ts';

/**
 * The scene phrase grammar, as a reader over tokens that the scene parser (phrase.ts) and the edit
 * parser (edit-phrase.ts) both drive:
 *
 *   scene     := (group | background | position | relation group | 'with' texture | joiner)*
 *   group     := [determiner] [count] adjective* head
 *   adjective := size word | colour | texture
 *   head      := object | shape | category (a seeded pick of its members) | [word-noun] "quoted text"
 *   background:= (on|in|against|over) [the|a] [plain] (background concept | colour) [background]
 *   position  := (on|at|in|to) [the] zone word+ [side|corner|half…]        (not followed by 'of')
 *   relation  := above | below | beside | next to | on top of | (to the) left/right of | on X (object)
 *
 * Every token must be used by a rule or be in STOP_WORDS; anything else is an InputError quoting it.
 */

export interface PhraseGroup extends LayoutGroup {
  colour?: string;
  texture?: string;
  /** Introduced by 'the' without a count ("the dog"): may name a thing already in a scene being edited. */
  definite?: boolean;
}

/** Deterministic random numbers in [0, 1) from a seed (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = (seed ^ 0x9e3779b9) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DETERMINERS = new Set(['a', 'an', 'the', 'this', 'that', 'these', 'those', 'its']);
const POSITION_PREPOSITIONS = new Set(['on', 'at', 'in', 'to', 'towards', 'toward']);
/** Framing at the start of a phrase ("a picture of …") that says nothing about the scene. */
const FRAMING = new Set(['picture', 'image', 'photo', 'photograph', 'drawing', 'scene', 'painting']);

const isHeadConcept = (c: Concept) => canPlay(c, 'object', 'shape', 'category');
const isAdjectiveConcept = (c: Concept) => canPlay(c, 'colour', 'texture');

export class PhraseReader {
  pos = 0;
  readonly groups: PhraseGroup[] = [];
  background: string | undefined;
  private readonly random: () => number;

  constructor(
    readonly tokens: Token[],
    readonly phrase: string,
    seed: number,
  ) {
    this.random = seededRandom(seed);
  }

  get done(): boolean {
    return this.pos >= this.tokens.length;
  }

  /** The word at pos + offset, or undefined if there is none or it is not a plain word. */
  word(offset = 0): string | undefined {
    const token = this.tokens[this.pos + offset];
    return token?.type === 'word' ? token.text : undefined;
  }

  /** Whether the words at pos + offset are exactly `words`. */
  matches(words: string[], offset = 0): boolean {
    return words.every((w, i) => this.word(offset + i) === w);
  }

  /** Consume `words` if they come next. */
  accept(...words: string[]): boolean {
    if (!this.matches(words)) return false;
    this.pos += words.length;
    return true;
  }

  /** An error for the token at pos: an unknown word with suggestions, or what was expected there. */
  unexpected(extraWords: string[] = []): InputError {
    const token = this.tokens[this.pos];
    if (!token) return new InputError(`"${this.phrase}" ends too early`);
    if (token.type === 'word') {
      // A known concept in the wrong place gets told where it belongs.
      const known = longestConcept(this.tokens, this.pos);
      if (known && !isHeadConcept(known.resolved.concept)) {
        const c = known.resolved.concept;
        const where = canPlay(c, 'background')
          ? `; for a background say 'on ${c.name}'`
          : canPlay(c, 'colour', 'texture')
            ? `; put it before what it describes, e.g. '${c.name} circle'`
            : '';
        return new InputError(
          `'${c.name}' in "${this.phrase}" is a ${c.kind}, not something to draw${where}`,
        );
      }
      return unknownWordError(token.text, this.phrase, extraWords);
    }
    if (token.type === 'quoted')
      return new InputError(`unexpected quoted text '${token.text}' in "${this.phrase}"`);
    return new InputError(`unexpected '${token.text}' in "${this.phrase}"`);
  }

  /** Skip a leading "a picture of", "an image showing", "an empty scene" … */
  skipFraming(): void {
    let offset = 0;
    if (DETERMINERS.has(this.word() ?? '')) offset++;
    if (this.word(offset) === 'empty') offset++;
    if (!FRAMING.has(this.word(offset) ?? '')) return;
    offset++;
    if (['of', 'showing', 'with'].includes(this.word(offset) ?? '')) offset++;
    this.pos += offset;
  }

  isJoiner(): boolean {
    const token = this.tokens[this.pos];
    return token?.type === 'punct' || this.word() === 'and' || this.word() === 'plus';
  }

  /** The whole scene grammar: groups, backgrounds, positions and relations until the tokens run out. */
  parseScene(stopAt: (reader: PhraseReader) => boolean = () => false): void {
    let last: PhraseGroup | undefined;
    while (!this.done && !stopAt(this)) {
      if (this.isJoiner()) {
        this.pos++;
        continue;
      }
      if (this.tryBackground()) continue;
      const zone = this.tryPosition();
      if (zone) {
        if (!last) throw new InputError(`a position in "${this.phrase}" must follow the thing it places`);
        last.zone = { ...last.zone, ...zone };
        continue;
      }
      if (last && this.tryWithTexture(last)) continue;
      if (last && this.tryInColour(last)) continue;
      const relation = this.tryRelation();
      if (relation) {
        if (!last)
          throw new InputError(`'${relation.words}' in "${this.phrase}" must follow the thing it places`);
        last.relation = { type: relation.type, target: this.groups.indexOf(relation.target) };
        last = relation.target;
        continue;
      }
      const group = this.parseGroup();
      if (group) {
        last = group;
        continue;
      }
      if (this.word() !== undefined && (STOP_WORDS.has(this.word()!) || this.word() === 'with')) {
        this.pos++;
        continue;
      }
      // Point at the word that broke the group, not at its determiner ("a dgo": 'dgo'); framing
      // words after a determiner ("a picture of") are stop-words too.
      const start = this.pos;
      while (
        this.word() !== undefined &&
        (DETERMINERS.has(this.word()!) || countOf(this.word()!) !== undefined || this.word()! in SIZE_WORDS)
      )
        this.pos++;
      if (this.pos > start && STOP_WORDS.has(this.word() ?? '')) {
        this.pos++;
        continue;
      }
      throw this.unexpected();
    }
  }

  /** A group (count, adjectives, head) at pos, added to `groups`; undefined (nothing consumed) if none. */
  parseGroup(): PhraseGroup | undefined {
    const start = this.pos;
    const spec = this.readGroupWords();
    if (!spec) {
      this.pos = start;
      return undefined;
    }
    const total = this.groups.reduce((n, g) => n + g.names.length, 0) + spec.names.length;
    if (total > MAX_ITEMS) {
      throw new InputError(`"${this.phrase}" asks for ${total} items; a scene holds at most ${MAX_ITEMS}`);
    }
    this.groups.push(spec);
    return spec;
  }

  private readGroupWords(): PhraseGroup | undefined {
    const start = this.pos;
    let count: number | undefined;
    let sizeFactor = 1;
    let colour: string | undefined;
    let texture: string | undefined;
    const adjectiveWords: string[] = [];
    let definite = false;

    // Determiners and counts: "a", "the two", "a couple of", "a few", "lots of", "3".
    for (;;) {
      const w = this.word();
      if (w === undefined) break;
      if (DETERMINERS.has(w)) {
        if (w === 'a' || w === 'an') count ??= 1;
        if (w === 'the') definite = true;
        this.pos++;
        continue;
      }
      if ((w === 'lots' || w === 'lot') && this.word(1) === 'of') {
        count = 5;
        this.pos += 2;
        continue;
      }
      const n = countOf(w);
      if (n !== undefined) {
        count = n;
        this.pos++;
        if (this.word() === 'of') this.pos++;
        continue;
      }
      break;
    }

    // Adjectives, then the head.
    for (;;) {
      const token = this.tokens[this.pos];
      if (!token) break;
      if (token.type === 'quoted') {
        this.pos++;
        return {
          ...this.makeWordGroup(token.text, count, sizeFactor, colour, texture),
          definite: definite && !count,
        };
      }
      if (token.type !== 'word') break;
      const w = token.text;
      if (w in SIZE_WORDS) {
        sizeFactor = SIZE_WORDS[w]!;
        adjectiveWords.push(w);
        this.pos++;
        continue;
      }
      if (WORD_NOUNS.has(w)) {
        const next = this.tokens[this.pos + 1];
        if (next?.type === 'quoted') {
          this.pos += 2;
          return {
            ...this.makeWordGroup(next.text, count, sizeFactor, colour, texture),
            definite: definite && !count,
          };
        }
        throw new InputError(`'${w}' in "${this.phrase}" needs its text in quotes, e.g. the word 'stop'`);
      }
      const head = longestConcept(this.tokens, this.pos, isHeadConcept);
      const adjective = longestConcept(this.tokens, this.pos, isAdjectiveConcept);
      // Prefer the longer match; on a tie, an adjective only if something follows it ("dots" alone
      // are circles, "dots circle" is a dotted circle).
      const useAdjective =
        adjective !== undefined &&
        (head === undefined ||
          adjective.length > head.length ||
          (adjective.length === head.length && this.continuesGroup(this.pos + adjective.length)));
      if (adjective && useAdjective) {
        const concept = adjective.resolved.concept;
        if (canPlay(concept, 'colour')) {
          if (colour !== undefined && colour !== concept.name)
            throw new InputError(
              `"${this.phrase}" gives one item two colours, '${colour}' and '${concept.name}'`,
            );
          colour = concept.name;
        } else {
          if (texture !== undefined && texture !== concept.name)
            throw new InputError(
              `"${this.phrase}" gives one item two textures, '${texture}' and '${concept.name}'`,
            );
          texture = concept.name;
        }
        adjectiveWords.push(concept.name);
        this.pos += adjective.length;
        continue;
      }
      if (head) {
        this.pos += head.length;
        const n = count ?? (head.resolved.plural ? 3 : 1);
        const group = this.makeConceptGroup(head.resolved.concept, n, sizeFactor, colour, texture);
        return { ...group, definite: definite && count === undefined && !head.resolved.plural };
      }
      break;
    }
    if (this.pos === start) return undefined;
    if (adjectiveWords.length === 0) {
      // Only determiners: let the caller decide ("the left" is a position, "a" alone is an error).
      return undefined;
    }
    const next = this.tokens[this.pos];
    const what = adjectiveWords.join(' ');
    if (next?.type === 'word') {
      const other = longestConcept(this.tokens, this.pos);
      if (other && !isHeadConcept(other.resolved.concept)) {
        throw new InputError(
          `'${other.resolved.concept.name}' in "${this.phrase}" is a ${other.resolved.concept.kind}, not something to draw` +
            (canPlay(other.resolved.concept, 'background')
              ? `; for a background say 'on ${other.resolved.concept.name}'`
              : ''),
        );
      }
      throw this.unexpected();
    }
    throw new InputError(
      `'${what}' in "${this.phrase}" describes nothing: add what it describes, e.g. '${what} circle'`,
    );
  }

  /** Whether the token at `index` can continue a group (another adjective, a head, or quoted text). */
  private continuesGroup(index: number): boolean {
    const token = this.tokens[index];
    if (!token) return false;
    if (token.type === 'quoted') return true;
    if (token.type !== 'word') return false;
    if (token.text in SIZE_WORDS || WORD_NOUNS.has(token.text)) return true;
    const next = longestConcept(this.tokens, index);
    return (
      next !== undefined &&
      (isHeadConcept(next.resolved.concept) || isAdjectiveConcept(next.resolved.concept))
    );
  }

  private makeWordGroup(
    text: string,
    count: number | undefined,
    sizeFactor: number,
    colour: string | undefined,
    texture: string | undefined,
  ): PhraseGroup {
    if (text.length > 64)
      throw new InputError(`the text '${text.slice(0, 20)}…' is ${text.length} characters; at most 64`);
    const n = count ?? 1;
    this.checkCount(n);
    return { kind: 'word', names: Array.from({ length: n }, () => text), sizeFactor, colour, texture };
  }

  private makeConceptGroup(
    concept: Concept,
    count: number,
    sizeFactor: number,
    colour: string | undefined,
    texture: string | undefined,
  ): PhraseGroup {
    this.checkCount(count);
    if (canPlay(concept, 'object') || canPlay(concept, 'shape')) {
      const kind = canPlay(concept, 'object') ? 'object' : 'shape';
      return { kind, names: Array.from({ length: count }, () => concept.name), sizeFactor, colour, texture };
    }
    // A category: draw members of it, distinct while there are enough, chosen by the seed.
    const members = [...conceptsOfKind('object'), ...conceptsOfKind('shape')].filter((name) =>
      ancestors(name).includes(concept.name),
    );
    if (members.length === 0) {
      throw new InputError(
        `nothing drawable is a '${concept.name}' (in "${this.phrase}"); name a concrete thing`,
      );
    }
    const kinds = new Set(members.map((m) => (conceptsOfKind('object').includes(m) ? 'object' : 'shape')));
    const pool = [...members];
    const names: string[] = [];
    for (let i = 0; i < count; i++) {
      if (pool.length === 0) pool.push(...members);
      const [pick] = pool.splice(Math.floor(this.random() * pool.length), 1);
      names.push(pick!);
    }
    // A group has one kind; categories mixing objects and shapes ('structure') keep to the first pick's.
    const kind =
      kinds.size === 1 ? [...kinds][0]! : conceptsOfKind('object').includes(names[0]!) ? 'object' : 'shape';
    const sameKind = names.map((n) => (conceptsOfKind(kind).includes(n) ? n : names[0]!));
    return { kind, names: sameKind, sizeFactor, colour, texture };
  }

  private checkCount(n: number): void {
    if (n < 1) throw new InputError(`a count in "${this.phrase}" must be at least 1`);
    if (n > MAX_ITEMS)
      throw new InputError(`a count of ${n} in "${this.phrase}" is over the limit of ${MAX_ITEMS} items`);
  }

  /**
   * A background clause at pos; sets `background` and returns true, or consumes nothing and returns
   * false. "on a white circle" is not a background (a colour followed by a thing), "on white" is.
   */
  tryBackground(): boolean {
    const start = this.pos;
    const preposition = this.matches(['in', 'front', 'of']) ? 'in front of' : this.word();
    const strong = preposition !== undefined && BACKGROUND_PREPOSITIONS.has(preposition);
    // "with a grass background" is a background only with the noun; "with grass" is a texture.
    if (preposition === 'in front of') this.pos += 3;
    else if (strong || preposition === 'with') this.pos++;
    while (DETERMINERS.has(this.word() ?? '')) this.pos++;
    const plain = this.accept('plain');
    const match = longestConcept(this.tokens, this.pos, (c) => canPlay(c, 'background'));
    const nounAt = (index: number) => {
      const token = this.tokens[index];
      return token?.type === 'word' && BACKGROUND_NOUNS.has(token.text);
    };
    if (match) {
      const after = this.pos + match.length;
      const nounFollows = nounAt(after);
      // "on white", "on a plain white …", "on grass" — but "on a white circle" and "on a wooden box" are
      // things, and "in blue" is the colour of the thing before it.
      const colourOnly = canPlay(match.resolved.concept, 'colour');
      const ok =
        nounFollows ||
        ((strong || preposition === 'in front of') &&
          (plain || !this.continuesGroup(after)) &&
          !(colourOnly && preposition === 'in' && !plain));
      if (ok) {
        this.pos = after + (nounFollows ? 1 : 0);
        this.setBackground(match.resolved.concept.name);
        return true;
      }
    } else if (nounAt(this.pos) && (strong || plain || preposition === 'with')) {
      // "on a plain background": plain white.
      this.pos++;
      this.setBackground('white');
      return true;
    }
    this.pos = start;
    return false;
  }

  private setBackground(name: string): void {
    if (this.background !== undefined && this.background !== name) {
      throw new InputError(`"${this.phrase}" names two backgrounds, '${this.background}' and '${name}'`);
    }
    this.background = name;
  }

  /** A position ("on the left", "at the top right", "in the centre") at pos, or undefined. */
  tryPosition(): Zone | undefined {
    const start = this.pos;
    if (!POSITION_PREPOSITIONS.has(this.word() ?? '')) return undefined;
    this.pos++;
    this.accept('the');
    let zone: Zone | undefined;
    while (this.word() !== undefined && this.word()! in ZONE_WORDS) {
      zone = { ...zone, ...ZONE_WORDS[this.word()!] };
      this.pos++;
    }
    if (zone && ZONE_TAIL_WORDS.has(this.word() ?? '')) this.pos++;
    if (!zone || this.word() === 'of') {
      this.pos = start;
      return undefined;
    }
    return zone;
  }

  /** "with stripes", "with a striped pattern", "with a wood texture": the last group's texture. */
  private tryWithTexture(last: PhraseGroup): boolean {
    if (this.word() !== 'with') return false;
    const start = this.pos;
    this.pos++;
    while (DETERMINERS.has(this.word() ?? '')) this.pos++;
    const match = longestConcept(this.tokens, this.pos, (c) => canPlay(c, 'texture'));
    if (match && !this.continuesGroupAsThing(this.pos + match.length)) {
      this.pos += match.length;
      if (['texture', 'pattern', 'fill'].includes(this.word() ?? '')) this.pos++;
      last.texture = match.resolved.concept.name;
      return true;
    }
    this.pos = start;
    return false;
  }

  /** "in red": the last group's colour (but "in red background" is a background, handled earlier). */
  private tryInColour(last: PhraseGroup): boolean {
    if (this.word() !== 'in') return false;
    const match = longestConcept(this.tokens, this.pos + 1, (c) => canPlay(c, 'colour'));
    if (!match || this.continuesGroup(this.pos + 1 + match.length)) return false;
    this.pos += 1 + match.length;
    last.colour = match.resolved.concept.name;
    return true;
  }

  private continuesGroupAsThing(index: number): boolean {
    const token = this.tokens[index];
    if (token?.type !== 'word') return token?.type === 'quoted';
    const next = longestConcept(this.tokens, index);
    return next !== undefined && isHeadConcept(next.resolved.concept);
  }

  /** A relation and the group it points to ("above a tent"), or undefined (nothing consumed). */
  tryRelation(): { type: RelationType; words: string; target: PhraseGroup } | undefined {
    for (const [form, type] of RELATION_FORMS) {
      if (!this.matches(form)) continue;
      const start = this.pos;
      this.pos += form.length;
      const target = this.parseGroup();
      if (target) return { type, words: form.join(' '), target };
      this.pos = start;
      // Plain "on"/"over"/"by" may start something else (a position, a background); others need a thing.
      if (form.length === 1 && ['on', 'over', 'by', 'near'].includes(form[0]!)) return undefined;
      throw new InputError(
        `'${form.join(' ')}' in "${this.phrase}" needs a thing after it, e.g. '${form.join(' ')} a tent'`,
      );
    }
    return undefined;
  }
}
