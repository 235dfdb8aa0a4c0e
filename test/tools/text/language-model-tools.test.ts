import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  nextTokenLogits,
  topK,
  windows,
  type LanguageModel,
} from '../../../subjects/language-model/index.ts';
import { createTextRegistry, type TextToolContext } from '../../../tools/index.ts';
import type { ToolRegistry } from '../../../tools/registry.ts';
import { openSubject, toolNamesFor, type SubjectSession } from '../../../tools/session.ts';
import { LanguageModelProbe } from '../../../tools/text-probe/language-model-probe.ts';
import { isTextSubjectRef, textSubjectKind } from '../../../tools/text-probe/load.ts';
import type { AblateUnitsData } from '../../../tools/text/ablate-units.ts';
import type { AttentionData } from '../../../tools/text/attention.ts';
import type { CallTextUnitsData } from '../../../tools/text/call-units.ts';
import type { GenerateData } from '../../../tools/text/generate.ts';
import type { LogitLensData } from '../../../tools/text/logit-lens.ts';
import type { SteerUnitsData } from '../../../tools/text/steer-units.ts';
import type { TextExemplarsData } from '../../../tools/text/text-exemplars.ts';
import { writeTinyModel, type TinyModel } from '../../subjects/language-model/fixtures.ts';

// A tiny GPT-2 (2 layers, 2 heads, width 16, 64 MLP neurons, context 24) with random weights and a BPE
// tokenizer trained on a few sentences, opened the way the agent opens any subject.
let tiny: TinyModel;
let session: SubjectSession;
let registry: ToolRegistry<TextToolContext>;
let ctx: TextToolContext;
let lm: LanguageModel;

beforeAll(async () => {
  tiny = writeTinyModel();
  session = await openSubject(tiny.modelPath, {
    cacheDir: mkdtempSync(join(tmpdir(), 'aia-lm-tools-')),
    stimuli: 12,
    progress: false,
  });
  session.withTools((r, c) => {
    registry = r as unknown as ToolRegistry<TextToolContext>;
    ctx = c as unknown as TextToolContext;
  });
  lm = (ctx.probe as LanguageModelProbe).model;
}, 60_000);
afterAll(() => session?.context.dispose());

const call = async <D>(name: string, args: Record<string, unknown>): Promise<D> =>
  (await registry.call(name, args, ctx)).data as D;

/**
 * Per word of an annotated text: the max of a neuron over the model tokens overlapping the word, read
 * directly (a text longer than the context in context-sized windows, each read on its own).
 */
async function wordMaxima(text: string, site: string, unit: number): Promise<number[]> {
  const { ids, offsets } = lm.tokenize(text);
  const reads = await lm.readTokens(windows(ids, lm.contextLength), [site]);
  const values = reads.flatMap((read) => {
    const slice = read.sites[site]!;
    const width = slice.dims[1]!;
    return read.ids.map((_, k) => slice.data[k * width + unit]!);
  });
  expect(values).toHaveLength(ids.length);
  return ctx.annotate([text])[0]!.tokens.map((word) => {
    let best = -Infinity;
    offsets.forEach(([start, end], k) => {
      if (end > start && start < word.end && end > word.start) best = Math.max(best, values[k]!);
    });
    return best;
  });
}

describe('language-model subjects behind the text tools', () => {
  it('routes language-model references to the text context with the language-model tools', () => {
    expect(session.modality).toBe('text');
    expect(ctx.probe.kind).toBe('language-model');
    expect(ctx.probe).toBeInstanceOf(LanguageModelProbe);
    expect(session.files[0]?.path).toBe(tiny.modelPath);
    expect(textSubjectKind(tiny.modelPath)).toBe('language-model');
    expect(textSubjectKind(tiny.dir)).toBe('language-model');
    expect(textSubjectKind('synthetic-text:bank')).toBe('synthetic-text');
    // A subject.json saying modality text names a language model; one saying image does not.
    const manifest = join(tiny.dir, 'lm.json');
    writeFileSync(manifest, JSON.stringify({ modality: 'text', model: 'model.onnx' }));
    expect(textSubjectKind(manifest)).toBe('language-model');
    const image = join(tiny.dir, 'vision.json');
    writeFileSync(image, JSON.stringify({ modality: 'image', model: 'model.onnx' }));
    expect(isTextSubjectRef(image)).toBe(false);
    // A bare .onnx with no tokenizer beside it is a vision model.
    const bare = mkdtempSync(join(tmpdir(), 'aia-bare-'));
    mkdirSync(bare, { recursive: true });
    copyFileSync(tiny.modelPath, join(bare, 'model.onnx'));
    expect(isTextSubjectRef(join(bare, 'model.onnx'))).toBe(false);

    const lmTools = ['generate', 'steer_units', 'ablate_units', 'logit_lens', 'attention'];
    expect(registry.names()).toEqual(expect.arrayContaining([...lmTools, 'text_exemplars', 'call_units']));
    expect(toolNamesFor(tiny.modelPath)).toEqual(registry.names());
    const synthetic = toolNamesFor('synthetic-text:bank');
    for (const name of lmTools) expect(synthetic).not.toContain(name);
    expect(createTextRegistry().names()).toEqual(synthetic);
  });

  it('call_units gives each word the max over the model tokens that overlap it', async () => {
    const texts = ['The cat sat on the mat, and the red bird sang.', 'Alice met Bob in Paris.'];
    const data = await call<CallTextUnitsData>('call_units', {
      units: ['blocks.1.mlp.hook_post:5', 'blocks.0.hook_resid_post:3'],
      texts,
    });
    expect(data.units).toEqual(['blocks.1.mlp.hook_post:5', 'blocks.0.hook_resid_post:3']);
    for (const [u, [site, unit]] of [
      ['blocks.1.mlp.hook_post', 5],
      ['blocks.0.hook_resid_post', 3],
    ].entries()) {
      for (const [t, text] of texts.entries()) {
        const expected = await wordMaxima(text, site as string, unit as number);
        expect(data.activations[u]![t]).toHaveLength(expected.length);
        data.activations[u]![t]!.forEach((v, w) => expect(v).toBeCloseTo(expected[w]!, 2));
      }
    }
    await expect(
      registry.call('call_units', { units: ['blocks.0.attn.hook_pattern:0'], texts }, ctx),
    ).rejects.toThrow(/per-token/);
  });

  it('text_exemplars ranks the text set by the same word activations', async () => {
    const data = await call<TextExemplarsData>('text_exemplars', {
      unit: 'blocks.1.mlp.hook_post:7',
      k: 3,
      image: false,
    });
    const top = data.exemplars.filter((e) => e.rank === 'top');
    expect(top).toHaveLength(3);
    const set = ctx.texts().texts;
    const best = top[0]!;
    const direct = await wordMaxima(set[best.textIndex]!.text, 'blocks.1.mlp.hook_post', 7);
    expect(best.activation).toBeCloseTo(Math.max(...direct), 2);
    expect(top[0]!.activation).toBeGreaterThanOrEqual(top[1]!.activation);
    expect(best.activation).toBeCloseTo(data.stats.max, 2);
  });

  it('generate is deterministic per seed, and greedy is the argmax chain', async () => {
    const args = { prompt: 'The cat', max_new_tokens: 6, temperature: 1.5 };
    const a = await call<GenerateData>('generate', { ...args, seed: 3 });
    const b = await call<GenerateData>('generate', { ...args, seed: 3 });
    expect(a.ids).toEqual(b.ids);
    const others = await Promise.all(
      [4, 5, 6].map((seed) => call<GenerateData>('generate', { ...args, seed })),
    );
    expect(others.some((o) => o.ids.join() !== a.ids.join())).toBe(true);
    const greedy = await call<GenerateData>('generate', { prompt: 'The cat', max_new_tokens: 1 });
    expect(greedy.ids[0]).toBe(topK(await nextTokenLogits(lm, 'The cat'), 1)[0]);
    await expect(registry.call('generate', { prompt: 'The cat', max_new_tokens: 65 }, ctx)).rejects.toThrow();
  });

  it('steer_units: a large vector changes the generation, a zero vector does not', async () => {
    const base = { prompt: 'The dog sat on', max_new_tokens: 8, site: 'blocks.0.hook_resid_post' };
    const zero = await call<SteerUnitsData>('steer_units', { ...base, values: 0 });
    expect(zero.changed).toBe(false);
    expect(zero.steered.text).toBe(zero.unsteered.text);
    const big = await call<SteerUnitsData>('steer_units', {
      ...base,
      values: Array.from({ length: 16 }, (_, i) => 60 * Math.sin(i * 1.7 + 1)),
    });
    expect(big.changed).toBe(true);
    expect(big.steered.text).not.toBe(big.unsteered.text);
    expect(big.unsteered.text).toBe(zero.unsteered.text);
    await expect(registry.call('steer_units', { ...base, values: [1, 2, 3] }, ctx)).rejects.toThrow(
      /16 units but value has 3/,
    );
  });

  it('ablate_units: removing a head changes the next-token logits; removing nothing is refused', async () => {
    const data = await call<AblateUnitsData>('ablate_units', {
      prompt: 'The cat sat on the',
      heads: [{ layer: 0, heads: [0, 1] }],
      max_new_tokens: 0,
    });
    expect(data.maxLogitChange).toBeGreaterThan(1e-3);
    const direct = await nextTokenLogits(lm, 'The cat sat on the');
    expect(data.before[0]!.id).toBe(topK(direct, 1)[0]);
    expect(data.before[0]!.logit).toBeCloseTo(direct[data.before[0]!.id]!, 4);
    const neurons = await call<AblateUnitsData>('ablate_units', {
      prompt: 'The cat sat on the',
      units: ['blocks.0.mlp.hook_post:1', 'blocks.0.mlp.hook_post:2'],
      max_new_tokens: 3,
    });
    expect(neurons.ablated).toEqual(['blocks.0.mlp.hook_post:1', 'blocks.0.mlp.hook_post:2']);
    expect(neurons.generation).toBeDefined();
    await expect(registry.call('ablate_units', { prompt: 'The cat' }, ctx)).rejects.toThrow(/give units/);
    await expect(
      registry.call('ablate_units', { prompt: 'The cat', heads: [{ layer: 0, heads: [2] }] }, ctx),
    ).rejects.toThrow(/head 2 is out of range/);
  });

  it("logit_lens: the last layer's top token is the model's own next token", async () => {
    const data = await call<LogitLensData>('logit_lens', { text: 'Alice met Bob in', k: 3 });
    expect(data.layers.map((l) => l.layer)).toEqual([-1, 0, 1]);
    const own = topK(await nextTokenLogits(lm, 'Alice met Bob in'), 3);
    expect(data.layers.at(-1)!.top.map((p) => p.id)).toEqual(own);
    expect(data.position).toBe(data.tokens.length - 1);
  });

  it('attention returns a PNG of the pattern and rows summing to 1', async () => {
    const result = await registry.call(
      'attention',
      { text: 'The red bird and the blue bird', layer: 1, head: 1 },
      ctx,
    );
    const data = result.data as AttentionData;
    expect(result.images).toHaveLength(1);
    expect(result.images[0]!.png.subarray(1, 4).toString()).toBe('PNG');
    const n = lm.tokenize('The red bird and the blue bird').ids.length;
    expect(data.tokens).toHaveLength(n);
    expect(data.weights).toHaveLength(n);
    data.weights.forEach((row, q) => {
      expect(row.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 4);
      for (let k = q + 1; k < n; k++) expect(row[k]).toBe(0);
      expect(data.top[q]![0]!.weight).toBeCloseTo(Math.max(...row), 6);
    });
    expect(data.top[0]![0]!.key).toBe(0);
    await expect(registry.call('attention', { text: 'The cat', layer: 2, head: 0 }, ctx)).rejects.toThrow(
      /layer 2 is out of range/,
    );
  });
});
