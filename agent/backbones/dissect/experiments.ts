import type { Formula, Half } from '../../../subjects/synthetic/index.ts';
import { getConcept, isA, WORD_PREFIX } from '../../../stimuli/vocabulary.ts';
import {
  controlObject,
  depict,
  NEUTRAL_BACKGROUNDS,
  scenePhrase,
  thingShows,
  type Thing,
} from './realise.ts';
import type { SpecView } from './views.ts';

/**
 * Counterfactual experiments for a candidate formula: phrases that should drive the unit (the formula
 * holds) against matched phrases that should not (one thing changed: the concept swapped for a control
 * object, a required concept left out, a forbidden one put in, the item moved to the other half), and
 * exact edits of top exemplars that take away what the formula needs. Then how the unit's responses
 * bear on the formula.
 */

/** One way the formula can hold: a thing (or a background) firing, with gates present or absent. */
export interface Clause {
  thing?: Thing;
  /** The background the clause fires on, when its concept is a background (sky, grass). */
  background?: string;
  with: string[];
  without: string[];
  /** The formula's concepts the firing part shows. */
  fires: string[];
}

const MAX_CLAUSES = 3;

/** The formula as clauses, or undefined when it uses operators these experiments cannot depict. */
export function clausesOf(formula: Formula, pick = 0): Clause[] | undefined {
  switch (formula.op) {
    case 'concept':
    case 'word': {
      const name = formula.op === 'word' ? `${WORD_PREFIX}${formula.text}` : formula.name;
      const depiction = depict(name, pick);
      if (!depiction) return undefined;
      return [{ ...depiction, with: [], without: [], fires: [name] }];
    }
    case 'half': {
      const inner = clausesOf(formula.arg, pick);
      return inner?.map((c) => (c.thing ? { ...c, thing: { ...c.thing, half: formula.half } } : c));
    }
    case 'or': {
      const left = clausesOf(formula.left, pick);
      const right = clausesOf(formula.right, pick);
      return left && right ? [...left, ...right].slice(0, MAX_CLAUSES) : undefined;
    }
    case 'intersect': {
      const left = clausesOf(formula.left, pick);
      const right = clausesOf(formula.right, pick);
      if (!left || !right || left.length !== 1 || right.length !== 1) return left ?? right;
      return [merge(left[0] as Clause, right[0] as Clause)];
    }
    case 'and': {
      const left = clausesOf(formula.left, pick);
      const negate = formula.right.op === 'not';
      const gate = formula.right.op === 'not' ? formula.right.arg : formula.right;
      const name =
        gate.op === 'concept' ? gate.name : gate.op === 'word' ? `${WORD_PREFIX}${gate.text}` : undefined;
      if (!left || name === undefined) return undefined;
      return left.map((c) =>
        negate ? { ...c, without: [...c.without, name] } : { ...c, with: [...c.with, name] },
      );
    }
    default:
      return undefined;
  }
}

/** `red & circle` → a red circle: an attribute (colour, texture) goes onto the other clause's thing. */
function merge(a: Clause, b: Clause): Clause {
  const attribute = (c: Clause) => {
    const kind = getConcept(c.fires[0] ?? '')?.kind;
    return kind === 'colour' || kind === 'texture' ? (c.fires[0] as string) : undefined;
  };
  const combined = (base: Clause, extra: Clause): Clause => ({
    ...base,
    with: [...base.with, ...extra.with],
    without: [...base.without, ...extra.without],
    fires: [...base.fires, ...extra.fires],
  });
  for (const [base, extra] of [
    [a, b],
    [b, a],
  ] as const) {
    const value = attribute(extra);
    if (base.thing && base.thing.kind !== 'word' && value !== undefined) {
      const kind = getConcept(value)?.kind;
      return {
        ...combined(base, extra),
        thing: kind === 'colour' ? { ...base.thing, colour: value } : { ...base.thing, texture: value },
        background: undefined,
      };
    }
  }
  // Two things: the more specific one is both (dog & animal is a dog).
  if (a.thing && b.thing && isA(b.thing.name, a.thing.name)) return combined(b, a);
  return combined(a, b);
}

export interface Stimulus {
  phrase: string;
  expect: 'high' | 'low';
  clause: number;
  /** Why it is in the set, for the transcript: "with the concept", "control", "without handle", … */
  role: string;
  /** What the scene shows besides the clause's thing (its background and other items). */
  context: string[];
}

/** Most stimuli a contrast uses (call_units takes up to 24). */
const MAX_STIMULI = 24;

/**
 * The contrast set. Positives vary the background (a white plain, grass, sand, the sky) so an
 * exception shows up as a failure on one of them; each negative changes one thing of a positive.
 */
export function contrastStimuli(clauses: readonly Clause[], formulaConcepts: readonly string[]): Stimulus[] {
  const out: Stimulus[] = [];
  const related = (a: string, b: string) => isA(a, b) || isA(b, a);
  clauses.forEach((clause, k) => {
    const control = controlObject(formulaConcepts, k);
    const gateThings: { concept: string; thing?: Thing; background?: string }[] = clause.with.map((g) => ({
      concept: g,
      ...depict(g),
    }));
    const requiredBackground = clause.background ?? gateThings.find((g) => g.background)?.background;
    const forbidden = clause.without;
    const backgrounds = requiredBackground
      ? [requiredBackground]
      : NEUTRAL_BACKGROUNDS.filter((b) => !forbidden.some((f) => related(b, f))).slice(0, 3);
    const extras = gateThings.flatMap((g) => (g.thing ? [g.thing] : []));
    const main = clause.thing ?? control;
    const push = (things: Thing[], background: string, expect: 'high' | 'low', role: string) => {
      const phrase = scenePhrase(things, background);
      if (!phrase || out.some((s) => s.phrase === phrase)) return;
      const context = [background, ...things.filter((t) => t !== main).map((t) => t.name)];
      out.push({ phrase, expect, clause: k, role, context });
    };
    for (const background of backgrounds) push([main, ...extras], background, 'high', 'holds');
    const first = backgrounds[0] ?? 'white';
    if (clause.thing) {
      push([control, ...extras], first, 'low', `${control.name} instead`);
      const second = controlObject(formulaConcepts, k + 1);
      push([second, ...extras], backgrounds[1] ?? first, 'low', `${second.name} instead`);
    } else {
      const plain = NEUTRAL_BACKGROUNDS.find((b) => !formulaConcepts.some((c) => related(b, c))) ?? 'white';
      push([control], plain, 'low', `no ${clause.background ?? 'background'}`);
    }
    for (const g of gateThings) {
      if (g.thing) push([main, ...extras.filter((t) => t !== g.thing)], first, 'low', `without ${g.concept}`);
      else {
        const other = NEUTRAL_BACKGROUNDS.find((b) => !related(b, g.concept) && !forbidden.includes(b));
        if (other) push([main, ...extras], other, 'low', `without ${g.concept}`);
      }
    }
    for (const f of forbidden) {
      const depiction = depict(f);
      if (depiction?.background) push([main, ...extras], depiction.background, 'low', `with ${f}`);
      else if (depiction?.thing) push([main, ...extras, depiction.thing], first, 'low', `with ${f}`);
    }
    if (clause.thing?.half) {
      const opposite: Record<Half, Half> = { left: 'right', right: 'left', top: 'bottom', bottom: 'top' };
      push([{ ...clause.thing, half: opposite[clause.thing.half] }, ...extras], first, 'low', 'other half');
    }
  });
  return out.slice(0, MAX_STIMULI);
}

export interface ContrastResult {
  /** Share of positives firing (at least halfway from the unit's probe-set minimum to its maximum), and of negatives. */
  hitRate: number;
  falseRate: number;
  /** hitRate − falseRate, in [−1, 1]. */
  score: number;
  meanHigh: number;
  meanLow: number;
  failures: Stimulus[];
  successes: Stimulus[];
  falseAlarms: Stimulus[];
}

/** The unit's range over the probe set: what "firing" is measured against. */
export interface Scale {
  low: number;
  high: number;
}

/** Whether an activation is at least `share` of the way from the unit's lowest to its highest. */
export function fires(activation: number, scale: Scale, share = 0.5): boolean {
  return activation >= scale.low + share * (scale.high - scale.low);
}

export function judgeContrast(
  stimuli: readonly Stimulus[],
  activations: readonly number[],
  scale: Scale,
): ContrastResult | undefined {
  if (activations.length !== stimuli.length || stimuli.length === 0) return undefined;
  const on = (a: number) => fires(a, scale);
  const high = stimuli
    .map((s, i) => ({ s, a: activations[i] as number }))
    .filter((x) => x.s.expect === 'high');
  const low = stimuli.map((s, i) => ({ s, a: activations[i] as number })).filter((x) => x.s.expect === 'low');
  const mean = (xs: { a: number }[]) => (xs.length ? xs.reduce((t, x) => t + x.a, 0) / xs.length : 0);
  const hitRate = high.length ? high.filter((x) => on(x.a)).length / high.length : 0;
  const falseRate = low.length ? low.filter((x) => on(x.a)).length / low.length : 0;
  return {
    hitRate,
    falseRate,
    score: hitRate - falseRate,
    meanHigh: mean(high),
    meanLow: mean(low),
    failures: high.filter((x) => !on(x.a)).map((x) => x.s),
    successes: high.filter((x) => on(x.a)).map((x) => x.s),
    falseAlarms: low.filter((x) => on(x.a)).map((x) => x.s),
  };
}

/** An edit of one exemplar, as edit_scenes takes it: edit specs applied in order. */
export interface EditPlan {
  probeScene: number;
  edits: Record<string, unknown>[];
  /** What it does, in words. */
  summary: string;
}

const NEUTRAL_COLOURS = ['gray', 'black', 'white', 'brown'];

function neutral(options: readonly string[], avoid: readonly string[]): string {
  return options.find((o) => !avoid.some((a) => isA(o, a) || isA(a, o))) ?? (options[0] as string);
}

/**
 * Edits of exemplar scenes that should lower the unit if the formula is right: take away everything
 * showing what a clause fires on (remove the items, clear a colour or texture, change the background);
 * for a gate, take the required concept away or put the forbidden one in; for a half, move the item
 * across. Each kind of test once (on the first scene it applies to), then more removals, up to `limit`.
 */
export function designEdits(
  clauses: readonly Clause[],
  scenes: readonly { probeScene: number; spec: SpecView }[],
  formulaConcepts: readonly string[],
  limit = 3,
): EditPlan[] {
  const fires = [...new Set(clauses.flatMap((c) => c.fires))];
  const required = [...new Set(clauses.flatMap((c) => c.with))];
  const forbidden = clauses.flatMap((c) => c.without)[0];
  const background = neutral(NEUTRAL_BACKGROUNDS.slice(0, 1).concat(NEUTRAL_COLOURS), formulaConcepts);
  const removals: EditPlan[] = [];
  const others = new Map<string, EditPlan>();
  const once = (kind: string, plan: EditPlan | undefined) => {
    if (plan && !others.has(kind)) others.set(kind, plan);
  };
  for (const { probeScene, spec } of scenes) {
    const removal = takeAway(spec, fires, formulaConcepts, background);
    if (removal.edits.length > 0)
      removals.push({ probeScene, edits: removal.edits, summary: `take away ${removal.what.join(', ')}` });
    const gate = required.length > 0 ? takeAway(spec, required, formulaConcepts, background) : undefined;
    if (gate && gate.edits.length > 0)
      once('gate', {
        probeScene,
        edits: gate.edits,
        summary: `take away the required ${gate.what.join(', ')}`,
      });
    const moved = moveAcross(spec, clauses);
    if (moved)
      once('move', { probeScene, edits: moved.edits, summary: `move ${moved.what} to the other half` });
    if (forbidden !== undefined) once('put', putIn(forbidden, probeScene));
  }
  const [first, ...rest] = removals;
  return [...(first ? [first] : []), ...others.values(), ...rest].slice(0, limit);
}

/** An edit putting a concept into a scene: as its background, or as a new item. */
function putIn(concept: string, probeScene: number): EditPlan | undefined {
  const depiction = depict(concept);
  if (depiction?.background)
    return {
      probeScene,
      edits: [{ op: 'background', background: depiction.background }],
      summary: `put in ${concept} (background)`,
    };
  if (depiction?.thing && depiction.thing.kind !== 'word')
    return {
      probeScene,
      edits: [
        {
          op: 'add',
          item: { kind: depiction.thing.kind, name: depiction.thing.name, x: 0.8, y: 0.8, size: 0.3 },
        },
      ],
      summary: `put in ${concept}`,
    };
  return undefined;
}

/** For a clause on one half: move the items that show it across the middle. */
function moveAcross(
  spec: SpecView,
  clauses: readonly Clause[],
): { edits: Record<string, unknown>[]; what: string } | undefined {
  for (const clause of clauses) {
    const half = clause.thing?.half;
    if (!half) continue;
    const edits: Record<string, unknown>[] = [];
    spec.items.forEach((item, index) => {
      const shows = clause.fires.some((c) =>
        thingShows({ kind: item.kind, name: item.kind === 'word' ? item.name.toLowerCase() : item.name }, c),
      );
      if (!shows) return;
      const horizontal = half === 'left' || half === 'right';
      const position = horizontal ? item.x : item.y;
      const inHalf = half === 'left' || half === 'top' ? position < 0.5 : position > 0.5;
      if (inHalf)
        edits.push({
          op: 'move',
          target: index,
          ...(horizontal ? { x: 1 - position } : { y: 1 - position }),
        });
    });
    if (edits.length > 0) return { edits, what: clause.fires.join(', ') };
  }
  return undefined;
}

/** Edits removing every sign of `concepts` from a spec, and what they removed. */
function takeAway(
  spec: SpecView,
  concepts: readonly string[],
  formulaConcepts: readonly string[],
  background: string,
): { edits: Record<string, unknown>[]; what: string[] } {
  const removals: number[] = [];
  const recolour: number[] = [];
  const retexture: number[] = [];
  const what = new Set<string>();
  spec.items.forEach((item, index) => {
    const thing: Thing = {
      kind: item.kind,
      name: item.kind === 'word' ? item.name.toLowerCase() : item.name,
      ...(item.colour !== undefined ? { colour: item.colour } : {}),
      ...(item.texture !== undefined ? { texture: item.texture } : {}),
    };
    for (const concept of concepts) {
      if (!thingShows(thing, concept)) continue;
      what.add(concept);
      // A word shows its concept by its text, an object or shape by its name: those go; a colour or
      // texture is changed instead, keeping the item.
      if (item.kind === 'word' || isA(item.name, concept)) removals.push(index);
      else if (item.colour !== undefined && isA(item.colour, concept)) recolour.push(index);
      else retexture.push(index);
    }
  });
  const edits: Record<string, unknown>[] = [];
  const colour = neutral(NEUTRAL_COLOURS, formulaConcepts);
  for (const index of new Set(recolour))
    if (!removals.includes(index)) edits.push({ op: 'recolour', target: index, colour });
  for (const index of new Set(retexture))
    if (!removals.includes(index)) edits.push({ op: 'retexture', target: index, texture: null });
  // Highest index first, so earlier indices stay valid.
  for (const index of [...new Set(removals)].sort((a, b) => b - a))
    edits.push({ op: 'remove', target: index });
  const bg = concepts.find((c) => isA(spec.background, c) || depict(c)?.background === spec.background);
  if (bg !== undefined) {
    what.add(bg);
    edits.push({ op: 'background', background });
  }
  return { edits, what: [...what] };
}

/** Mean relative drop of the unit over edits (1: silenced, 0: unchanged, < 0: it rose). */
export function editDrop(
  pairs: readonly { before: number; after: number }[],
  scale: Scale,
): number | undefined {
  const firing = pairs.filter((p) => fires(p.before, scale, 0.3) && p.before > scale.low);
  if (firing.length === 0) return undefined;
  const drops = firing.map((p) => Math.max(-1, Math.min(1, (p.before - p.after) / (p.before - scale.low))));
  return drops.reduce((a, b) => a + b, 0) / drops.length;
}
