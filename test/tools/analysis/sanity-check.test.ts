import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSubject, randomizeWeights } from '../../../subjects/index.ts';
import type { OnnxSubject } from '../../../subjects/onnx/onnx-subject.ts';
import { renderScene } from '../../../stimuli/render.ts';
import { spearman } from '../../../tools/metrics/index.ts';
import { occlusionSaliency, type ScoreFn } from '../../../tools/saliency/index.ts';

/**
 * Saliency sanity check (Adebayo et al., NeurIPS 2018, model-parameter randomisation test) on the
 * PaddleOCR orientation classifier. Occlusion maps of the logit of '0' are compared (Spearman rank
 * correlation over pixels):
 * - repeat: the trained model, occluded on a different grid (12 px patches at stride 6 vs stride 4;
 *   occlusion is deterministic, so a different grid is what a repeated measurement means here);
 * - randomised: the trained model vs the same architecture with every weight layer randomised (seed 1).
 * A method that explains the model must give maps that agree across repeats far more than they agree
 * with the randomised model's.
 */

const WORDS = ['hello', 'Sale 42', 'open'];

function logitOfZero(subject: OnnxSubject): ScoreFn {
  return async (images) => {
    const run = await subject.read(subject.preprocess(images), ['class_logits']);
    const logits = run.sites.class_logits?.data as Float32Array;
    return Float32Array.from(images, (_, n) => logits[n * 2] as number);
  };
}

describe('saliency sanity check: trained vs randomised PaddleOCR classifier', () => {
  let trained: OnnxSubject;
  let randomised: OnnxSubject;

  beforeAll(async () => {
    trained = await loadSubject('paddle-ocr-cls');
    randomised = (await randomizeWeights(trained, { seed: 1, scope: 'all' })).subject;
  });
  afterAll(async () => {
    await trained.dispose();
    await randomised.dispose();
  });

  it('occlusion maps correlate far less with the randomised model than across repeated runs', async () => {
    const repeat: number[] = [];
    const random: number[] = [];
    for (const word of WORDS) {
      const scene = await renderScene({
        width: 192,
        height: 48,
        background: 'white',
        items: [{ kind: 'word', name: word, x: 0.5, y: 0.5, size: 0.7 }],
      });
      const grid = { patchSize: 12, stride: 6 };
      const base = await occlusionSaliency(scene.image, logitOfZero(trained), grid);
      const shifted = await occlusionSaliency(scene.image, logitOfZero(trained), { ...grid, stride: 4 });
      const fromRandom = await occlusionSaliency(scene.image, logitOfZero(randomised), grid);
      repeat.push(spearman(base.map, shifted.map));
      random.push(spearman(base.map, fromRandom.map));
    }
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const figures = {
      repeatSpearman: mean(repeat),
      randomisedSpearman: mean(random),
      perWord: WORDS.map((word, i) => ({ word, repeat: repeat[i], randomised: random[i] })),
    };
    console.log(`sanity check (Spearman ρ of occlusion maps): ${JSON.stringify(figures)}`);
    expect(figures.repeatSpearman).toBeGreaterThan(0.8);
    expect(figures.randomisedSpearman).toBeLessThan(0.4);
    expect(figures.repeatSpearman - figures.randomisedSpearman).toBeGreaterThan(0.5);
  });
});
