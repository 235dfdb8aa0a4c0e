import { describe, expect, it } from 'vitest';
import {
  bestFamilyFormula,
  FAMILY_FIT,
  familyCalls,
  generalise,
  memberStimuli,
  needsOf,
} from '../../../agent/backbones/dissect/rare.ts';
import type { SearchStimuliView } from '../../../agent/backbones/dissect/views.ts';

const item = (name: string, x: number, y: number) => ({
  kind: 'object',
  name,
  x,
  y,
  size: 0.3,
  colour: 'red',
});

function search(drivers: [string, number][], items = [item('cat', 0.2, 0.2), item('cat', 0.7, 0.2), item('owl', 0.5, 0.8)], background = 'black'): SearchStimuliView {
  return {
    evaluated: 1500, resting: 0, moved: true,
    best: [{ activation: 1, contents: '…', spec: { background, items } }],
    drivers: drivers.map(([change, after]) => ({ change, activation: after, drop: 1 - after })),
  };
} // prettier-ignore

describe("dissect's rare-unit path", () => {
  it('reads a count from the counterfactual edits and tests it on a count family', () => {
    const needs = needsOf(
      search([['remove every cat', 0], ['remove one cat (2 → 1)', 0], ['one more cat (2 → 3)', 0], ['remove every owl', 1], ['background black → white', 1]]),
    ); // prettier-ignore
    expect(needs?.objects).toEqual(['cat']);
    expect(needs?.count).toBe(2);
    expect(needs?.background).toBeUndefined();
    // The minimal scene keeps only what is needed, plain, on white.
    expect(needs?.spec.items.map((it) => [it.name, it.colour])).toEqual([
      ['cat', undefined],
      ['cat', undefined],
    ]);
    expect(needs?.spec.background).toBe('white');
    const [call, ...more] = familyCalls('synthetic:0', needs!);
    expect(more).toEqual([]);
    expect(call).toMatchObject({ family: 'count', x: 'cat' });
    expect(call?.formulas).toEqual(['count(cat) = 2', 'count(cat) >= 2', 'count(cat) <= 2', 'cat']);
  });

  it('two needed objects give a relation family; a needed background a background family', () => {
    const two = needsOf(search([['remove every bird', 0], ['remove every evergreen', 0]], [item('bird', 0.5, 0.2), item('evergreen', 0.5, 0.8)]));
    expect(familyCalls('u:0', two!)[0]).toMatchObject({ family: 'relation', x: 'bird', y: 'evergreen' });
    const onSand = needsOf(search([['remove every canoe', 0], ['background beach → white', 0]], [item('canoe', 0.5, 0.5)], 'beach'));
    expect(onSand?.background).toBe('beach');
    const [call] = familyCalls('u:0', onSand!);
    expect(call?.family).toBe('background');
    expect(call?.formulas).toContain('canoe AND sand');
    // Nothing needed (or nothing moved): no family.
    expect(needsOf(search([['remove every cat', 1]]))).toBeUndefined();
    expect(needsOf({ ...search([]), moved: false })).toBeUndefined();
  }); // prettier-ignore

  it('one object alone is placed first (halves and quarters), then sized; the best fit over the families wins', () => {
    const alone = needsOf(search([['remove every donut', 0]], [item('donut', 0.2, 0.8)]))!;
    const calls = familyCalls('u:0', alone);
    expect(calls.map((c) => c.family)).toEqual(['position', 'size']);
    expect(calls[0]?.formulas).toEqual(expect.arrayContaining(['left(donut) & bottom(donut)', 'right(donut)', 'donut']));
    expect(calls[1]?.formulas).toContain('small(donut)');
    const view = (formulas: [string, number][]) => ({ family: 'x', levels: [], formulas: formulas.map(([formula, r]) => ({ formula, r })) });
    // A family where the unit never fires scores nothing (NaN); the next family's fit is taken.
    const best = bestFamilyFormula([view([['donut', Number.NaN], ['left(donut)', Number.NaN]]), view([['small(donut)', 1], ['donut', 0.2]])]);
    expect(best).toEqual({ formula: 'small(donut)', r: 1, family: 1 });
    expect(best!.r).toBeGreaterThanOrEqual(FAMILY_FIT);
    expect(bestFamilyFormula([view([['left(donut) & bottom(donut)', 0.97], ['left(donut)', 0.6]])])?.formula).toBe('left(donut) & bottom(donut)');
    expect(bestFamilyFormula([undefined])).toBeUndefined();
  }); // prettier-ignore

  it('names the category when every member swapped in drives the unit, else the object itself', () => {
    const needs = needsOf(search([['remove every canoe', 0]], [item('canoe', 0.5, 0.5)]))!;
    const stimuli = memberStimuli(needs, needs.spec);
    const swapped = stimuli.filter((s) => s.replaced === 'canoe').map((s) => s.by);
    expect(swapped).toEqual(expect.arrayContaining(['boat', 'ship', 'speedboat']));
    const all = stimuli.map(() => 1);
    expect(generalise('canoe', stimuli, all)).toBe('boat');
    const onlyCanoe = stimuli.map((s) => (s.replaced === '' ? 1 : 0));
    expect(generalise('canoe', stimuli, onlyCanoe)).toBe('canoe');
  });
});
