import { describe, expect, it } from 'vitest';
import { logOdds, MAX_TABLE_ROWS, perStimulusTable } from '../../../tools/causal/per-stimulus-table.ts';

describe('per-stimulus table of a causal tool', () => {
  it('shows each stimulus with its top label, before → after, and the change in log-odds', () => {
    const text = perStimulusTable(
      ['0', '180'],
      [
        { label: 'the word "stop"', before: [0.99, 0.01], after: [0.98, 0.02] },
        { label: 'the word "open"', before: [0.6, 0.4], after: [0.3, 0.7] },
      ],
      'probabilities',
    );
    const lines = text.split('\n');
    expect(lines[0]).toBe('Per stimulus:');
    expect(lines[1]).toBe('stimulus | top before | before → after | Δ log-odds | top after');
    // 0.99 → 0.98 is a small move in probability but −0.70 in log-odds: visible, not saturated.
    expect(lines[2]).toBe('"the word \\"stop\\"" | 0 | 0.99 → 0.98 | -0.703 | same');
    expect(lines[3]).toBe('"the word \\"open\\"" | 0 | 0.6 → 0.3 | -1.25 | 180 (0.7)');
  });

  it('leaves log-odds out for activations and caps the rows shown', () => {
    const rows = Array.from({ length: MAX_TABLE_ROWS + 3 }, (_, i) => ({
      label: `#${i}`,
      before: [1, 2],
      after: [1, 0.5],
    }));
    const text = perStimulusTable(['a', 'b'], rows, 'activations');
    expect(text).not.toMatch(/log-odds/);
    expect(text.split('\n')[2]).toBe('"#0" | b | 2 → 0.5 | a (1)');
    expect(text).toMatch(/… 3 more in data$/);
  });

  it("adds the true logits and the change in the top label's margin where the subject has them", () => {
    const text = perStimulusTable(
      ['0', '180'],
      [
        {
          label: 'a line',
          before: [0.99, 0.01],
          after: [0.98, 0.02],
          // Margin before 4.2 − (−0.4) = 4.6, after 3.5 − (−0.4) = 3.9: −0.7.
          logits: { before: [4.2, -0.4], after: [3.5, -0.4] },
        },
      ],
      'probabilities',
    );
    const lines = text.split('\n');
    expect(lines[1]).toBe(
      'stimulus | top before | before → after | Δ log-odds | logit before → after | Δ margin | top after',
    );
    expect(lines[2]).toBe('"a line" | 0 | 0.99 → 0.98 | -0.703 | 4.2 → 3.5 | -0.7 | same');
  });

  it('log-odds stay finite at 0 and 1', () => {
    expect(Number.isFinite(logOdds(1))).toBe(true);
    expect(Number.isFinite(logOdds(0))).toBe(true);
    expect(logOdds(0.5)).toBe(0);
  });
});
