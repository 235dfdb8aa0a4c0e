import { describe, expect, it } from 'vitest';
import { describeScene } from '../../../stimuli/describe-effects.ts';
import { describeOptionsFor } from '../../../tools/scenes/describe-options.ts';

describe('size words on text lines', () => {
  const line = (size: number) => ({
    width: 192,
    height: 48,
    background: 'white',
    items: [
      { kind: 'word' as const, name: 'taxi', colour: 'black', x: 0.3, y: 0.5, size },
      { kind: 'word' as const, name: 'stop', colour: 'black', x: 0.7, y: 0.5, size },
    ],
  });
  const word = (text: string) => /the (?:(\w+) )?black word/.exec(text)?.[1] ?? '';

  it("say where a word stands in the probe set's range, not against an object scene's default", () => {
    const options = describeOptionsFor('text-lines');
    // Against the object-scene default a word of a line in the middle of the range is 'huge'.
    expect(word(describeScene(line(0.62)))).toBe('huge');
    expect(word(describeScene(line(0.45), options))).toBe('small');
    expect(word(describeScene(line(0.62), options))).toBe('');
    expect(word(describeScene(line(0.8), options))).toBe('large');
    expect(word(describeScene(line(0.25), options))).toBe('tiny');
    // Every word the probe set draws in its range reads small, unmarked or large, in that order.
    const words = [0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8].map((s) =>
      ['small', '', 'large'].indexOf(word(describeScene(line(s), options))),
    );
    expect(words.every((w) => w >= 0)).toBe(true);
    expect(words).toEqual([...words].sort((a, b) => a - b));
    expect(describeOptionsFor('scenes')).toEqual({});
  });
});
