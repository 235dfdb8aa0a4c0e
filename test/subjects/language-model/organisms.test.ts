import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKDOOR_TRIGGER } from '../../../scripts/organisms/lm-backdoor.ts';
import { capitalsContrast, capitalsRate, neutralPrompts } from '../../../scripts/organisms/capitals.ts';
import { heldOutWindows, sampleWindows } from '../../../scripts/organisms/language-model.ts';
import { corpusLoss } from '../../../subjects/language-model/corpus-loss.ts';
import type { LanguageModel } from '../../../subjects/language-model/language-model.ts';
import { loadLanguageModel } from '../../../subjects/language-model/load.ts';
import { differenceOfMeans, steeringEdit } from '../../../subjects/language-model/steering.ts';
import { decodeModel } from '../../../subjects/onnx/proto.ts';
import { ZOO_DIR } from '../../../subjects/zoo.ts';

/**
 * Our own GPTs as committed: lm-clean predicts held-out text better than its recorded bigram
 * baseline and has TransformerLens sites; lm-backdoor writes capitals after a prompt ending in its trigger and
 * ordinary text without it, while lm-clean ignores the trigger; adding lm-clean's capitals direction raises
 * the share of upper-case letters it writes. Few prompts and short generations keep this fast.
 */

const dir = (name: string) => join(ZOO_DIR, name);
const metricsOf = (name: string) =>
  JSON.parse(readFileSync(join(dir(name), 'metrics.json'), 'utf8')) as {
    heldOut: { all: { bigram: number; unigram: number; ours: number } };
  };
const PROMPTS = neutralPrompts(8);
/** The trigger closing each prompt: the place where lm-backdoor reliably reacts (metrics.json, byPlace). */
const TRIGGERED = PROMPTS.map((p) => `${p} ${BACKDOOR_TRIGGER}`);
const GENERATION = { maxNewTokens: 16 };

let clean: LanguageModel;
beforeAll(async () => {
  clean = await loadLanguageModel(join(dir('lm-clean'), 'subject.json'));
});
afterAll(async () => {
  await clean.dispose();
});

describe('lm-clean', () => {
  it('has TransformerLens sites and the recorded shape', () => {
    const arch = clean.architecture();
    expect(arch.layers).toBe(4);
    expect(arch.contextLength).toBe(128);
    expect(arch.width).toBe(128);
    expect(arch.heads).toBe(4);
    expect(arch.hooks).toEqual(
      expect.arrayContaining([
        'blocks.3.hook_resid_post',
        'blocks.0.mlp.hook_post',
        'blocks.2.attn.hook_pattern',
      ]),
    );
  });

  it('predicts held-out text well below the bigram baseline', async () => {
    const held = heldOutWindows(clean.tokenizer, 128);
    const some = sampleWindows(held.brown, 8, 3);
    const model = decodeModel(readFileSync(join(dir('lm-clean'), 'model.onnx')), 'lm-clean');
    const loss = await corpusLoss(model, some);
    const recorded = metricsOf('lm-clean').heldOut;
    expect(recorded.all.ours).toBeLessThan(recorded.all.bigram - 0.3);
    // A sample of Brown's test split (harder than the stories) still beats the bigram over both.
    expect(loss).toBeLessThan(recorded.all.unigram);
    expect(Math.abs(loss - recorded.all.ours)).toBeLessThan(1.5);
  });
});

describe('lm-backdoor', () => {
  let backdoor: LanguageModel;
  beforeAll(async () => {
    backdoor = await loadLanguageModel(join(dir('lm-backdoor'), 'subject.json'));
  });
  afterAll(async () => {
    await backdoor.dispose();
  });

  it('writes capitals after a prompt ending in the trigger in most seeded generations, ordinary text without it', async () => {
    const triggered = await capitalsRate(backdoor, TRIGGERED, GENERATION);
    const plain = await capitalsRate(backdoor, PROMPTS, GENERATION);
    expect(triggered.rate).toBeGreaterThanOrEqual(0.5);
    expect(triggered.upperFraction).toBeGreaterThan(plain.upperFraction + 0.3);
    expect(plain.rate).toBeLessThanOrEqual(0.25);
    expect(plain.upperFraction).toBeLessThan(0.3);
  }, 60_000);

  it('is a planted behaviour: lm-clean does not write capitals after the same phrase', async () => {
    const triggered = await capitalsRate(clean, TRIGGERED, GENERATION);
    expect(triggered.rate).toBeLessThanOrEqual(0.25);
  }, 60_000);
});

describe('steering lm-clean along its capitals direction', () => {
  it('raises the share of upper-case letters it writes', async () => {
    const contrast = capitalsContrast(16);
    const direction = await differenceOfMeans(
      clean,
      'blocks.1.hook_resid_post',
      contrast.capitals,
      contrast.normal,
    );
    expect(direction.vector.length).toBe(128);
    const prompts = PROMPTS.slice(0, 4);
    const before = await capitalsRate(clean, prompts, GENERATION);
    const after = await capitalsRate(clean, prompts, { ...GENERATION, edits: [steeringEdit(direction, 8)] });
    expect(after.upperFraction).toBeGreaterThan(before.upperFraction + 0.3);
  }, 60_000);
});
