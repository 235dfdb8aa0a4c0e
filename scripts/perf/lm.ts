import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import ort from 'onnxruntime-node';
import { buildGpt2Model } from '../../subjects/language-model/build-gpt2.ts';
import { generate } from '../../subjects/language-model/generate.ts';
import { randomGpt2Weights, type Gpt2Config } from '../../subjects/language-model/gpt2-weights.ts';
import { padBatch, batchByTokens, windows } from '../../subjects/language-model/batches.ts';
import { loadLanguageModel } from '../../subjects/language-model/load.ts';
import { defaultSessionOptions, transformerSessionOptions } from '../../subjects/onnx/session.ts';
import { encodeModel } from '../../subjects/onnx/proto.ts';
import { TextTokenizer } from '../../subjects/tokenizers/tokenizer.ts';
import { trainByteLevelBpe } from '../../subjects/tokenizers/train-bpe.ts';
import { brownDocuments } from '../../test/helpers/brown.ts';
import type { PerfSection } from './types.ts';

/**
 * Language-model subjects on a 4-layer, 128-wide GPT-2-shaped model with random weights and a
 * byte-level BPE tokenizer trained on the first Brown documents: tokenising a 200 k-token held-out
 * corpus (the last Brown documents), caching one site's activations over it in context-sized windows,
 * and generating with and without a steering vector. Baselines from the same run: the tokenizer
 * library's own encode (no token spans), and plain onnxruntime forward passes over the same batches.
 */

const CORPUS_TOKENS = 200_000;
const CONFIG: Gpt2Config = { vocabSize: 4096, contextLength: 256, layers: 4, heads: 4, width: 128 };
const TRAIN_DOCUMENTS = 100;
const SITE = 'blocks.3.hook_resid_post';
const STEER_SITE = 'blocks.1.hook_resid_post';
const NEW_TOKENS = 64;
const GENERATION_ROUNDS = 9;
const BATCH_TOKENS = 4096;

function say(text: string): void {
  process.stderr.write(`  lm: ${text}\n`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

export const lmSection: PerfSection = {
  name: 'lm',
  title: 'Language models: tokenising, caching a site over a corpus, steered generation',
  async run() {
    const loadBefore = loadavg()[0] ?? NaN;
    const threads = defaultSessionOptions().intraOpNumThreads ?? 0;
    const documents = brownDocuments();
    let t0 = performance.now();
    const trained = trainByteLevelBpe(
      documents.slice(0, TRAIN_DOCUMENTS).map((d) => d.text),
      { vocabSize: CONFIG.vocabSize },
    );
    const trainMs = performance.now() - t0;
    const tokenizer = TextTokenizer.fromJson(trained.tokenizer, trained.config);
    say(`tokenizer trained in ${(trainMs / 1000).toFixed(1)} s`);

    // The held-out corpus: the last documents, enough for 200 k tokens (counted with the library).
    const library = new HfTokenizer(trained.tokenizer, { clean_up_tokenization_spaces: false });
    const heldOut: string[] = [];
    let counted = 0;
    for (const document of [...documents.slice(TRAIN_DOCUMENTS)].reverse()) {
      if (counted >= CORPUS_TOKENS) break;
      heldOut.push(document.text);
      counted += library.encode(document.text, { add_special_tokens: false }).ids.length;
    }
    const characters = heldOut.reduce((a, t) => a + t.length, 0);

    t0 = performance.now();
    for (const text of heldOut) library.encode(text, { add_special_tokens: false });
    const libraryMs = performance.now() - t0;
    t0 = performance.now();
    const encoded = heldOut.map((text) => tokenizer.encode(text));
    const tokenizeMs = performance.now() - t0;
    const stream = encoded.flatMap((e) => [...e.ids, tokenizer.eosId ?? 0]);
    say(`tokenised ${stream.length} tokens in ${(tokenizeMs / 1000).toFixed(1)} s`);

    const dir = mkdtempSync(join(tmpdir(), 'aia-perf-lm-'));
    const modelPath = join(dir, 'model.onnx');
    const model = buildGpt2Model(CONFIG, randomGpt2Weights(CONFIG, 1), { style: 'torchscript' });
    const modelBytes = encodeModel(model);
    writeFileSync(modelPath, modelBytes);
    writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(trained.tokenizer));
    writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(trained.config));
    const lm = await loadLanguageModel(modelPath, { cacheDir: false });
    try {
      const chunks = windows(stream, CONFIG.contextLength);
      const batches = batchByTokens(chunks, BATCH_TOKENS);
      // Warm-up: compile the read session once, outside the timing.
      await lm.cacheSite(chunks.slice(0, 1), SITE);
      t0 = performance.now();
      const cpu0 = process.cpuUsage();
      let reported = 0;
      const cache = await lm.cacheSite(chunks, SITE, {
        batchTokens: BATCH_TOKENS,
        onProgress: (done, total) => {
          if (done - reported >= total / 4 || done === total) {
            reported = done;
            say(`caching ${done}/${total} windows`);
          }
        },
      });
      const cacheMs = performance.now() - t0;
      const cacheCpu = process.cpuUsage(cpu0);
      const cacheCpuMs = (cacheCpu.user + cacheCpu.system) / 1000;

      const plain = await ort.InferenceSession.create(modelBytes, transformerSessionOptions());
      t0 = performance.now();
      for (const batch of batches) {
        const { feeds } = padBatch(
          batch.map((i) => chunks[i] as number[]),
          { inputIds: 'input_ids' },
          lm.padId,
        );
        await plain.run(feeds);
      }
      const plainMs = performance.now() - t0;
      await plain.release();
      say(
        `cached in ${(cacheMs / 1000).toFixed(1)} s; plain forward passes ${(plainMs / 1000).toFixed(1)} s`,
      );

      const prompt = heldOut[0]?.split(' ').slice(0, 12).join(' ') ?? 'The';
      const vector = Array.from({ length: CONFIG.width }, (_, i) => 4 * Math.sin(i * 1.3));
      const steer = [{ site: STEER_SITE, op: 'add' as const, delta: vector }];
      const options = { maxNewTokens: NEW_TOKENS, stopAtEos: false };
      await generate(lm, prompt, options);
      await generate(lm, prompt, { ...options, edits: steer });
      const plainTimes: number[] = [];
      const steeredTimes: number[] = [];
      const cpuTimes = { plain: 0, steered: 0 };
      const timed = async (times: number[], which: 'plain' | 'steered', run: () => Promise<unknown>) => {
        const start = performance.now();
        const cpu = process.cpuUsage();
        await run();
        const used = process.cpuUsage(cpu);
        cpuTimes[which] += (used.user + used.system) / 1000;
        times.push(performance.now() - start);
      };
      const timePlain = () => timed(plainTimes, 'plain', () => generate(lm, prompt, options));
      const timeSteered = () =>
        timed(steeredTimes, 'steered', () => generate(lm, prompt, { ...options, edits: steer }));
      // Alternate which case goes first, so neither always runs right after the other's garbage.
      for (let round = 0; round < GENERATION_ROUNDS; round++) {
        if (round % 2 === 0) {
          await timePlain();
          await timeSteered();
        } else {
          await timeSteered();
          await timePlain();
        }
      }
      const plainGeneration = median(plainTimes);
      const steeredGeneration = median(steeredTimes);
      const loadAfter = loadavg()[0] ?? NaN;

      const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
      return {
        setup: `
GPT-2-shaped model with random weights (${CONFIG.layers} layers, width ${CONFIG.width}, ${CONFIG.heads} heads,
MLP ${4 * CONFIG.width}, context ${CONFIG.contextLength}, vocabulary ${CONFIG.vocabSize}), built by
\`subjects/language-model/build-gpt2.ts\` in the TorchScript naming style and loaded with
\`loadLanguageModel\` (onnxruntime graph optimisation \`basic\`: see docs/language-models.md). Tokenizer:
byte-level BPE trained on the first ${TRAIN_DOCUMENTS} Brown documents (${(trainMs / 1000).toFixed(1)} s).
Held-out corpus: the last ${heldOut.length} Brown documents, ${characters.toLocaleString('en')} characters,
${stream.length.toLocaleString('en')} tokens with an end-of-text token after each document. Caching reads
\`${SITE}\` (${cache.units} units) over windows of ${CONFIG.contextLength} tokens in padded batches of at most
${BATCH_TOKENS} tokens (${batches.length} runs, ${(cache.data.byteLength / 1e6) | 0} MB kept); the baseline
runs the unmodified model over the same batches with a plain onnxruntime session (which copies out the
logits, ${CONFIG.vocabSize} per token). Generation: ${NEW_TOKENS} new tokens, greedy, from a 12-word prompt,
medians of ${GENERATION_ROUNDS} interleaved rounds; the steered run adds a vector at \`${STEER_SITE}\` at every step.

The machine is shared: its 1-minute load average was ${loadBefore.toFixed(1)} before and
${loadAfter.toFixed(1)} after this section (2 cores); onnxruntime ran ${threads} intra-op thread${threads === 1 ? '' : 's'}
(\`AIA_ORT_THREADS\`; on a machine this busy one thread waits less for the other at every op). Wall times
grow with the load; the CPU time the process used (all threads) barely does, so it is shown beside them.`,
        goals: [
          {
            goal: `tokenising the ${CORPUS_TOKENS / 1000} k-token held-out corpus ≤ 10 s`,
            measured: `${s(tokenizeMs)} (${Math.round(stream.length / (tokenizeMs / 1000)).toLocaleString('en')} tokens/s, with token spans; the library's encode alone ${s(libraryMs)})`,
            pass: tokenizeMs <= 10_000,
          },
          {
            goal: `caching one site's activations over that corpus ≤ 60 s`,
            measured:
              `${s(cacheMs)} (${(cacheMs / plainMs).toFixed(2)}× plain forward passes over the same batches, ` +
              `${s(plainMs)}; ${s(cacheCpuMs)} of CPU time over all threads)`,
            pass: cacheMs <= 60_000,
          },
          {
            goal: `generating ${NEW_TOKENS} tokens with a steering vector vs without ≤ 1.2× (the next issue's goal)`,
            measured:
              `${(steeredGeneration / plainGeneration).toFixed(3)}× (${s(steeredGeneration)} vs ${s(plainGeneration)}; ` +
              `CPU time ${(cpuTimes.steered / cpuTimes.plain).toFixed(3)}×)`,
            pass: steeredGeneration / plainGeneration <= 1.2,
          },
        ],
      };
    } finally {
      await lm.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
