import { afterAll, describe, expect, it } from 'vitest';
import { releaseHeldOut } from '../../../benchmarks/scorers/held-out.ts';
import { extractMentions } from '../../../benchmarks/scorers/mentions.ts';
import { scorePredictive } from '../../../benchmarks/scorers/predictive.ts';
import { driversOf, MAX_DRIVERS, planScenePairs } from '../../../benchmarks/scorers/predictive-scenes.ts';
import { parsePhrase } from '../../../stimuli/phrase.ts';
import { TEST_CACHE, unitTask } from './fixtures.ts';

const options = { cacheDir: TEST_CACHE, predictiveTrials: 6 };
afterAll(() => releaseHeldOut());

describe('predictive scorer', () => {
  const dog = unitTask('predictive-dog', { family: 'mono', concept: 'dog' });

  it('separates a correct description from a wrong one on a synthetic unit', async () => {
    const right = await scorePredictive(dog, { description: 'Fires on dogs and puppies.' }, options);
    const wrong = await scorePredictive(dog, { description: 'Fires on cars.' }, options);
    expect(right.score).toBeGreaterThan(0.8);
    expect(wrong.score).toBeLessThan(0.1);
    expect(right.detail).toMatch(/a dog/);
    expect(right.chance).toBe(0);
  });

  it('draws colours on shapes and credits a colour unit', async () => {
    const red = unitTask('predictive-red', { family: 'mono', concept: 'red' });
    const right = await scorePredictive(red, { description: 'red things' }, options);
    const wrong = await scorePredictive(red, { description: 'green things' }, options);
    expect(right.score).toBeGreaterThan(0.7);
    expect(wrong.score).toBeLessThan(0.1);
  });

  it('draws what a formula says: counts, relations, and nothing it negates', async () => {
    const catUnlessSnow = unitTask('predictive-cat-not-snow', { family: 'negation', concept: 'cat', unless: 'snow' });
    const exact = await scorePredictive(catUnlessSnow, { description: 'cats, not on snow', formula: 'cat AND NOT snow' }, options);
    expect(exact.score).toBeGreaterThan(0.8);
    expect(exact.detail).toMatch(/built from the formula cat AND NOT snow/);
    // A rare unit is constant on random scenes: its held-out set gets contrastive scenes, to have a range.
    const rare = unitTask('predictive-two-cats', { family: 'formula', formula: 'count(cat) = 2' }, { formula: 'count(cat) = 2' });
    const twoCats = { ...rare, heldOut: { ...rare.heldOut, contrastive: 4 } };
    const right = await scorePredictive(twoCats, { description: 'two cats', formula: 'count(cat) = 2' }, options);
    const nearMiss = await scorePredictive(twoCats, { description: 'one cat', formula: 'count(cat) = 1' }, options);
    expect(right.score).toBeGreaterThan(0.8);
    expect(nearMiss.score).toBeLessThan(0.2);
  }, 60_000); // prettier-ignore

  it('scores 0 when the description names nothing drawable, or there is no answer', async () => {
    const nothing = await scorePredictive(dog, { description: 'It is a complicated unit.' }, options);
    expect(nothing.score).toBe(0);
    expect(nothing.detail).toMatch(/nothing that can be drawn/);
    expect((await scorePredictive(dog, undefined, options)).score).toBe(0);
  });
});

describe('predictive scene plans', () => {
  it('are deterministic, paired, parseable, and keep the neutral scene free of the drivers', () => {
    const drivers = driversOf(extractMentions('dogs on grass, red circles'));
    const plans = planScenePairs(drivers, { seed: 3, trials: 6, textLines: false });
    expect(plans).toEqual(planScenePairs(drivers, { seed: 3, trials: 6, textLines: false }));
    expect(plans).toHaveLength(6);
    for (const { predicted, neutral } of plans) {
      const p = parsePhrase(predicted.phrase);
      const n = parsePhrase(neutral.phrase);
      expect(p.items.some((item) => item.name === 'dog')).toBe(true);
      expect(n.items.some((item) => item.name === 'dog')).toBe(false);
      expect(n.items.some((item) => item.colour === 'red')).toBe(false);
      expect(n.items).toHaveLength(p.items.length);
    }
  });

  it('turns the same scene for an orientation and draws words containing a named letter', () => {
    const turned = planScenePairs(driversOf(extractMentions('upside-down text')), {
      seed: 1,
      trials: 2,
      textLines: true,
    });
    for (const { predicted, neutral } of turned) {
      expect(predicted.phrase).toBe(neutral.phrase);
      expect(predicted.effects).toEqual([{ kind: 'rotate', degrees: 180 }]);
      expect(neutral.effects).toEqual([]);
    }
    const letter = planScenePairs(driversOf(extractMentions("the letter 'e'")), {
      seed: 1,
      trials: 4,
      textLines: true,
    });
    for (const { predicted, neutral } of letter) {
      expect(predicted.phrase).toMatch(/the word "[^"]*e[^"]*"/);
      expect(neutral.phrase).not.toMatch(/the word "[^"]*e[^"]*"/);
    }
  });

  it(`draws at most ${MAX_DRIVERS} of the named things`, () => {
    const drivers = driversOf(extractMentions('dogs, cats, horses, cows, pigs and sheep'));
    expect(drivers.things).toEqual(['dog', 'cat', 'horse']);
  });
});
