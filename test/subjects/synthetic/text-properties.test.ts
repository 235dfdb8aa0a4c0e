import { describe, expect, it } from 'vitest';
import {
  evaluateFormula,
  parseFormula,
  printFormula,
  describeFormula,
  type AnnotatedScene,
} from '../../../subjects/synthetic/index.ts';
import { makeScene } from './fixtures.ts';

/** A text line: "yes" on the left (rows 4..12, tall), "no" on the right (rows 6..9, short). */
function line(effects: { kind: string; degrees?: number }[] = []): AnnotatedScene {
  const scene = makeScene(
    [
      { kind: 'word', name: 'yes', rect: [2, 4, 14, 12] },
      { kind: 'word', name: 'no', rect: [20, 6, 30, 9] },
    ],
    { width: 32, height: 16 },
  );
  return { ...scene, spec: { effects } };
}

const value = (formula: string, scene: AnnotatedScene) => evaluateFormula(formula, scene, { grid: 4 }).value;

describe('concept language: text, orientation, effects, height and position', () => {
  it('parses each new function and prints it back to the same tree', () => {
    for (const source of [
      'char("y")',
      'orientation(upside-down)',
      'orientation(upright)',
      'effect(blur)',
      'height(text, 0.4, 1)',
      'xspan(char("e"), 0, 0.5)',
      'yspan(text, 0.25, 0.75)',
      'char("e") AND orientation(upright)',
    ]) {
      const tree = parseFormula(source);
      expect(parseFormula(printFormula(tree))).toEqual(tree);
    }
  });

  it('accepts the ways people write an orientation or an effect', () => {
    expect(parseFormula('orientation("upside down")')).toEqual({
      op: 'orientation',
      orientation: 'upside-down',
    });
    expect(parseFormula('orientation(inverted)')).toEqual({ op: 'orientation', orientation: 'upside-down' });
    expect(parseFormula('effect("blurred")')).toEqual({ op: 'effect', effect: 'blur' });
  });

  it('rejects bad arguments with a message naming the problem', () => {
    expect(() => parseFormula('char("ab")')).toThrow(/exactly one character/);
    expect(() => parseFormula('orientation(sideways)')).toThrow(/not an orientation.*upright, upside-down/);
    expect(() => parseFormula('effect(sparkle)')).toThrow(/not an effect/);
    expect(() => parseFormula('xspan(text, 0.6, 0.2)')).toThrow(/upper bound 0.2.*must be above 0.6/);
    expect(() => parseFormula('height(text, 0.5)')).toThrow(/expected ','/);
  });

  it('char() fires on the words that contain the character, not on the others', () => {
    const scene = line();
    const y = evaluateFormula('char("y")', scene, { grid: 4 });
    expect(y.value).toBeGreaterThan(0);
    // Only the left word ("yes") is lit: no pixel right of x = 14.
    for (let row = 0; row < 16; row++) for (let x = 14; x < 32; x++) expect(y.map[row * 32 + x]).toBe(0);
    expect(value('char("o")', scene)).toBeGreaterThan(0);
    expect(value('char("z")', scene)).toBe(0);
    expect(value('char("Y")', scene)).toBe(value('char("y")', scene));
  });

  it('orientation() and effect() read the scene effects, the final 180° turn being orientation', () => {
    const upright = line();
    const upsideDown = line([{ kind: 'rotate', degrees: 180 }]);
    const blurredUpsideDown = line([{ kind: 'blur' }, { kind: 'rotate', degrees: 180 }]);
    expect(value('orientation(upright)', upright)).toBe(1);
    expect(value('orientation(upside-down)', upright)).toBe(0);
    expect(value('orientation(upside-down)', upsideDown)).toBe(1);
    expect(value('effect(rotate)', upsideDown)).toBe(0);
    expect(value('effect(blur)', blurredUpsideDown)).toBe(1);
    expect(value('effect(blur)', upsideDown)).toBe(0);
    expect(value('char("y") AND orientation(upright)', upright)).toBeGreaterThan(0);
    expect(value('char("y") AND orientation(upright)', upsideDown)).toBe(0);
  });

  it('height() keeps the words whose height is in the band of the image height', () => {
    const scene = line();
    // "yes" is 8 of 16 rows (0.5), "no" 3 of 16 (0.1875).
    expect(value('height(char("y"), 0.4, 1)', scene)).toBeGreaterThan(0);
    expect(value('height(char("y"), 0, 0.4)', scene)).toBe(0);
    expect(value('height(char("o"), 0, 0.25)', scene)).toBeGreaterThan(0);
  });

  it('xspan() and yspan() keep the pixels in a band of the width or height', () => {
    const scene = line();
    expect(value('xspan(char("y"), 0, 0.5)', scene)).toBeGreaterThan(0);
    expect(value('xspan(char("y"), 0.5, 1)', scene)).toBe(0);
    expect(value('xspan(word("no"), 0.5, 1)', scene)).toBeGreaterThan(0);
    expect(value('yspan(word("no"), 0, 0.3)', scene)).toBe(0);
  });

  it('describes the new functions in words', () => {
    expect(describeFormula(parseFormula('char("e") AND orientation(upside-down)'))).toBe(
      'words containing the letter "e", only when the image is upside down (rotated 180°)',
    );
  });
});
