import { InputError } from '../../util/errors.ts';
import { createRandom, type Random } from '../../util/random.ts';
import type { Edit } from '../subject.ts';
import type { LanguageModel, TextInput } from './language-model.ts';

/**
 * Text generation, greedy or sampled with a seed, with interventions applied at every step. Each step
 * runs the whole (context-trimmed) sequence: the exports we load carry no key/value cache, and the
 * edits must apply to every position anyway. The session for an edit set is compiled once and reused
 * for every step and every value.
 */

export interface GenerateOptions {
  /** Tokens to add (default 20). */
  maxNewTokens?: number;
  /** 0 (default) is greedy; above 0 samples from softmax(logits / temperature). */
  temperature?: number;
  /** Sample among the k likeliest tokens only (default: all). */
  topK?: number;
  /** Seed of the sampler (default 0); the same seed gives the same text. */
  seed?: number;
  edits?: readonly Edit[];
  /** Stop after the end-of-text token (default true). */
  stopAtEos?: boolean;
}

export interface Generation {
  /** Prompt and new tokens. */
  ids: number[];
  promptLength: number;
  /** The new tokens decoded. */
  text: string;
  /** Each new token on its own. */
  tokens: string[];
}

export async function generate(
  model: LanguageModel,
  prompt: TextInput,
  options: GenerateOptions = {},
): Promise<Generation> {
  const ids = model.ids(prompt);
  const promptLength = ids.length;
  const maxNew = options.maxNewTokens ?? 20;
  const temperature = options.temperature ?? 0;
  if (!Number.isInteger(maxNew) || maxNew < 0)
    throw new InputError(`maxNewTokens must be a non-negative integer, got ${maxNew}`);
  if (!(temperature >= 0)) throw new InputError(`temperature must be ≥ 0, got ${temperature}`);
  if (options.topK !== undefined && (!Number.isInteger(options.topK) || options.topK < 1)) {
    throw new InputError(`topK must be a positive integer, got ${options.topK}`);
  }
  const random = createRandom(options.seed ?? 0);
  const eos = model.tokenizer.eosId;
  for (let step = 0; step < maxNew; step++) {
    const window = ids.slice(-model.contextLength);
    const logits = await nextTokenLogits(model, window, options.edits);
    const next = temperature === 0 ? argmax(logits) : sample(logits, temperature, options.topK, random);
    ids.push(next);
    if (next === eos && (options.stopAtEos ?? true)) break;
  }
  const added = ids.slice(promptLength);
  return {
    ids,
    promptLength,
    text: model.tokenizer.decode(added),
    tokens: added.map((id) => model.tokenizer.tokenText(id)),
  };
}

/** Logits for the token after the text (its last position), with edits. */
export async function nextTokenLogits(
  model: LanguageModel,
  text: TextInput,
  edits: readonly Edit[] = [],
): Promise<Float32Array> {
  const { logits, lengths } = await model.forward([text], { edits });
  const tensor = logits as NonNullable<typeof logits>;
  const vocab = tensor.dims[2] as number;
  const last = (lengths[0] as number) - 1;
  return (tensor.data as Float32Array).slice(last * vocab, (last + 1) * vocab);
}

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if ((values[i] as number) > (values[best] as number)) best = i;
  return best;
}

/** Softmax probabilities (computed stably in float64). */
export function softmaxOf(logits: ArrayLike<number>, temperature = 1): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i] as number);
  const out = new Float64Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    const e = Math.exp(((logits[i] as number) - max) / temperature);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / sum;
  return out;
}

/** The k largest entries, largest first (ties: lower index first). */
export function topK(values: ArrayLike<number>, k: number): number[] {
  const order = Array.from({ length: values.length }, (_, i) => i);
  order.sort((a, b) => (values[b] as number) - (values[a] as number) || a - b);
  return order.slice(0, k);
}

function sample(logits: Float32Array, temperature: number, k: number | undefined, random: Random): number {
  const candidates = k === undefined ? Array.from({ length: logits.length }, (_, i) => i) : topK(logits, k);
  const probabilities = softmaxOf(
    candidates.map((i) => logits[i] as number),
    temperature,
  );
  let u = random();
  for (let j = 0; j < candidates.length; j++) {
    u -= probabilities[j] as number;
    if (u <= 0) return candidates[j] as number;
  }
  return candidates.at(-1) as number;
}
