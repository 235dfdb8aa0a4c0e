import { describe, expect, it } from 'vitest';
import {
  biasTestScenes,
  biasTrainingScenes,
  UNUSUAL_BACKGROUNDS,
} from '../../../stimuli/datasets/background-bias.ts';
import { imagesTensor } from '../../../stimuli/datasets/scene-tensor.ts';
import { renderScene } from '../../../stimuli/render.ts';

describe('background-bias scenes', () => {
  it('tie the label to the background by usualShare', () => {
    const share = (usualShare: number) => {
      const { groups } = biasTrainingScenes({ count: 4000, seed: 5, size: 32, usualShare });
      const boats = groups.filter((g) => g.startsWith('boat'));
      const empty = groups.filter((g) => g.startsWith('none'));
      return [
        boats.filter((g) => g === 'boat-water').length / boats.length,
        empty.filter((g) => g === 'none-land').length / empty.length,
      ];
    };
    for (const value of share(0.95)) expect(value).toBeCloseTo(0.95, 1);
    for (const value of share(0.5)) expect(value).toBeCloseTo(0.5, 1);
  });

  it('render a boat exactly in boat scenes, on water exactly in water groups', async () => {
    const scenes = biasTestScenes({ perGroup: 6, seed: 9, size: 32 });
    expect(scenes.groups.filter((g) => g === 'none-land')).toHaveLength(6);
    const images = [];
    for (const [n, spec] of scenes.specs.entries()) {
      const scene = await renderScene(spec);
      images.push(scene.image);
      const boatPixels = scene.masks.get('boat')?.reduce((a, b) => a + b, 0) ?? 0;
      expect(boatPixels > 0, `scene ${n} (${scenes.groups[n]})`).toBe(scenes.labels[n] === 1);
      const group = scenes.groups[n] ?? '';
      if (group.endsWith('water')) expect(spec.background).toBe('water');
      else expect(UNUSUAL_BACKGROUNDS).toContain(spec.background);
    }
    const tensor = imagesTensor(images);
    expect(tensor).toHaveLength(24 * 3 * 32 * 32);
    // Channel-first, scaled to 0..1: pixel 0's green value sits one plane after its red.
    expect(tensor[32 * 32]).toBeCloseTo((images[0]?.data[1] ?? 0) / 255, 6);
  });
});
