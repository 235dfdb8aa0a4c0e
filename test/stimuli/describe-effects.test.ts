import { describe, expect, it } from 'vitest';
import { describeScene } from '../../stimuli/describe-effects.ts';
import { describeSpec } from '../../stimuli/phrase.ts';

const word = { kind: 'word' as const, name: 'stop', x: 0.5, y: 0.5, size: 0.6, rotation: 0, flip: false };

describe('scene descriptions say how the image was turned', () => {
  it('tells an upside-down line from the upright one', () => {
    const upright = { width: 192, height: 48, items: [word] };
    const turned = { ...upright, effects: [{ kind: 'rotate' as const, degrees: 180 }] };
    expect(describeScene(upright)).toBe(describeSpec(upright));
    expect(describeScene(turned)).toBe(`${describeSpec(upright)}, turned upside down (rotated 180°)`);
    expect(describeScene(turned)).not.toBe(describeScene(upright));
  });

  it('names flips, other turns, blur, noise and occlusion, and rotated or mirrored items', () => {
    const text = describeScene({
      items: [
        { ...word, rotation: 180 },
        { kind: 'object', name: 'dog', x: 0.3, y: 0.3, size: 0.3, rotation: 0, flip: true },
      ],
      effects: [
        { kind: 'flip', axis: 'horizontal' },
        { kind: 'rotate', degrees: -90 },
        { kind: 'blur', sigma: 2 },
        { kind: 'noise', amount: 0.1 },
        { kind: 'occlude', region: { x0: 0, y0: 0, x1: 0.5, y1: 0.5 } },
      ],
    });
    expect(text).toMatch(
      /, the word "stop" upside down, the dog mirrored, mirrored left to right, rotated 90° anticlockwise, blurred \(σ 2\), with noise \(10%\), partly covered by a gray patch$/,
    );
  });
});
