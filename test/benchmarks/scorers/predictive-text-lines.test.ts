import { describe, expect, it } from 'vitest';
import { absentConcepts, extractConditions } from '../../../benchmarks/scorers/conditions.ts';
import { extractMentions } from '../../../benchmarks/scorers/mentions.ts';
import {
  LINE_SIZES,
  planTextLinePairs,
  textLineDrivers,
  textLineScene,
} from '../../../benchmarks/scorers/predictive-text-lines.ts';
import { renderScene } from '../../../stimuli/render.ts';

function plans(description: string, formula?: string, trials = 8) {
  const conditions = extractConditions(description, formula);
  const drivers = textLineDrivers(extractMentions(description, formula), conditions);
  return { drivers, conditions, pairs: planTextLinePairs(drivers, conditions, { seed: 5, trials }) };
}

describe('conditions read from a description and a formula', () => {
  it('finds size, position and background, and ignores denied or waived sizes', () => {
    expect(extractConditions('large glyphs of the letter "e" on the left of the line')).toEqual({
      size: 'large',
      position: 'left',
    });
    expect(extractConditions('small words on a yellow background')).toEqual({
      size: 'small',
      background: 'yellow',
    });
    expect(extractConditions('the letter e, regardless of size')).toEqual({});
    // "right" as in correct is not a position.
    expect(extractConditions('responds to the right letters')).toEqual({});
  });

  it('reads height bands and x spans from a formula', () => {
    expect(extractConditions('', 'height(char("e"), 0.5, 1) AND orientation(upright)')).toEqual({
      size: 'large',
    });
    expect(extractConditions('', 'xspan(char("e"), 0.6, 1)')).toEqual({ position: 'right' });
    expect(extractConditions('', 'left(text)')).toEqual({ position: 'left' });
  });
});

describe('predictive scenes on text lines', () => {
  it('draws one word per line, never an object sprite, and reports what it left out', () => {
    const { drivers, pairs } = plans('the letters "a", "e" and "o", and dogs and cars');
    expect(drivers.undrawable).toEqual(['dog', 'car']);
    for (const { predicted, neutral } of pairs) {
      const spec = textLineScene(predicted.line, 192, 48, 1);
      expect(spec.items.length).toBeLessThanOrEqual(1);
      expect(spec.items.every((item) => item.kind === 'word')).toBe(true);
      expect(textLineScene(neutral.line, 192, 48, 1).items.every((item) => item.kind === 'word')).toBe(true);
    }
  });

  it('keeps every named letter and word out of the neutral line', () => {
    const { pairs } = plans('the letter "e" and the word "stop"');
    for (const { neutral, broken } of pairs) {
      if (broken !== 'content') continue;
      expect(neutral.line.word).not.toMatch(/e/);
      expect(neutral.line.word).not.toBe('stop');
    }
    const letters = plans('words containing "y" or "o"').pairs;
    expect(letters.every((p) => /[yo]/.test(p.predicted.line.word))).toBe(true);
    expect(
      letters.filter((p) => p.broken === 'content').every((p) => !/[yo]/.test(p.neutral.line.word)),
    ).toBe(true);
  });

  it('draws the stated size, position and orientation, and breaks one of them per trial', () => {
    const { pairs } = plans('large upright text with the letter "e" on the left');
    const broken = new Set(pairs.map((p) => p.broken));
    expect(broken).toEqual(new Set(['content', 'orientation', 'size', 'position']));
    for (const { predicted, neutral, broken: factor } of pairs) {
      expect(predicted.line).toMatchObject({ size: LINE_SIZES.large, position: 'left', upsideDown: false });
      expect(predicted.line.word).toMatch(/e/);
      const changed = (Object.keys(predicted.line) as (keyof typeof predicted.line)[]).filter(
        (key) => predicted.line[key] !== neutral.line[key],
      );
      const field = { content: 'word', orientation: 'upsideDown', size: 'size', position: 'position' }[
        factor as 'content' | 'orientation' | 'size' | 'position'
      ];
      expect(changed).toEqual([field]);
    }
  });

  it('renders the line as planned: the word on the stated side, turned when upside down', async () => {
    const { pairs } = plans('upside-down text on the right');
    const predicted = pairs[0]!.predicted;
    const spec = textLineScene(predicted.line, 192, 48, 1);
    expect(spec.items[0]!.x).toBeGreaterThan(0.5);
    expect(spec.effects).toEqual([{ kind: 'rotate', degrees: 180 }]);
    const rendered = await renderScene(spec);
    expect(rendered.image.width).toBe(192);
    // After the 180° turn the word, drawn on the right, lies in the left half of the image.
    const text = rendered.masks.get('text')!;
    let left = 0;
    let right = 0;
    text.forEach((on, p) => {
      if (on && p % 192 < 96) left++;
      else if (on) right++;
    });
    expect(left).toBeGreaterThan(right);
  });

  it('never draws what the formula says must be absent, though the description names it', () => {
    const description = 'black, only when there is no road in the image';
    const formula = 'black AND NOT road';
    expect(absentConcepts(formula)).toEqual(['road']);
    const conditions = extractConditions(description, formula);
    const drivers = textLineDrivers(
      extractMentions(description, formula),
      conditions,
      absentConcepts(formula),
    );
    expect(drivers.background).toBeUndefined();
    for (const { predicted } of planTextLinePairs(drivers, conditions, { seed: 1, trials: 4 }))
      expect(predicted.line.background).not.toBe('road');
  });

  it('plans nothing when nothing stated can be shown on a line', () => {
    expect(plans('dogs and horses').pairs).toEqual([]);
  });
});
