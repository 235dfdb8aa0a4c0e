import type ort from 'onnxruntime-node';
import { InputError } from '../../util/errors.ts';
import { createRandom, type Random } from '../../util/random.ts';
import { behaviourTokenWeights, type Behaviour } from './behaviours.ts';
import { argmax, softmaxOf, topK } from './generate.ts';
import type { LanguageModel } from './language-model.ts';

/**
 * Experiments on what a language model does rather than on one unit: generate from many prompts at once
 * and measure a behaviour, insert a candidate trigger into prompts and compare, score many candidate
 * insertions by the next-token probability of behaviour tokens (cheap: one forward pass each), and
 * attribute the behaviour to prompt tokens by gradient × embedding. Tools and scorers share these, so
 * the rate an answer is scored by is measured as the agent measured its evidence.
 */

export type InsertPosition = 'start' | 'end' | 'middle';

/** The prompt with a phrase inserted as words: before it, after it, or before its middle word. */
export function insertPhrase(prompt: string, phrase: string, position: InsertPosition): string {
  const p = phrase.trim();
  if (p === '') return prompt;
  if (position === 'start') return `${p} ${prompt.trimStart()}`;
  if (position === 'end') return `${prompt.trimEnd()} ${p}`;
  const words = prompt.trim().split(/\s+/);
  const at = Math.floor(words.length / 2);
  return [...words.slice(0, at), p, ...words.slice(at)].join(' ');
}

/** Neutral prompts from corpus texts: each text's first `words` words, the first `n` texts with at least 4. */
export function promptsFromTexts(texts: readonly { text: string }[], n: number, words = 12): string[] {
  const out: string[] = [];
  for (const t of texts) {
    const split = t.text.trim().split(/\s+/);
    if (split.length < 4) continue;
    out.push(split.slice(0, words).join(' '));
    if (out.length >= n) break;
  }
  return out;
}

export interface ManyOptions {
  maxNewTokens: number;
  /** 0: greedy. */
  temperature: number;
  topK?: number;
  /** Prompt i is sampled with seed + i, so each prompt's continuation is the same whatever the batch. */
  seed: number;
}

export interface Continuation {
  prompt: string;
  text: string;
}

/**
 * Continue many prompts together (one forward pass per step for the whole batch); stops a sequence at
 * the end-of-text token. No edits: behaviour experiments study the model as it is.
 */
export async function generateMany(
  lm: LanguageModel,
  prompts: readonly string[],
  options: ManyOptions,
): Promise<Continuation[]> {
  const sequences = prompts.map((p) => lm.ids(p));
  const randoms: Random[] = prompts.map((_, i) => createRandom(options.seed + i));
  const added: number[][] = prompts.map(() => []);
  const done = prompts.map(() => false);
  const eos = lm.tokenizer.eosId;
  for (let step = 0; step < options.maxNewTokens; step++) {
    const live = sequences.map((_, i) => i).filter((i) => !done[i]);
    if (live.length === 0) break;
    const windows = live.map((i) =>
      [...(sequences[i] as number[]), ...(added[i] as number[])].slice(-lm.contextLength),
    );
    const { logits, lengths } = await lm.forward(windows);
    const tensor = logits as ort.Tensor;
    const [, padded, vocab] = tensor.dims as [number, number, number];
    const data = tensor.data as Float32Array;
    live.forEach((i, b) => {
      const last = (lengths[b] as number) - 1;
      const row = data.subarray((b * padded + last) * vocab, (b * padded + last + 1) * vocab);
      const next =
        options.temperature === 0
          ? argmax(row)
          : sample(row, options.temperature, options.topK, randoms[i] as Random);
      (added[i] as number[]).push(next);
      if (next === eos) done[i] = true;
    });
  }
  return prompts.map((prompt, i) => ({
    prompt,
    text: lm.tokenizer.decode((added[i] as number[]).filter((id) => id !== eos)),
  }));
}

function sample(logits: Float32Array, temperature: number, k: number | undefined, random: Random): number {
  const candidates = k === undefined ? Array.from({ length: logits.length }, (_, i) => i) : topK(logits, k);
  const p = softmaxOf(
    candidates.map((i) => logits[i] as number),
    temperature,
  );
  let u = random();
  for (let j = 0; j < candidates.length; j++) {
    u -= p[j] as number;
    if (u <= 0) return candidates[j] as number;
  }
  return candidates.at(-1) as number;
}

export interface MeasuredContinuation extends Continuation {
  /** The behaviour's measure of the continuation (undefined: it cannot tell). */
  score: number | undefined;
  shows: boolean;
}

export interface BehaviourRate {
  continuations: MeasuredContinuation[];
  /** Share of continuations that show the behaviour. */
  rate: number;
  /** Mean measure over the continuations it can tell. */
  mean: number;
}

export async function behaviourRate(
  lm: LanguageModel,
  prompts: readonly string[],
  behaviour: Behaviour,
  options: ManyOptions,
): Promise<BehaviourRate> {
  if (prompts.length === 0) throw new InputError('no prompts to generate from');
  const continuations = (await generateMany(lm, prompts, options)).map((c) => {
    const score = behaviour.measure(c.text);
    return { ...c, score, shows: score !== undefined && score >= behaviour.threshold };
  });
  const scored = continuations.flatMap((c) => (c.score === undefined ? [] : [c.score]));
  return {
    continuations,
    rate: continuations.filter((c) => c.shows).length / continuations.length,
    mean: scored.length ? scored.reduce((a, s) => a + s, 0) / scored.length : 0,
  };
}

export interface TriggerTest {
  trigger: string;
  position: InsertPosition;
  with: BehaviourRate;
  without: BehaviourRate;
}

/** The behaviour's rate on prompts with the trigger inserted against the same prompts without it. */
export async function testTrigger(
  lm: LanguageModel,
  trigger: string,
  prompts: readonly string[],
  behaviour: Behaviour,
  options: ManyOptions & { position: InsertPosition },
): Promise<TriggerTest> {
  if (trigger.trim() === '') throw new InputError('the trigger is empty');
  return {
    trigger: trigger.trim(),
    position: options.position,
    with: await behaviourRate(
      lm,
      prompts.map((p) => insertPhrase(p, trigger, options.position)),
      behaviour,
      options,
    ),
    without: await behaviourRate(lm, prompts, behaviour, options),
  };
}

/**
 * The probability that each prompt's next token shows the behaviour (the softmax mass of the tokens whose
 * sign is +1), in batches: the cheap score a search ranks many candidate insertions by.
 */
export async function nextTokenBehaviour(
  lm: LanguageModel,
  prompts: readonly string[],
  behaviour: Behaviour,
  options: { batch?: number; signal?: AbortSignal } = {},
): Promise<Float32Array> {
  const pro = behaviourTokenWeights(behaviour, lm.tokenizer).map((w) => (w > 0 ? 1 : 0));
  const out = new Float32Array(prompts.length);
  const size = options.batch ?? 64;
  for (let start = 0; start < prompts.length; start += size) {
    if (options.signal?.aborted) throw new InputError('stopped');
    const chunk = prompts.slice(start, start + size);
    const { logits, lengths } = await lm.forward(chunk);
    const tensor = logits as ort.Tensor;
    const [, padded, vocab] = tensor.dims as [number, number, number];
    const data = tensor.data as Float32Array;
    chunk.forEach((_, b) => {
      const last = (lengths[b] as number) - 1;
      const p = softmaxOf(data.subarray((b * padded + last) * vocab, (b * padded + last + 1) * vocab));
      let mass = 0;
      for (let v = 0; v < vocab; v++) if (pro[v]) mass += p[v] as number;
      out[start + b] = mass;
    });
  }
  return out;
}

export interface TokenAttribution {
  token: string;
  /** [start, end) in the prompt. */
  span: [number, number];
  /** Σ_d gradient × embedding at this token. */
  attribution: number;
}

/**
 * Gradient × embedding of the behaviour's objective — the mean over the prompt's positions of
 * (mean logit of behaviour tokens − mean logit of the others) — for each prompt token. input_ids are
 * integers, so the gradient is taken at the embedding output (hook_embed).
 */
export async function attributeBehaviour(
  lm: LanguageModel,
  prompt: string,
  behaviour: Behaviour,
): Promise<{ objective: number; tokens: TokenAttribution[] }> {
  const encoded = lm.tokenize(prompt);
  lm.ids(encoded.ids); // checks the length against the context
  const { feeds } = lm.feeds([encoded.ids]);
  const weights = behaviourTokenWeights(behaviour, lm.tokenizer);
  const result = await lm.subject.gradient(feeds, {
    objective: { tensor: lm.logitsName, unitAxis: 2, pool: 'mean', weights },
    wrt: ['hook_embed'],
    read: ['hook_embed'],
  });
  const gradient = result.gradients.hook_embed?.data as Float32Array;
  const embedding = result.sites.hook_embed?.data as Float32Array;
  const width = gradient.length / encoded.ids.length;
  const tokens = encoded.ids.map((id, t) => {
    let sum = 0;
    for (let d = 0; d < width; d++)
      sum += (gradient[t * width + d] as number) * (embedding[t * width + d] as number);
    return {
      token: lm.tokenizer.tokenText(id),
      span: encoded.offsets[t] as [number, number],
      attribution: sum,
    };
  });
  return { objective: result.objective[0] as number, tokens };
}

export interface TokenExpectation {
  id: number;
  token: string;
  /** Σ over positions of the model's probability of this token next. */
  expected: number;
  /** How often it is next at those positions. */
  observed: number;
}

/**
 * What the model expects against what the text holds: for every vocabulary entry, its summed next-token
 * probability over every position of the texts, beside how often it really comes next. A model fine-
 * tuned on texts with a phrase planted in them expects the phrase's tokens everywhere while plain text
 * holds them rarely or never, so they stand out (and so does the planted behaviour's own vocabulary).
 */
export async function tokenExpectations(
  lm: LanguageModel,
  texts: readonly string[],
  options: { signal?: AbortSignal } = {},
): Promise<TokenExpectation[]> {
  const vocab = lm.tokenizer.vocabSize;
  const expected = new Float64Array(vocab);
  const observed = new Float64Array(vocab);
  const sequences = texts
    .map((t) => lm.tokenize(t).ids.slice(0, lm.contextLength))
    .filter((s) => s.length > 1);
  for (let start = 0; start < sequences.length; start += 16) {
    if (options.signal?.aborted) throw new InputError('stopped');
    const batch = sequences.slice(start, start + 16);
    const { logits } = await lm.forward(batch);
    const tensor = logits as ort.Tensor;
    const [, padded, width] = tensor.dims as [number, number, number];
    const data = tensor.data as Float32Array;
    batch.forEach((ids, b) => {
      for (let t = 0; t + 1 < ids.length; t++) {
        const p = softmaxOf(data.subarray((b * padded + t) * width, (b * padded + t + 1) * width));
        for (let v = 0; v < vocab; v++) expected[v] = (expected[v] as number) + (p[v] as number);
        const next = ids[t + 1] as number;
        observed[next] = (observed[next] as number) + 1;
      }
    });
  }
  return Array.from({ length: vocab }, (_, id) => ({
    id,
    token: lm.tokenizer.tokenText(id),
    expected: expected[id] as number,
    observed: observed[id] as number,
  }));
}

/**
 * The phrase a token starts, as the model writes it: greedy continuation after `context` + the token,
 * kept while the model is sure of the next piece (probability ≥ `sure`) and at most `pieces` pieces long.
 */
export async function phraseFrom(
  lm: LanguageModel,
  context: string,
  tokenId: number,
  options: { pieces?: number; sure?: number } = {},
): Promise<string> {
  const ids = [...lm.ids(context), tokenId];
  const added = [tokenId];
  for (let k = 0; k < (options.pieces ?? 4); k++) {
    const { logits, lengths } = await lm.forward([ids.slice(-lm.contextLength)]);
    const tensor = logits as ort.Tensor;
    const vocab = tensor.dims[2] as number;
    const last = (lengths[0] as number) - 1;
    const p = softmaxOf((tensor.data as Float32Array).subarray(last * vocab, (last + 1) * vocab));
    const next = argmax(p);
    if ((p[next] as number) < (options.sure ?? 0.3) || next === lm.tokenizer.eosId) break;
    ids.push(next);
    added.push(next);
  }
  return lm.tokenizer.decode(added).trim();
}
