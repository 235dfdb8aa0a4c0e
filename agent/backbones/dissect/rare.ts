import { describeFormula, parseFormula, printFormula } from '../../../subjects/synthetic/index.ts';
import { getConcept, membersOf } from '../../../stimuli/vocabulary.ts';
import type { SubmitAnswerArgs } from '../../../tools/investigation/submit-answer.ts';
import { ok, type RareState, type State } from './state.ts';
import type { MemberStimulus, ProbeFamilyView, SearchStimuliView, Spec } from './views.ts';
import { probeFamily, type FamilyKind } from '../../../tools/scenes/probe-families.ts';

/**
 * dissect on a rare or silent unit: one that fires on fewer of the probe scenes than the exemplars
 * show (under 0.6% of 1,000), or on none. Statistics over the probe set cannot explain it (a formula
 * fitted to one or two scenes overfits, a constant unit matches nothing), so dissect escalates:
 *   1. search_stimuli: a seeded search over scene specs (dense grids, counts, relations, backgrounds)
 *      for scenes that drive the unit, with counterfactual edits of the best one (remove every X,
 *      remove one X, one more X, background → white) that say what it needs;
 *   2. targeted families (probe_families) on what it needs — counts of X, X against Y in each
 *      relation, X on each background, X at each size — with candidate formulas scored on them, and
 *      call_units on the minimal scene with X replaced by each member of its category, to name X at
 *      the right level (canoe, or any boat);
 *   3. the answer: the best formula on the family, X generalised to the category whose members all
 *      drive the unit; or, when nothing moved it, what was tried.
 */

/**
 * At most this many probe scenes above the middle of the unit's range (of the 6 top exemplars) makes a
 * unit rare: on 1,000 scenes, 0.2% or less. Units a little less rare (a word unit on 0.3% of scenes)
 * still have enough exemplars for the ordinary path.
 */
const RARE_FIRING = 2;
export const SEARCH_BUDGET = 2400;

/** Whether the exemplars say the unit is silent or rare on the probe set. */
export function isRare(state: State): boolean {
  const exemplars = ok(state.exemplars)?.data;
  if (!exemplars) return false;
  const { max, min } = exemplars.stats;
  if (!(max > min)) return true;
  const half = min + (max - min) / 2;
  const firing = exemplars.exemplars.filter((e) => e.rank === 'top' && e.activation > half).length;
  return firing <= RARE_FIRING;
}

/** What the search's counterfactual edits say the best scene needs. */
export interface Needs {
  objects: string[];
  /** The needed objects that are words (formulas write them word("…"), not as concepts). */
  words: string[];
  background?: string;
  /** Copies of the (first) needed object in the best scene, when its count matters. */
  count?: number;
  spec: Spec;
  activation: number;
}

export function needsOf(search: SearchStimuliView): Needs | undefined {
  const best = search.best[0];
  if (!search.moved || !best) return undefined;
  const spec = best.spec as unknown as Spec;
  const activation = best.activation;
  const big = (d: { drop: number }) => d.drop >= activation / 2 && d.drop > 0;
  const objects: string[] = [];
  let count: number | undefined;
  let background: string | undefined;
  for (const d of search.drivers) {
    const every = /^remove every (.+)$/.exec(d.change);
    if (every && big(d)) objects.push(every[1] as string);
    if (/^background /.test(d.change) && big(d)) background = spec.background;
  }
  for (const d of search.drivers) {
    const one = /^(?:remove one|one more) (.+?) \((\d+) →/.exec(d.change);
    if (one && big(d) && objects.includes(one[1] as string) && count === undefined) {
      if (one[1] === objects[0]) count = Number(one[2]);
    }
  }
  if (objects.length === 0) return undefined;
  // Plain items (no colour or texture), so swapping one for another member changes only what it is.
  const kept = spec.items
    .filter((it) => objects.includes(it.name))
    .map(({ colour: _colour, texture: _texture, ...plain }) => plain);
  const words = spec.items
    .filter((it) => it.kind === 'word' && objects.includes(it.name))
    .map((it) => it.name);
  return {
    objects: objects.slice(0, 2),
    words: [...new Set(words)],
    ...(background !== undefined ? { background } : {}),
    ...(count !== undefined ? { count } : {}),
    spec: { ...spec, items: kept, background: background ?? 'white' },
    activation,
  };
}

/**
 * A needed object as formulas write it: a word item as word("…"), a concept by its name (several
 * words stay as they are: "palm tree").
 */
function formulaName(needs: Pick<Needs, 'words'>, concept: string): string {
  return needs.words.includes(concept) ? `word(${JSON.stringify(concept)})` : concept;
}

/**
 * The probe_families calls that test the structure of what the scene needs, with their formulas, in
 * the order to ask for them: two objects → their relation; one whose count matters → counts; one on
 * a needed background → backgrounds; one alone → where it is (halves and quarters), then how large.
 * dissect asks for the next only while no formula so far fits the unit (FAMILY_FIT).
 */
export function familyCalls(unit: string, needs: Needs): Record<string, unknown>[] {
  const [x = '', y] = needs.objects;
  const X = formulaName(needs, x);
  const bg = needs.background;
  if (y !== undefined) {
    const Y = formulaName(needs, y);
    return [{
      unit, family: 'relation', x, y, ...(bg ? { background: bg } : {}),
      formulas: [`above(${X}, ${Y})`, `below(${X}, ${Y})`, `left_of(${X}, ${Y})`, `right_of(${X}, ${Y})`, `${X} AND ${Y}`]
        .map((f) => (bg ? `${f} AND ${bg}` : f)),
    }];
  }
  if (needs.count !== undefined) {
    const k = needs.count;
    return [{
      unit, family: 'count', x, ...(bg ? { background: bg } : {}),
      formulas: [`count(${X}) = ${k}`, `count(${X}) >= ${k}`, `count(${X}) <= ${k}`, X],
    }];
  }
  if (bg !== undefined) {
    // Every background the family draws, so the one the unit needs is named, not the scene it was found on.
    const backgrounds = ['sand', 'grass', 'water', 'snow', 'sky', 'road', 'wood', 'brick wall', 'beach'];
    return [{ unit, family: 'background', x, formulas: [...backgrounds.map((b) => `${X} AND ${b}`), X] }];
  }
  const halves = ['left', 'right', 'top', 'bottom'].map((h) => `${h}(${X})`);
  const quarters = ['left', 'right'].flatMap((h) => ['top', 'bottom'].map((v) => `${h}(${X}) & ${v}(${X})`));
  return [
    { unit, family: 'position', x, formulas: [X, ...halves, ...quarters] },
    { unit, family: 'size', x, formulas: [X, `small(${X})`, `medium(${X})`, `large(${X})`] },
  ];
} // prettier-ignore

/** A formula whose r on a family is at least this fits well enough that no further family is asked for. */
export const FAMILY_FIT = 0.95;

/** The best-fitting formula over the families asked for so far, with the index of its family. */
export function bestFamilyFormula(
  families: readonly (ProbeFamilyView | undefined)[],
): { formula: string; r: number; family: number } | undefined {
  let best: { formula: string; r: number; family: number } | undefined;
  families.forEach((view, family) => {
    for (const f of view?.formulas ?? []) {
      if (Number.isNaN(f.r)) continue;
      if (!best || f.r > best.r) best = { formula: f.formula, r: f.r, family };
    }
  });
  return best;
}

/**
 * The scene each needed object is swapped in: the targeted family's stimulus the unit answered most
 * (a clean layout: one relation, one count, one background), else the minimal found scene.
 */
export function swapBase(
  needs: Needs,
  family: ProbeFamilyView | undefined,
  args: Record<string, unknown>,
): Spec {
  const levels = family?.levels ?? [];
  const top = levels.reduce<(typeof levels)[number] | undefined>(
    (a, l) => (a && a.activation >= l.activation ? a : l),
    undefined,
  );
  if (!top || !(top.activation >= needs.activation / 2)) return needs.spec;
  const stimuli = probeFamily(args.family as FamilyKind, String(args.x), {
    ...(typeof args.y === 'string' ? { y: args.y } : {}),
    ...(typeof args.background === 'string' ? { background: args.background } : {}),
  });
  const spec = stimuli.find((s) => s.level === top.level)?.spec;
  return spec ? (spec as unknown as Spec) : needs.spec;
}

/** The base scene with each needed object replaced by each other member of its categories. */
export function memberStimuli(needs: Needs, base: Spec): MemberStimulus[] {
  const out: MemberStimulus[] = [{ replaced: '', by: '', spec: base }];
  for (const x of needs.objects) {
    for (const other of siblings(x).slice(0, 8)) {
      const items = base.items.map((it) => (it.name === x ? { ...it, name: other } : it));
      out.push({ replaced: x, by: other, spec: { ...base, items } });
    }
  }
  return out.slice(0, 24);
}

/** Other objects under the same parents as x (the parent itself when it is drawable too). */
function siblings(x: string): string[] {
  const parents = getConcept(x)?.parents ?? [];
  const out: string[] = [];
  for (const p of parents) {
    if (getConcept(p)?.kind === 'object' && !out.includes(p) && p !== x) out.push(p);
    for (const m of membersOf(p, 'object')) if (m !== x && !out.includes(m)) out.push(m);
  }
  return out;
}

/**
 * The concept to name for x: the broadest parent all of whose tested members drive the unit (at
 * least half the minimal scene's activation), else x itself.
 */
export function generalise(x: string, stimuli: MemberStimulus[], activations: number[]): string {
  const base = activations[0] ?? 0;
  if (!(base > 0)) return x;
  const fired = new Map<string, boolean>();
  stimuli.forEach((s, k) => {
    if (s.replaced === x) fired.set(s.by, (activations[k] ?? 0) >= base / 2);
  });
  let chosen = x;
  for (const p of getConcept(x)?.parents ?? []) {
    const tested = [...fired].filter(([m]) => m === p || membersOf(p, 'object').includes(m));
    if (tested.length > 0 && tested.every(([, f]) => f)) chosen = p;
  }
  return chosen;
}

/** The rare path's answer, or undefined when it has nothing to add to the ordinary one. */
export function rareAnswer(unit: string, state: State, rare: RareState): SubmitAnswerArgs | undefined {
  const search = ok(rare.search);
  if (!search) return undefined;
  const exemplars = ok(state.exemplars)?.data;
  const probeScenes = exemplars?.scenes ?? 0;
  const tried =
    `search_stimuli evaluated ${search.data.evaluated} scenes (dense grids of objects, counts of one object, ` +
    `pairs in each relation, scene backgrounds, then edits of the best)`;
  const needs = needsOf(search.data);
  const refs = [ok(state.exemplars)?.ref, search.ref].filter((r): r is string => r !== undefined);
  if (!needs) {
    return {
      description:
        `${unit} ${search.data.moved ? 'is rare' : 'never activates'} on the probe set (${probeScenes} scenes), and ${tried}: ` +
        (search.data.moved
          ? `some scenes moved it (best: ${search.data.best[0]?.contents ?? '?'}), but no single thing in them was needed.`
          : 'no scene moved it. What drives it is not in the rendered vocabulary, or needs a conjunction the search did not reach.'),
      confidence: 0.05,
      evidence: refs,
      unit,
    };
  }
  const families = (rare.families ?? []).map((f) => ok(f));
  const members = ok(rare.members);
  for (const f of families) if (f) refs.push(f.ref);
  if (members) refs.push(members.ref);
  const best = bestFamilyFormula(families.map((f) => f?.data));
  const family = best ? families[best.family] : undefined;
  let text = best?.formula ?? needs.objects.map((x) => formulaName(needs, x)).join(' AND ');
  if (members) {
    for (const x of needs.objects) {
      const g = generalise(x, members.data.stimuli, members.data.activations);
      if (g !== x && !needs.words.includes(x)) text = text.split(x).join(g);
    }
  }
  let formula: string;
  try {
    formula = printFormula(parseFormula(text));
  } catch {
    formula = needs.objects.map((x) => formulaName(needs, x)).join(' AND ');
  }
  const r = best?.r ?? 0;
  return {
    description:
      `${unit} fires on ${describeFormula(parseFormula(formula))}. It is rare: the probe set's ${probeScenes} scenes ` +
      `barely move it, so ${tried}; the best scene (${search.data.best[0]?.contents ?? '?'}, activation ` +
      `${Math.round(needs.activation * 100) / 100}) needs ${needs.objects.join(' and ')}` +
      `${needs.background ? ` on ${needs.background}` : ''}${needs.count !== undefined ? ` (${needs.count} of them)` : ''}` +
      (family ? `; on a targeted ${family.data.family} family ${formula} has r ${Math.round(r * 100) / 100}` : '') +
      '.',
    formula,
    confidence: Math.round(Math.min(0.9, 0.4 + 0.5 * Math.max(0, r)) * 100) / 100,
    evidence: refs,
    unit,
  };
} // prettier-ignore
