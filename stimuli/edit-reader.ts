import { InputError } from '../util/errors.ts';
import { itemRegion, resolveTarget } from './edit-apply.ts';
import type { EditRegion, EditTarget } from './edit-spec.ts';
import { PhraseReader } from './phrase-grammar.ts';
import {
  canPlay,
  longestConcept,
  RELATION_FORMS,
  SIZE_WORDS,
  WORD_NOUNS,
  ZONE_TAIL_WORDS,
  ZONE_WORDS,
  type RelationType,
  type Token,
  type Zone,
} from './phrase-lexicon.ts';
import type { SceneSpec } from './spec.ts';
import { wordConceptName } from './vocabulary.ts';

/**
 * Reading the parts edit clauses share: which items ("the red circle", "item 2", "all animals",
 * "it"), which region ("the left half", "the dog"), where to ("to the top right"), how strongly
 * ("a bit", "a lot"), and numbers ("30%", "90°"). The clause grammars are in edit-phrase.ts and
 * edit-effect-clauses.ts.
 */

const IMAGE_WORDS = new Set(['image', 'picture', 'scene', 'everything', 'whole', 'photo', 'canvas']);
const ORDINALS: Record<string, number> = {
  first: 0,
  second: 1,
  third: 2,
  fourth: 3,
  fifth: 4,
  sixth: 5,
};
const EMPTY_HEADS = new Set(['one', 'ones', 'thing', 'things', 'item', 'items', 'object', 'objects']);
const DETERMINERS = new Set(['the', 'a', 'an', 'this', 'that', 'these', 'those', 'its', 'their']);
const STRONG = new Set(['strongly', 'heavily', 'strong', 'heavy', 'lot', 'much', 'very', 'more', 'lots']);
const WEAK = new Set([
  'slightly',
  'lightly',
  'gently',
  'light',
  'slight',
  'little',
  'bit',
  'weak',
  'weakly',
  'mild',
  'mildly',
]);

export interface Context {
  text: string;
  seed: number;
  /** The targets of the previous clause, for 'it' / 'them'. */
  last: EditTarget[] | undefined;
  /** Words offered as near matches when a clause has an unknown word (the edit verbs). */
  hints: string[];
}

/** A number token: "3", "-45", "0.5", "30%" (→ 0.3 when `percent`), "90°". */
export function numberOf(word: string | undefined): { value: number; percent: boolean } | undefined {
  const m = /^(-?\d+(?:\.\d+)?)(%|°)?$/.exec(word ?? '');
  if (!m) return undefined;
  return { value: Number(m[1]), percent: m[2] === '%' };
}

export class ClauseReader extends PhraseReader {
  constructor(
    tokens: Token[],
    readonly ctx: Context,
    readonly scene: SceneSpec,
  ) {
    super(tokens, ctx.text, ctx.seed);
  }

  /** Consume a list separator: 'and' or a comma. */
  acceptSeparator(): boolean {
    const token = this.tokens[this.pos];
    if (this.word() === 'and' || (token?.type === 'punct' && token.text === ',')) {
      this.pos++;
      return true;
    }
    return false;
  }

  /** Consume the first of these single words that comes next. */
  acceptAny(...words: string[]): boolean {
    return words.some((w) => this.accept(w));
  }

  /** Consume the first of these word sequences that comes next. */
  acceptFirst(...sequences: string[][]): boolean {
    return sequences.some((words) => this.accept(...words));
  }

  fail(message: string): InputError {
    return new InputError(`${message} (in "${this.ctx.text}")`);
  }

  expectEnd(): void {
    while (this.word() === 'please') this.pos++;
    if (!this.done) throw this.unexpected(this.ctx.hints);
  }

  skipDeterminers(): void {
    while (DETERMINERS.has(this.word() ?? '')) this.pos++;
  }

  /** Remember targets for a later 'it' / 'them', by index, so they survive a replace or recolour. */
  remember(targets: EditTarget[]): void {
    this.ctx.last = targets.map((t) => resolveTarget(this.scene, t));
  }

  /** "the image", "everything", "the whole picture": the whole image rather than an item. */
  acceptImage(): boolean {
    const start = this.pos;
    this.skipDeterminers();
    let any = false;
    while (IMAGE_WORDS.has(this.word() ?? '')) {
      this.pos++;
      any = true;
    }
    if (!any) this.pos = start;
    return any;
  }

  /** Whether a target phrase starts here (something that names an existing item). */
  startsTarget(): boolean {
    const start = this.pos;
    try {
      return this.parseTargets(true).length > 0;
    } catch {
      return false;
    } finally {
      this.pos = start;
    }
  }

  /**
   * One or more items: "the dog", "the red circle", "the word 'hi'", "'hi'", "item 2", "the second
   * star", "all circles", "them", joined by 'and' / ','. Several items come back as indices.
   */
  parseTargets(quiet = false): EditTarget[] {
    const targets: EditTarget[] = [];
    for (;;) {
      const next = this.parseOneTarget();
      if (!next) break;
      targets.push(...next);
      const save = this.pos;
      if (this.acceptSeparator() && !this.done) {
        const more = this.pos;
        const probe = this.parseOneTarget();
        this.pos = more;
        if (probe) continue;
      }
      this.pos = save;
      break;
    }
    if (targets.length === 0 && !quiet) {
      // Point at the word that is not an item ("remove the dgo": 'dgo', with near matches).
      this.skipDeterminers();
      if (this.word() !== undefined) throw this.unexpected();
      throw this.fail(`expected which item, e.g. 'the dog', 'the red circle' or 'item 0'`);
    }
    return targets;
  }

  private parseOneTarget(): EditTarget[] | undefined {
    const start = this.pos;
    const w = this.word();
    if (w === 'it' || w === 'them') {
      this.pos++;
      if (!this.ctx.last) throw this.fail(`'${w}' needs an item named in an earlier edit`);
      return this.ctx.last;
    }
    if ((w === 'item' || w === 'number' || w === '#') && numberOf(this.word(1)) !== undefined) {
      this.pos += 2;
      return [this.checkIndex(numberOf(this.word(-1))!.value)];
    }
    if (w !== undefined && /^#\d+$/.test(w)) {
      this.pos++;
      return [this.checkIndex(Number(w.slice(1)))];
    }
    let all = false;
    if (this.acceptAny('all', 'every', 'each', 'both')) all = true;
    this.accept('of');
    this.skipDeterminers();
    // "one cat" is "a cat" (the first that matches): "remove one cat" takes one of several away.
    if (!all && this.word() === 'one' && this.tokens[this.pos + 1] !== undefined && this.word(1) !== 'of')
      this.pos++;
    let ordinal: number | 'last' | undefined;
    if (this.word() === 'last') ordinal = 'last';
    else if (this.word() !== undefined && this.word()! in ORDINALS) ordinal = ORDINALS[this.word()!];
    if (ordinal !== undefined) this.pos++;
    const names: string[] = [];
    let plural = false;
    for (;;) {
      const token = this.tokens[this.pos];
      if (!token) break;
      if (token.type === 'quoted') {
        names.push(wordConceptName(token.text));
        this.pos++;
        break;
      }
      if (token.type !== 'word') break;
      if (token.text in SIZE_WORDS) {
        this.pos++;
        continue;
      }
      if (WORD_NOUNS.has(token.text)) {
        this.pos++;
        const quoted = this.tokens[this.pos];
        if (quoted?.type === 'quoted') {
          names.push(wordConceptName(quoted.text));
          this.pos++;
        } else names.push('text');
        plural ||= token.text.endsWith('s');
        break;
      }
      if (EMPTY_HEADS.has(token.text) && names.length > 0) {
        plural ||= token.text.endsWith('s');
        this.pos++;
        break;
      }
      const match = longestConcept(this.tokens, this.pos);
      // A pure background ("sky") is not an item; grass/water can be an item's texture, road an object.
      if (
        !match ||
        !canPlay(match.resolved.concept, 'object', 'shape', 'category', 'colour', 'texture', 'word')
      )
        break;
      const concept = match.resolved.concept;
      this.pos += match.length;
      names.push(concept.name);
      if (!canPlay(concept, 'colour', 'texture')) {
        plural ||= match.resolved.plural;
        break;
      }
    }
    if (names.length === 0) {
      this.pos = start;
      return undefined;
    }
    const target: EditTarget = names.length === 1 ? names[0]! : names;
    if (!all && !plural && ordinal === undefined) return [target];
    const matches = this.matching(target);
    if (matches.length === 0) resolveTarget(this.scene, target); // throws, listing what the scene has
    if (ordinal === 'last') return [matches.at(-1)!];
    if (ordinal !== undefined) {
      const index = matches[ordinal];
      if (index === undefined) {
        throw this.fail(
          `there is no item number ${ordinal + 1} matching '${names.join(' ')}': the scene has ${matches.length}`,
        );
      }
      return [index];
    }
    return matches;
  }

  private checkIndex(index: number): number {
    resolveTarget(this.scene, index);
    return index;
  }

  /** Indices of every item a target matches. */
  matching(target: EditTarget): number[] {
    const out: number[] = [];
    this.scene.items.forEach((_, i) => {
      const single = { ...this.scene, items: [this.scene.items[i]!] };
      try {
        resolveTarget(single, typeof target === 'number' ? 0 : target);
        out.push(i);
      } catch {
        // not this one
      }
    });
    return out;
  }

  /** A relation to an item of the scene ("above the cat"), or undefined (nothing consumed). */
  tryRelationTo(): { type: RelationType; index: number } | undefined {
    for (const [form, type] of RELATION_FORMS) {
      if (!this.matches(form)) continue;
      const start = this.pos;
      this.pos += form.length;
      if (this.startsTarget()) {
        const [target] = this.parseTargets();
        return { type, index: resolveTarget(this.scene, target!) };
      }
      this.pos = start;
    }
    return undefined;
  }

  /** A region: "the left half", "the top right quarter", "the centre", or an item's box. */
  parseRegion(): EditRegion | undefined {
    const start = this.pos;
    this.skipDeterminers();
    let zone: Zone = {};
    let any = false;
    while (this.word() !== undefined && this.word()! in ZONE_WORDS) {
      zone = { ...zone, ...ZONE_WORDS[this.word()!] };
      this.pos++;
      any = true;
    }
    if (any) {
      if (ZONE_TAIL_WORDS.has(this.word() ?? '') || this.word() === 'quarter') this.pos++;
      this.accept('of', 'the', 'image');
      return zoneRegion(zone);
    }
    this.pos = start;
    if (this.startsTarget()) {
      const [target] = this.parseTargets();
      return itemRegion(this.scene, resolveTarget(this.scene, target!));
    }
    this.pos = start;
    return undefined;
  }

  /** "to the left", "to the top right", "to the centre": absolute coordinates for the named axes. */
  parseDestination(): { x?: number; y?: number } | undefined {
    const start = this.pos;
    if (!this.accept('to') && !this.accept('towards') && !this.accept('into') && !this.accept('in'))
      return undefined;
    this.skipDeterminers();
    let zone: Zone = {};
    let any = false;
    while (this.word() !== undefined && this.word()! in ZONE_WORDS) {
      zone = { ...zone, ...ZONE_WORDS[this.word()!] };
      this.pos++;
      any = true;
    }
    if (!any || this.word() === 'of') {
      this.pos = start;
      return undefined;
    }
    if (ZONE_TAIL_WORDS.has(this.word() ?? '')) this.pos++;
    const out: { x?: number; y?: number } = {};
    if (zone.horizontal) out.x = zone.horizontal === 'left' ? 0.25 : zone.horizontal === 'right' ? 0.75 : 0.5;
    if (zone.vertical) out.y = zone.vertical === 'top' ? 0.25 : zone.vertical === 'bottom' ? 0.75 : 0.5;
    return out;
  }

  /** "strongly" / "slightly" / "a lot" / "a bit": 'strong', 'weak' or undefined. */
  parseStrength(): 'strong' | 'weak' | undefined {
    let strength: 'strong' | 'weak' | undefined;
    for (;;) {
      const w = this.word();
      if (w === 'a' && (STRONG.has(this.word(1) ?? '') || WEAK.has(this.word(1) ?? ''))) {
        this.pos++;
        continue;
      }
      if (w !== undefined && STRONG.has(w)) strength = 'strong';
      else if (w !== undefined && WEAK.has(w)) strength = 'weak';
      else break;
      this.pos++;
      this.accept('of');
    }
    return strength;
  }
}

/** The image region a zone names: a half, a quarter, or the central half-size square. */
function zoneRegion(zone: Zone): EditRegion {
  const h = zone.horizontal;
  const v = zone.vertical;
  const centre = h === 'centre' && v === 'centre';
  if (centre) return { x0: 0.25, y0: 0.25, x1: 0.75, y1: 0.75 };
  const [x0, x1] = h === 'left' ? [0, 0.5] : h === 'right' ? [0.5, 1] : [0, 1];
  const [y0, y1] = v === 'top' ? [0, 0.5] : v === 'bottom' ? [0.5, 1] : [0, 1];
  return { x0, y0, x1, y1 };
}
