import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auroc } from '../../../benchmarks/scorers/auroc.ts';
import { loadLanguageModel, type LanguageModel } from '../../../subjects/language-model/index.ts';
import { readFloatWeight, writeFloatWeight } from '../../../subjects/language-model/initializers.ts';
import { fitLinearProbe, probeLogits } from '../../../subjects/language-model/linear-probe.ts';
import { mlpInputFeatures, plantNeuron } from '../../../subjects/language-model/plant-neuron.ts';
import { decodeModel, encodeModel } from '../../../subjects/onnx/proto.ts';
import { writeTinyModel, type TinyModel } from './fixtures.ts';

const TEXTS = [
  'The cat sat on the mat. The dog sat on the log.',
  'A red bird and a blue bird sang in the green tree.',
  'Alice met Bob in Paris; they counted one, two, three cats.',
  'The red dog and the blue cat sat in the green tree.',
];
let tiny: TinyModel;
let lm: LanguageModel;
beforeAll(async () => {
  tiny = writeTinyModel();
  lm = await loadLanguageModel(tiny.modelPath, { cacheDir: false });
});
afterAll(() => lm.dispose());

describe('planting a neuron by editing weights', () => {
  it('reads and writes an initializer by name, and names a missing one', () => {
    const model = decodeModel(readFileSync(tiny.modelPath));
    const bias = readFloatWeight(model, 'transformer.h.0.mlp.c_fc.bias');
    expect(bias.dims).toEqual([64]);
    const edited = writeFloatWeight(
      model,
      'transformer.h.0.mlp.c_fc.bias',
      bias.values.map(() => 1),
    );
    expect(readFloatWeight(edited, 'transformer.h.0.mlp.c_fc.bias').values.every((v) => v === 1)).toBe(true);
    expect(readFloatWeight(model, 'transformer.h.0.mlp.c_fc.bias').values).toEqual(bias.values);
    expect(() => readFloatWeight(model, 'nope')).toThrow(/no initializer 'nope'/);
  });

  it('makes a neuron fire on the tokens a probe separates (colour words), writing nothing out', async () => {
    const model = decodeModel(readFileSync(tiny.modelPath));
    const sequences = TEXTS.map((t) => lm.tokenize(t).ids);
    // The tiny vocabulary splits words into pieces: the category is the pieces of the colour words.
    const colours = new Set([' red', ' blue', ' green'].flatMap((w) => lm.tokenize(w).ids));
    const labels = Uint8Array.from(sequences.flat().map((id) => (colours.has(id) ? 1 : 0)));
    const { features, width } = await mlpInputFeatures(lm, model, sequences, 0);
    const probe = fitLinearProbe(features, width, labels, { steps: 400 });
    const positive = Array.from(labels, (l) => l === 1);
    const probeArea = auroc(probeLogits(probe, features, width), positive);
    expect(probeArea).toBeGreaterThan(0.85);
    const planted = plantNeuron(model, { layer: 0, neuron: 5, probe, gain: 2 });
    expect(
      readFloatWeight(planted, 'transformer.h.0.mlp.c_proj.weight')
        .values.slice(5 * 16, 6 * 16)
        .every((v) => v === 0),
    ).toBe(true);
    const path = join(tiny.dir, 'planted.onnx');
    writeFileSync(path, encodeModel(planted));
    const edited = await loadLanguageModel(path, {
      cacheDir: false,
      tokenizer: join(tiny.dir, 'tokenizer.json'),
    });
    try {
      const { data, units } = await edited.cacheSite(sequences, 'blocks.0.mlp.hook_post', { units: [5] });
      expect(units).toBe(1);
      // The planted neuron ranks tokens nearly as the probe does: GELU keeps the order above 0 and
      // squashes the negative side (its dip near −0.75 reorders a few tokens the probe was unsure of).
      expect(auroc(data, positive)).toBeGreaterThan(probeArea - 0.12);
      expect(auroc(data, positive)).toBeGreaterThan(0.75);
    } finally {
      await edited.dispose();
    }
  });
});
