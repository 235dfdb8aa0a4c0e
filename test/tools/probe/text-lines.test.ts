import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeProbeSet, probeSetId } from '../../../stimuli/probeset.ts';
import { isUpsideDown, textLineSpec } from '../../../stimuli/probeset-text-lines.ts';
import { itemBox } from '../../../stimuli/phrase-layout.ts';
import { renderScene } from '../../../stimuli/render.ts';
import { loadProbe } from '../../../tools/probe/load.ts';

/** The 'text-lines' probe-set distribution that text-line subjects (the orientation classifier) get. */

const cacheDir = mkdtempSync(join(tmpdir(), 'aia-text-lines-'));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

describe('text-line probe scenes', () => {
  const specs = Array.from({ length: 400 }, (_, i) => textLineSpec(1, i, 192, 48));

  it('are deterministic lines of 1–3 words that fit the image, half of them upside down', () => {
    expect(textLineSpec(1, 7, 192, 48)).toEqual(specs[7]);
    expect(textLineSpec(2, 7, 192, 48)).not.toEqual(specs[7]);
    const words = specs.map((s) => s.items.filter((i) => i.kind === 'word').length);
    expect(new Set(words)).toEqual(new Set([1, 2, 3]));
    const upside = specs.filter(isUpsideDown).length / specs.length;
    expect(upside).toBeGreaterThan(0.4);
    expect(upside).toBeLessThan(0.6);
    for (const spec of specs) {
      for (const item of spec.items) {
        const box = itemBox(item.kind, item.name, item.x, item.y, item.size, 192, 48);
        expect(box.x0, `${item.name} in scene ${spec.seed}`).toBeGreaterThan(-0.02);
        expect(box.x1, `${item.name} in scene ${spec.seed}`).toBeLessThan(1.02);
      }
    }
  });

  it('make non-square probe sets whose ids leave square scene sets unchanged', async () => {
    expect(probeSetId({ n: 3, seed: 9, size: 32, height: 32, distribution: 'scenes' })).toBe(
      probeSetId({ n: 3, seed: 9, size: 32 }),
    );
    expect(probeSetId({ n: 3, seed: 9, size: 32, height: 16 })).not.toBe(probeSetId({ n: 3, seed: 9, size: 32 }));
    const set = await makeProbeSet({ n: 6, seed: 1, size: 192, height: 48, distribution: 'text-lines', cacheDir, workers: 0 });
    expect([set.width, set.height, set.distribution]).toEqual([192, 48, 'text-lines']);
    const image = set.image(2);
    expect([image.width, image.height]).toEqual([192, 48]);
    const fresh = await renderScene(textLineSpec(1, 2, 192, 48));
    expect(Buffer.from(image.data).equals(Buffer.from(fresh.image.data))).toBe(true);
    expect(set.masks(2).get('text')).toEqual(fresh.masks.get('text'));
    set.close();
    await expect(makeProbeSet({ n: 2, seed: 1, size: 64, height: 4, cacheDir })).rejects.toThrow(/height must be an integer from 8/);
  }); // prettier-ignore

  it('are read correctly by the orientation classifier most of the time', async () => {
    const probe = await loadProbe('paddle-ocr-cls');
    const scenes = await Promise.all(specs.slice(0, 64).map((spec) => renderScene(spec)));
    const outputs = await probe.outputs(scenes);
    const correct = scenes.filter(
      (s, i) => (outputs.scores[i]?.[1] ?? 0) > 0.5 === isUpsideDown(s.spec),
    ).length;
    expect(correct / scenes.length).toBeGreaterThan(0.75);
    await probe.dispose();
  });
});
