import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ablateHeads,
  attentionPatterns,
  generate,
  logitLens,
  nextTokenLogits,
  saveGpt2Subject,
  softmaxOf,
  topK,
  windows,
  wordActivations,
  type LanguageModel,
} from '../../../subjects/language-model/index.ts';
import { loadLanguageModel } from '../../../subjects/language-model/load.ts';
import { buildGpt2Model } from '../../../subjects/language-model/build-gpt2.ts';
import { encodeModel } from '../../../subjects/onnx/proto.ts';
import { InputError } from '../../../util/errors.ts';
import { padBatch } from '../../../subjects/language-model/batches.ts';
import type { Edit } from '../../../subjects/subject.ts';
import { referenceForward } from './gpt2-reference.ts';
import { tinyTokenizer, writeTinyModel, type TinyModel } from './fixtures.ts';

const TEXTS = [
  'The cat sat on the mat.',
  'Alice met Bob',
  'A red bird and a blue bird sang in the green tree.',
];

let tiny: TinyModel;
let lm: LanguageModel;
beforeAll(async () => {
  tiny = writeTinyModel({ attentionMask: true });
  lm = await loadLanguageModel(tiny.modelPath, { cacheDir: false });
});
afterAll(async () => {
  await lm.dispose();
});

describe('language-model subjects', () => {
  it('loads a model with its tokenizer: blocks, context length from the position table, per-token units', () => {
    expect(lm.layers).toBe(2);
    const architecture = lm.architecture();
    expect(architecture).toMatchObject({
      layers: 2,
      heads: 2,
      width: 16,
      mlpWidth: 64,
      vocabSize: 320,
      contextLength: 24,
    });
    expect(architecture.hooks).toHaveLength(3 + 2 * 9);
    expect(architecture.hooks[0]).toBe('hook_embed');
    expect(lm.contextLength).toBe(24);
    expect(lm.site('blocks.1.mlp.hook_post').units).toBe(64);
    expect(lm.site('blocks.0.attn.hook_pattern').units).toBe(2); // heads
    expect(lm.subject.parseUnit('blocks.1.mlp.hook_post:63').unit).toBe(63);
    expect(() => lm.subject.parseUnit('blocks.1.mlp.hook_post:64')).toThrow(/out of range/);
    expect(() => lm.site('blocks.1.mlp.hook_pots')).toThrow(/did you mean 'blocks.1.mlp.hook_post'/);
  });

  it('reads sites per token over many texts; batches and padding change nothing', async () => {
    const sites = ['blocks.1.mlp.hook_post', 'blocks.0.attn.hook_pattern'];
    const together = await lm.readTokens(TEXTS, sites);
    const alone = await Promise.all(TEXTS.map(async (t) => (await lm.readTokens([t], sites))[0]));
    together.forEach((read, i) => {
      const length = lm.tokenize(TEXTS[i] as string).ids.length;
      const post = read.sites['blocks.1.mlp.hook_post'];
      expect(post?.dims).toEqual([length, 64]);
      const single = alone[i]?.sites['blocks.1.mlp.hook_post']?.data as Float32Array;
      post?.data.forEach((v, k) => expect(v).toBeCloseTo(single[k] as number, 4));
      const pattern = read.sites['blocks.0.attn.hook_pattern'];
      expect(pattern?.dims).toEqual([2, length, length]);
      for (let q = 0; q < length; q++) {
        const row = pattern?.data.subarray(q * length, (q + 1) * length) as Float32Array;
        expect(row.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 5);
        for (let k = q + 1; k < length; k++) expect(row[k]).toBe(0); // causal
      }
    });
    // And the values are GPT-2's: the MLP activations of the plain JavaScript forward pass.
    const ids = together[2]?.ids as number[];
    const reference = referenceForward(tiny.config, tiny.weights, ids).mlpPost[1]?.flat() as number[];
    together[2]?.sites['blocks.1.mlp.hook_post']?.data.forEach((v, k) =>
      expect(v).toBeCloseTo(reference[k] as number, 3),
    );
  });

  it('caches one site over a token stream in windows, in order, with a choice of units', async () => {
    const stream = TEXTS.flatMap((t) => lm.tokenize(t).ids);
    const chunks = windows(stream, 8);
    expect(chunks.flat()).toEqual(stream);
    const all = await lm.cacheSite(chunks, 'blocks.0.hook_resid_post', { batchTokens: 16 });
    expect(all.tokens).toBe(stream.length);
    expect(all.units).toBe(16);
    const reads = await lm.readTokens(chunks, ['blocks.0.hook_resid_post']);
    const expected = reads.flatMap((r) => Array.from(r.sites['blocks.0.hook_resid_post']?.data ?? []));
    all.data.forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 4));
    const some = await lm.cacheSite(chunks, 'blocks.0.hook_resid_post', { units: [3, 0] });
    expect(some.data[0]).toBeCloseTo(all.data[3] as number, 5);
    expect(some.data[3]).toBeCloseTo(all.data[16] as number, 5);
    await expect(lm.cacheSite(chunks, 'blocks.0.attn.hook_pattern')).rejects.toThrow(
      /needs \[batch, token, units\]/,
    );
  });

  it('generates greedily as repeated argmax, and reproducibly per seed when sampling', async () => {
    const prompt = 'The cat';
    const greedy = await generate(lm, prompt, { maxNewTokens: 5, stopAtEos: false });
    const ids = lm.tokenize(prompt).ids;
    for (let step = 0; step < 5; step++) ids.push(topK(await nextTokenLogits(lm, ids), 1)[0] as number);
    expect(greedy.ids).toEqual(ids);
    expect(greedy.text).toBe(lm.tokenizer.decode(ids.slice(greedy.promptLength)));
    const a = await generate(lm, prompt, { maxNewTokens: 6, temperature: 2, seed: 1, stopAtEos: false });
    const b = await generate(lm, prompt, { maxNewTokens: 6, temperature: 2, seed: 1, stopAtEos: false });
    const c = await generate(lm, prompt, { maxNewTokens: 6, temperature: 2, seed: 2, stopAtEos: false });
    expect(a.ids).toEqual(b.ids);
    expect(c.ids).not.toEqual(a.ids);
  });

  it('steers generation with a vector added at a site, compiling one session for every vector', async () => {
    const width = 16;
    const direction = (seed: number) =>
      Array.from({ length: width }, (_, i) => 40 * Math.sin(seed * 7.3 + i * 1.7));
    const plain = await nextTokenLogits(lm, 'The cat');
    const steered = await nextTokenLogits(lm, 'The cat', [
      { site: 'blocks.0.hook_resid_post', op: 'add', delta: direction(1) },
    ]);
    const change = Math.max(...plain.map((v, i) => Math.abs(v - (steered[i] as number))));
    expect(change).toBeGreaterThan(0.1);
    await generate(lm, 'The cat', {
      maxNewTokens: 3,
      edits: [{ site: 'blocks.0.hook_resid_post', op: 'add', delta: direction(2) }],
    });
    const compiled = lm.subject.sessions.created;
    await generate(lm, 'The cat', {
      maxNewTokens: 3,
      edits: [{ site: 'blocks.0.hook_resid_post', op: 'add', delta: direction(3) }],
    });
    expect(lm.subject.sessions.created).toBe(compiled);
  });

  it('zeroes neurons and attention heads', async () => {
    const [clamped] = await lm.readTokens(['The cat sat'], ['blocks.1.mlp.hook_post'], {
      edits: [{ site: 'blocks.1.mlp.hook_post', units: [3, 5], op: 'zero' }],
    });
    const [plain] = await lm.readTokens(['The cat sat'], ['blocks.1.mlp.hook_post']);
    const c = clamped?.sites['blocks.1.mlp.hook_post']?.data as Float32Array;
    const p = plain?.sites['blocks.1.mlp.hook_post']?.data as Float32Array;
    for (let t = 0; t < c.length / 64; t++) {
      expect(c[t * 64 + 3]).toBe(0);
      expect(c[t * 64 + 5]).toBe(0);
      expect(c[t * 64 + 4]).toBeCloseTo(p[t * 64 + 4] as number, 5);
    }
    const ablation = ablateHeads(lm, 1, [1]);
    const [ablated] = await lm.readTokens(
      ['The cat sat'],
      ['blocks.1.attn.hook_z', 'blocks.1.hook_attn_out'],
      { edits: [ablation] },
    );
    const [normal] = await lm.readTokens(['The cat sat'], ['blocks.1.attn.hook_z', 'blocks.1.hook_attn_out']);
    const z = ablated?.sites['blocks.1.attn.hook_z'];
    const zNormal = normal?.sites['blocks.1.attn.hook_z']?.data as Float32Array;
    const half = (z?.data.length ?? 0) / 2; // [head, token, d_head]: head 1 is the second half
    z?.data.forEach((v, i) =>
      i >= half ? expect(v).toBe(0) : expect(v).toBeCloseTo(zNormal[i] as number, 5),
    );
    expect(() => ablateHeads(lm, 1, [2])).toThrow(/head 2 is out of range/);
    expect(() => ablateHeads(lm, 2, [0])).toThrow(/layer 2 is out of range/);
  });

  it("shows attention per head, and a logit lens whose last layer is the model's own prediction", async () => {
    const [pattern] = await attentionPatterns(lm, 'The cat sat', 0, [1]);
    expect(pattern?.tokens.join('')).toBe('The cat sat');
    expect(pattern?.weights[0]).toEqual([1, ...new Array<number>((pattern?.tokens.length ?? 1) - 1).fill(0)]);

    const lens = await logitLens(lm, 'The cat sat', { k: 3 });
    expect(lens.map((l) => l.layer)).toEqual([-1, 0, 1]);
    const logits = await nextTokenLogits(lm, 'The cat sat');
    const probabilities = softmaxOf(logits);
    const last = lens.at(-1)?.top ?? [];
    expect(last.map((p) => p.id)).toEqual(topK(logits, 3));
    last.forEach((p) => expect(p.probability).toBeCloseTo(probabilities[p.id] as number, 4));
    expect(lens[0]?.top.map((p) => p.id)).not.toEqual(last.map((p) => p.id));
  });

  it('refuses texts longer than the context and models it cannot feed', async () => {
    await expect(lm.readTokens(['word '.repeat(40)], ['hook_embed'])).rejects.toThrow(/reads at most 24/);
    const cached = writeTinyModel();
    const model = buildGpt2Model(cached.config, cached.weights, { style: 'torchscript' });
    const graph = model.graph ?? {};
    const withCache = {
      ...model,
      graph: {
        ...graph,
        input: [...(graph.input ?? []), { ...graph.input?.[0], name: 'past_key_values.0.key' }],
      },
    };
    writeFileSync(cached.modelPath, encodeModel(withCache));
    await expect(loadLanguageModel(cached.modelPath, { cacheDir: false })).rejects.toThrow(
      /key\/value cache/,
    );
    const bare = writeTinyModel();
    renameSync(join(bare.dir, 'tokenizer.json'), join(bare.dir, 'other.json'));
    await expect(loadLanguageModel(bare.modelPath, { cacheDir: false })).rejects.toThrow(InputError);
    await expect(loadLanguageModel(bare.modelPath, { cacheDir: false })).rejects.toThrow(/no tokenizer/);
  });

  it('reads units per word: the maximum over the model tokens overlapping each word, across windows', async () => {
    const text = 'Alice met Bob in Paris; they counted one, two, three cats. '.repeat(3);
    const words = [...text.matchAll(/\S+/g)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
    const units = ['blocks.1.mlp.hook_post:7', { site: 'blocks.0.hook_resid_post', unit: 2 }];
    const [neuron, resid] = await wordActivations(lm, [{ text, tokens: words }], units, { batchTokens: 24 });
    const encoded = lm.tokenize(text);
    expect(encoded.ids.length).toBeGreaterThan(lm.contextLength); // read in windows
    const chunks = windows(encoded.ids, lm.contextLength);
    const reads = await lm.readTokens(chunks, ['blocks.1.mlp.hook_post']);
    const perToken = reads.flatMap((r) => {
      const slice = r.sites['blocks.1.mlp.hook_post'];
      return Array.from({ length: slice?.dims[0] ?? 0 }, (_, t) => slice?.data[t * 64 + 7] as number);
    });
    words.forEach((word, w) => {
      const overlapping = encoded.offsets.flatMap(([a, b], k) =>
        a < word.end && b > word.start && b > a ? [perToken[k] as number] : [],
      );
      expect(neuron?.[0]?.[w]).toBeCloseTo(Math.max(...overlapping), 5);
    });
    expect(resid?.[0]).toHaveLength(words.length);
    await expect(
      wordActivations(lm, [{ text, tokens: words }], ['blocks.0.attn.hook_pattern:1']),
    ).rejects.toThrow(/only \[batch, token, units\] sites/);
  });

  it("differentiates through the GPT-2 graph: a neuron's gradient wrt the embeddings matches finite differences", async () => {
    const text = 'The cat sat';
    const ids = lm.tokenize(text).ids;
    const neuron = Array.from({ length: 64 }, (_, i) => (i === 7 ? 1 : 0));
    const feeds = padBatch([ids], { inputIds: 'input_ids', attentionMask: 'attention_mask' }, lm.padId).feeds;
    const { gradients } = await lm.subject.gradient(feeds, {
      objective: { tensor: 'blocks.1.mlp.hook_post', unitAxis: 2, pool: 'mean', weights: neuron },
      wrt: ['hook_embed'],
    });
    const gradient = gradients.hook_embed?.data as Float32Array; // [1, tokens, 16]
    // Adding h to embedding unit u at every position moves the objective by h · Σ_t ∂/∂e[t, u].
    const meanNeuron = async (edits: Edit[]) => {
      const [read] = await lm.readTokens([text], ['blocks.1.mlp.hook_post'], { edits });
      const data = read?.sites['blocks.1.mlp.hook_post']?.data as Float32Array;
      return (
        Array.from({ length: ids.length }, (_, t) => data[t * 64 + 7] as number).reduce((a, v) => a + v, 0) /
        ids.length
      );
    };
    const h = 1e-2;
    for (const unit of [0, 5, 11]) {
      const up = await meanNeuron([{ site: 'hook_embed', units: [unit], op: 'add', delta: h }]);
      const down = await meanNeuron([{ site: 'hook_embed', units: [unit], op: 'add', delta: -h }]);
      const analytic = Array.from({ length: ids.length }, (_, t) => gradient[t * 16 + unit] as number).reduce(
        (a, v) => a + v,
        0,
      );
      expect((up - down) / (2 * h)).toBeCloseTo(analytic, 2);
    }
  });

  it('saves a GPT-2 subject folder that loads back with the same predictions', async () => {
    const dir = join(tiny.dir, 'saved');
    const manifest = saveGpt2Subject(dir, tiny.config, tiny.weights, tinyTokenizer(), { name: 'saved-gpt' });
    const saved = await loadLanguageModel(manifest, { cacheDir: false });
    try {
      expect(saved.name).toBe('saved-gpt');
      expect(saved.subject.manifest.modality).toBe('text');
      const a = await nextTokenLogits(saved, 'The cat sat');
      const b = await nextTokenLogits(lm, 'The cat sat');
      a.forEach((v, i) => expect(v).toBeCloseTo(b[i] as number, 4));
    } finally {
      await saved.dispose();
    }
  });

  it('follows a text subject.json: tokenizer path, context length, aliases', async () => {
    const other = writeTinyModel({ style: 'dynamo' });
    mkdirSync(join(other.dir, 'tok'));
    renameSync(join(other.dir, 'tokenizer.json'), join(other.dir, 'tok', 'tokenizer.json'));
    writeFileSync(
      join(other.dir, 'subject.json'),
      JSON.stringify({
        name: 'tiny-gpt',
        modality: 'text',
        model: 'model.onnx',
        text: { tokenizer: 'tok/tokenizer.json', contextLength: 16 },
        sites: { aliases: { neurons: 'blocks.1.mlp.hook_post', first: 'mul_1' } },
      }),
    );
    const loaded = await loadLanguageModel(join(other.dir, 'subject.json'), { cacheDir: false });
    try {
      expect(loaded.name).toBe('tiny-gpt');
      expect(loaded.contextLength).toBe(16);
      expect(loaded.site('neurons').name).toBe(loaded.site('blocks.1.mlp.hook_post').name);
      expect(loaded.site('first').name).toBe(loaded.site('blocks.0.mlp.hook_post').name);
      const [read] = await loaded.readTokens(['The cat'], ['neurons']);
      expect(read?.sites.neurons?.dims).toEqual([2, 64]);
    } finally {
      await loaded.dispose();
    }
  });
});
