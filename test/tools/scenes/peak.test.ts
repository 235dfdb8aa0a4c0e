import { describe, expect, it } from 'vitest';
import { renderScene, type RenderedScene } from '../../../stimuli/render.ts';
import { describePeak, unitPeak } from '../../../tools/scenes/peak.ts';
import type { UnitMap } from '../../../tools/probe/types.ts';

async function line(upsideDown: boolean): Promise<RenderedScene> {
  return renderScene({
    width: 192,
    height: 48,
    background: 'white',
    items: [
      { kind: 'word', name: 'hello', x: 0.5, y: 0.5, size: 0.8, rotation: 0, flip: false, colour: 'black' },
    ],
    effects: upsideDown ? [{ kind: 'rotate', degrees: 180 }] : [],
    seed: 1,
  });
}

/** A 2×96 map (the classifier's last block on a 192×48 line) peaking at one cell. */
function peakAt(row: number, column: number): UnitMap {
  const map = new Float32Array(2 * 96).fill(0.1);
  map[row * 96 + column] = 5;
  return { map, width: 96, height: 2, value: 5 };
}

/** Map column over the middle of character `index` of the word (glyphs split evenly over its extent). */
function columnOver(scene: RenderedScene, index: number, length: number, reversed: boolean): number {
  let x0 = 192;
  let x1 = -1;
  scene.itemMap.forEach((v, p) => {
    if (v === 1) {
      x0 = Math.min(x0, p % 192);
      x1 = Math.max(x1, p % 192);
    }
  });
  const fraction = (index + 0.5) / length;
  const x = x0 + (reversed ? 1 - fraction : fraction) * (x1 - x0 + 1);
  return Math.floor(x / 2);
}

describe('where a unit peaks', () => {
  it('gives the map cell, the pixel, the word and the character under the peak', async () => {
    const scene = await line(false);
    const map = peakAt(1, columnOver(scene, 1, 5, false));
    const peak = unitPeak(map, scene);
    expect(peak.row).toBe(1);
    expect(peak.y).toBe(36);
    expect(peak.item).toBe('hello');
    expect(peak.char).toEqual({ char: 'e', index: 1 });
    expect(describePeak(peak, map)).toMatch(
      /^peak at row 1, column \d+ of the 2×96 map \(pixel \d+, 36\), on 'e' \(character 2\) of "hello"$/,
    );
  });

  it('reads the word backwards when the line is upside down', async () => {
    const scene = await line(true);
    const peak = unitPeak(peakAt(0, columnOver(scene, 0, 5, true)), scene);
    expect(peak.char).toEqual({ char: 'h', index: 0 });
  });

  it('names no item when the peak is on the background', async () => {
    const scene = await line(false);
    const peak = unitPeak(peakAt(0, 0), scene);
    expect(peak.item).toBeUndefined();
    expect(peak.char).toBeUndefined();
  });
});
