import { describe, expect, it } from 'vitest';
import {
  describeDoseResponse,
  describeOutputEffects,
  describeTextChanges,
  describeUnitChanges,
  doseRow,
  klDivergence,
  mostResponsiveLabels,
  summarizeOutputEffects,
  summarizeTextChanges,
  summarizeUnitChange,
  type DoseResponse,
  type ScoreTable,
} from '../../../tools/causal/index.ts';
import { InputError } from '../../../util/errors.ts';

const probabilities = (rows: number[][], labels = ['0', '180']): ScoreTable => ({
  kind: 'probabilities',
  labels,
  scores: rows.map((r) => Float32Array.from(r)),
});

describe('summarizeOutputEffects', () => {
  const before = probabilities([
    [0.9, 0.1],
    [0.8, 0.2],
    [0.3, 0.7],
    [0.6, 0.4],
  ]);
  const after = probabilities([
    [0.2, 0.8],
    [0.7, 0.3],
    [0.6, 0.4],
    [0.1, 0.9],
  ]);
  const effects = summarizeOutputEffects(before, after);

  it('counts flips by transition, most frequent first', () => {
    expect(effects.flips?.count).toBe(3);
    expect(effects.flips?.transitions).toEqual([
      { from: '0', to: '180', count: 2, scenes: [0, 3] },
      { from: '180', to: '0', count: 1, scenes: [2] },
    ]);
    expect(effects.perScene.map((s) => s.flipped)).toEqual([true, false, true, true]);
    expect(effects.perScene[0]?.after).toEqual({ label: '180', score: expect.closeTo(0.8, 6) });
  });

  it('reports mean and largest signed shift per label', () => {
    const zero = effects.labels[0];
    expect(zero?.label).toBe('0');
    expect(zero?.meanBefore).toBeCloseTo(0.65, 6);
    expect(zero?.meanAfter).toBeCloseTo(0.4, 6);
    expect(zero?.meanShift).toBeCloseTo(-0.25, 6);
    expect(zero?.maxShift).toBeCloseTo(-0.7, 6);
    expect(effects.labels[1]?.maxShift).toBeCloseTo(0.7, 6);
  });

  it('computes KL(before ‖ after) per stimulus', () => {
    const expected = 0.9 * Math.log(0.9 / 0.2) + 0.1 * Math.log(0.1 / 0.8);
    expect(effects.perScene[0]?.kl).toBeCloseTo(expected, 5);
    const all = effects.perScene.map((s) => s.kl ?? 0);
    expect(effects.kl?.mean).toBeCloseTo(all.reduce((a, b) => a + b, 0) / 4, 9);
    expect(effects.kl?.max).toBeCloseTo(Math.max(...all), 9);
  });

  it('is all zeros when nothing changes', () => {
    const same = summarizeOutputEffects(before, before);
    expect(same.flips?.count).toBe(0);
    expect(same.kl?.max).toBe(0);
    expect(same.labels.every((l) => l.meanShift === 0)).toBe(true);
  });

  it('compares logits as probabilities', () => {
    const logits = (rows: number[][]): ScoreTable => ({
      kind: 'logits',
      labels: ['a', 'b'],
      scores: rows.map((r) => Float32Array.from(r)),
    });
    const e = summarizeOutputEffects(logits([[0, 0]]), logits([[Math.log(3), 0]]));
    expect(e.scale).toBe('probabilities');
    expect(e.labels[0]?.meanBefore).toBeCloseTo(0.5, 6);
    expect(e.labels[0]?.meanAfter).toBeCloseTo(0.75, 6);
    expect(e.flips?.count).toBe(0);
  });

  it('has no flips or KL for activations', () => {
    const acts = (rows: number[][]): ScoreTable => ({
      kind: 'activations',
      labels: ['synthetic:0', 'synthetic:1'],
      scores: rows.map((r) => Float32Array.from(r)),
    });
    const e = summarizeOutputEffects(
      acts([
        [1, 0.2],
        [0.5, 0.9],
      ]),
      acts([
        [0, 0.2],
        [0, 0.9],
      ]),
    );
    expect(e.scale).toBe('activations');
    expect(e.flips).toBeNull();
    expect(e.kl).toBeNull();
    expect(e.labels[0]?.meanShift).toBeCloseTo(-0.75, 6);
    expect(e.labels[0]?.maxShift).toBeCloseTo(-1, 6);
    expect(e.labels[1]?.meanShift).toBe(0);
  });

  it('rejects tables that do not line up', () => {
    expect(() => summarizeOutputEffects(before, probabilities([[0.5, 0.5]]))).toThrow(InputError);
    expect(() => summarizeOutputEffects(before, probabilities([[1], [1], [1], [1]], ['0']))).toThrow(
      /different labels/,
    );
  });
});

describe('klDivergence', () => {
  it('is zero for equal distributions and finite when a probability is exactly zero', () => {
    expect(klDivergence([0.25, 0.75], [0.25, 0.75])).toBe(0);
    const kl = klDivergence([1, 0], [0, 1]);
    expect(Number.isFinite(kl)).toBe(true);
    expect(kl).toBeGreaterThan(20);
  });
});

describe('summarizeUnitChange', () => {
  it('summarises per-stimulus deltas', () => {
    const c = summarizeUnitChange('final_conv:3', [1, 2, 3], [1.5, 0, 3]);
    expect(c.meanBefore).toBeCloseTo(2, 9);
    expect(c.meanAfter).toBeCloseTo(1.5, 9);
    expect(c.meanDelta).toBeCloseTo(-0.5, 9);
    expect(c.maxDelta).toBe(-2);
  });
  it('rejects mismatched lengths', () => {
    expect(() => summarizeUnitChange('u:0', [1], [1, 2])).toThrow(/must match/);
  });
});

describe('text', () => {
  it('says how many stimuli flipped and how the means moved', () => {
    const before = probabilities([
      [0.9, 0.1],
      [0.95, 0.05],
    ]);
    const after = probabilities([
      [0.1, 0.9],
      [0.2, 0.8],
    ]);
    const text = describeOutputEffects(summarizeOutputEffects(before, after));
    expect(text).toContain("flipped 2/2 stimuli ('0' → '180' ×2)");
    expect(text).toContain("P('0') 0.925 → 0.15");
    expect(text).toMatch(/KL mean [\d.]+, max [\d.]+/);
  });

  it('describes watched units and a dose-response table', () => {
    expect(describeUnitChanges([summarizeUnitChange('s:1', [1, 1], [1.5, 1.5])])).toBe(
      'watched s:1: mean 1 → 1.5 (Δ 0.5, largest Δ 0.5)',
    );
    const before = probabilities([[0.9, 0.1]]);
    const rows = [
      [0.9, 0.1],
      [0.4, 0.6],
    ].map((r, i) => {
      const e = summarizeOutputEffects(before, probabilities([r]));
      return doseRow(i, [i * 2], e, [summarizeUnitChange('s:1', [1], [1 + i])]);
    });
    const table: DoseResponse = { labels: ['0', '180'], watched: ['s:1'], rows };
    expect(rows[1]?.flips).toBe(1);
    expect(rows[1]?.watched).toEqual([2]);
    const text = describeDoseResponse(table, 'probabilities').split('\n');
    expect(text[0]).toMatch(/dose\s+P\('0'\)\s+P\('180'\)\s+flips\s+KL\s+s:1/);
    expect(text[2]).toMatch(/^\s*1\s+0\.4\s+0\.6\s+1\s+[\d.]+\s+2$/);
  });

  it('picks the labels that move most over a sweep', () => {
    const table: DoseResponse = {
      labels: ['a', 'b', 'c'],
      watched: [],
      rows: [
        {
          dose: 0,
          amounts: [0],
          meanScores: [0.1, 0.5, 0.4],
          flips: 0,
          meanKl: 0,
          watched: [],
          textChanged: null,
        },
        {
          dose: 1,
          amounts: [1],
          meanScores: [0.1, 0.2, 0.7],
          flips: 0,
          meanKl: 0,
          watched: [],
          textChanged: null,
        },
      ],
    };
    expect(mostResponsiveLabels(table, 2)).toEqual([1, 2]);
  });
});

describe('summarizeTextChanges', () => {
  it('lists the stimuli whose decoded text changed', () => {
    const summary = summarizeTextChanges(['hello', 'world', 'stop'], ['hello', 'wor1d', 'st']);
    expect(summary.changed).toBe(2);
    expect(summary.changes).toEqual([
      { scene: 1, before: 'world', after: 'wor1d' },
      { scene: 2, before: 'stop', after: 'st' },
    ]);
    expect(describeTextChanges(summary)).toBe(
      "decoded text changed on 2/3 stimuli ('world' → 'wor1d', 'stop' → 'st')",
    );
    expect(() => summarizeTextChanges(['a'], [])).toThrow(InputError);
  });
});

describe('scores that are not distributions', () => {
  it('are compared as plain scores (no flips, no KL) even when labelled probabilities', () => {
    const peaks = (rows: number[][]): ScoreTable => ({
      kind: 'probabilities',
      labels: ['a', 'b', 'c'],
      scores: rows.map((r) => Float32Array.from(r)),
    });
    const e = summarizeOutputEffects(peaks([[0.9, 0.8, 0.1]]), peaks([[0.2, 0.8, 0.1]]));
    expect(e.scale).toBe('activations');
    expect(e.flips).toBeNull();
    expect(e.kl).toBeNull();
    expect(e.labels[0]?.meanShift).toBeCloseTo(-0.7, 6);
  });
});
