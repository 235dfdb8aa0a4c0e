import { describe, expect, it } from 'vitest';
import { ngramLosses } from '../../../subjects/language-model/ngram.ts';
import { joinWithEos, tokenWindows } from '../../../subjects/language-model/token-windows.ts';

describe('token windows', () => {
  it('cuts a stream into overlapping windows of length + 1, every token but the first a target once', () => {
    const ids = joinWithEos(
      [
        [1, 2, 3],
        [4, 5],
      ],
      0,
    ); // 1 2 3 0 4 5 0
    const w = tokenWindows(ids, 3);
    expect(w.count).toBe(2);
    expect([...w.windows]).toEqual([1, 2, 3, 0, 0, 4, 5, 0]);
    expect(tokenWindows(ids, 3, 1).count).toBe(1);
    expect(() => tokenWindows(ids, 0)).toThrow(/positive integer/);
  });
});

describe('n-gram baselines', () => {
  it('scores add-k unigram and bigram models by hand-checked probabilities', () => {
    const train = [0, 1, 0, 1, 0, 1];
    const held = tokenWindows([0, 1, 0], 2);
    const k = 0.1;
    const { unigram, bigram, tokens } = ngramLosses(train, held, 2, k);
    expect(tokens).toBe(2);
    // p(1) = (3 + k)/(6 + 2k), p(0) = (3 + k)/(6 + 2k); p(1|0) = (3 + k)/(3 + 2k), p(0|1) = (2 + k)/(2 + 2k).
    expect(unigram).toBeCloseTo(-Math.log((3 + k) / (6 + 2 * k)), 10);
    expect(bigram).toBeCloseTo(-(Math.log((3 + k) / (3 + 2 * k)) + Math.log((2 + k) / (2 + 2 * k))) / 2, 10);
    expect(bigram).toBeLessThan(unigram);
  });

  it('refuses ids outside the vocabulary and a non-positive k', () => {
    const held = tokenWindows([0, 1, 0], 2);
    expect(() => ngramLosses([0, 5], held, 2)).toThrow(/outside the vocabulary of 2/);
    expect(() => ngramLosses([0, 1], held, 2, 0)).toThrow(/k > 0/);
  });
});
