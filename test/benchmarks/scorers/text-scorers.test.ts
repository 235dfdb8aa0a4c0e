import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { randomBaseline, scoreAnswer } from '../../../benchmarks/scorers/index.ts';
import { loadSuite, parseSuite, type Task } from '../../../benchmarks/suite.ts';
import { textTask } from '../../../benchmarks/suites/text-synthetic.ts';
import { textUnitTruth, TextUnitDefinition } from '../../../subjects/synthetic-text/index.ts';

const cacheDir = mkdtempSync(join(tmpdir(), 'aia-text-scorers-'));
const small = (task: Task): Task => ({ ...task, heldOut: { seed: 7, n: 20 } });

describe('text task scoring', () => {
  const task = small(
    textTask({ id: 'capital-mid', family: 'capital', formula: 'capitalised AND NOT sentence_start' }),
  );

  it('scores a formula token by token on held-out texts: the truth gets r 1, a broader one less', async () => {
    const right = await scoreAnswer(
      task,
      {
        description: 'capitalised words that do not start a sentence',
        formula: 'capitalised AND NOT sentence_start',
      },
      { cacheDir },
    );
    expect(right.formula!.score).toBe(1);
    expect(right.formula!.metrics?.auroc).toBe(1);
    expect(right.concept!.score).toBe(1);
    const broad = await scoreAnswer(
      task,
      { description: 'capital letters', formula: 'capitalised' },
      { cacheDir },
    );
    expect(broad.formula!.score).toBeGreaterThan(0.2);
    expect(broad.formula!.score).toBeLessThan(0.95);
    expect(broad.concept!.score).toBe(0.5);
    const none = await scoreAnswer(task, { description: 'nothing in particular' }, { cacheDir });
    expect(none.formula!.score).toBe(0);
    expect(none.formula!.detail).toMatch(/no formula/);
  });

  it('matches concepts by synonym but not a proper noun for a noun', async () => {
    const nounTask = small(textTask({ id: 'noun', family: 'pos', formula: 'noun' }));
    const named = (description: string) =>
      scoreAnswer(nounTask, { description }, { cacheDir }).then((s) => s.concept!.score);
    expect(await named('It fires on nouns.')).toBe(1);
    expect(await named('It fires on proper nouns.')).toBe(0);
    const colourTask = small(textTask({ id: 'colour', family: 'lexical', formula: 'colour' }));
    expect((await scoreAnswer(colourTask, { description: 'color words' }, { cacheDir })).concept!.score).toBe(
      1,
    );
  });

  it('scores a random description of token concepts as the floor', async () => {
    const scores = await randomBaseline(task, { cacheDir });
    expect(scores.formula!.score).toBeLessThan(0.5);
    expect(scores.formula!.detail).toMatch(/formula \w+ OR \w+ OR \w+/);
  });
});

describe('the text-synthetic suite', () => {
  it('has at least 60 units in at least 6 families, each truth its unit’s canonical formula', () => {
    const suite = loadSuite('text-synthetic');
    expect(suite.tasks.length).toBeGreaterThanOrEqual(60);
    expect(new Set(suite.tasks.map((t) => t.family)).size).toBeGreaterThanOrEqual(6);
    for (const task of suite.tasks) {
      const [definition] = JSON.parse(task.subject.slice('synthetic-text:'.length)) as unknown[];
      expect(textUnitTruth(TextUnitDefinition.parse(definition)).formula).toBe(task.truth.formula);
    }
  });

  it('checks a text task’s truth against the text language', () => {
    const suite = loadSuite('text-synthetic');
    const bad = {
      ...suite,
      tasks: [
        {
          ...suite.tasks[0]!,
          truth: { ...suite.tasks[0]!.truth, formula: 'left(noun)', concepts: ['nown'] },
        },
      ],
    };
    expect(() => parseSuite(bad)).toThrow(
      /truth\.formula: not a formula[\s\S]*truth\.concepts\[0\]: 'nown' is not a token concept/,
    );
  });
});
