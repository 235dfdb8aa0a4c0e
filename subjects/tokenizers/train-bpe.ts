import { InputError } from '../../util/errors.ts';
import { Progress } from '../../util/progress.ts';
import { BYTE_TO_CHAR, GPT2_SPLIT_PATTERN, toByteSymbols } from './byte-level.ts';
import type { TokenizerConfigJson, TokenizerJson } from './tokenizer-json.ts';

/**
 * A byte-level BPE trainer (GPT-2 style) that writes Hugging Face's tokenizer.json. No JavaScript
 * library trains tokenizers, and the next issue trains our own language models, which need one.
 *
 * Text is split with GPT-2's pattern, each piece written in the byte alphabet; the vocabulary starts
 * as the special tokens and the 256 byte symbols, and grows by repeatedly merging the most frequent
 * adjacent pair (ties: the pair of lower ids first, so the result depends only on the input).
 */

export interface BpeTrainOptions {
  /** Final vocabulary size, special tokens and the 256 byte symbols included. */
  vocabSize: number;
  /** Added first, in this order (default: `<|endoftext|>`, GPT-2's end of text). */
  specialTokens?: readonly string[];
  /** A pair seen fewer times than this is never merged (default 2). */
  minFrequency?: number;
  /** The longest context the model will be given, recorded as model_max_length. */
  modelMaxLength?: number;
}

export interface TrainedTokenizer {
  /** The tokenizer.json contents. */
  tokenizer: TokenizerJson;
  /** tokenizer_config.json: cleanup of spaces off, so decoding returns the text exactly. */
  config: TokenizerConfigJson;
}

const PAIR_BASE = 2 ** 21;

export function trainByteLevelBpe(texts: Iterable<string>, options: BpeTrainOptions): TrainedTokenizer {
  const specials = [...(options.specialTokens ?? ['<|endoftext|>'])];
  const minFrequency = options.minFrequency ?? 2;
  if (new Set(specials).size !== specials.length) throw new InputError('special tokens must be distinct');
  const base = specials.length + 256;
  if (!Number.isInteger(options.vocabSize) || options.vocabSize < base || options.vocabSize >= PAIR_BASE) {
    throw new InputError(
      `vocabSize must be an integer from ${base} (the special tokens and 256 bytes) to ${PAIR_BASE - 1}, got ${options.vocabSize}`,
    );
  }

  const symbols: string[] = [...specials, ...BYTE_TO_CHAR];
  const symbolId = new Map(symbols.map((s, i) => [s, i]));
  const { words, counts } = countWords(texts, specials, symbolId);

  const pairCounts = new Map<number, number>();
  const wordsWithPair = new Map<number, Set<number>>();
  const addPairs = (w: number, sign: 1 | -1) => {
    const word = words[w] as number[];
    const n = (counts[w] as number) * sign;
    for (let i = 0; i + 1 < word.length; i++) {
      const key = (word[i] as number) * PAIR_BASE + (word[i + 1] as number);
      pairCounts.set(key, (pairCounts.get(key) ?? 0) + n);
      if (sign > 0) {
        let set = wordsWithPair.get(key);
        if (!set) wordsWithPair.set(key, (set = new Set()));
        set.add(w);
      }
    }
  };
  for (let w = 0; w < words.length; w++) addPairs(w, 1);

  const heap = new PairHeap();
  for (const [key, count] of pairCounts) heap.push(count, key);

  const merges: [string, string][] = [];
  const progress = new Progress('training BPE merges', options.vocabSize - base);
  while (symbols.length < options.vocabSize && heap.size > 0) {
    const { count, key } = heap.pop();
    const current = pairCounts.get(key) ?? 0;
    if (count !== current) {
      // A stale entry: the pair's count fell since it was pushed.
      if (current > 0) heap.push(current, key);
      continue;
    }
    if (current < minFrequency) break;
    const a = Math.floor(key / PAIR_BASE);
    const b = key % PAIR_BASE;
    const merged = symbols.length;
    const text = `${symbols[a]}${symbols[b]}`;
    symbols.push(text);
    symbolId.set(text, merged);
    merges.push([symbols[a] as string, symbols[b] as string]);

    const touched = new Set<number>();
    for (const w of wordsWithPair.get(key) ?? []) {
      const word = words[w] as number[];
      if (!containsPair(word, a, b)) continue;
      addPairs(w, -1);
      words[w] = mergePair(word, a, b, merged);
      addPairs(w, 1);
      const next = words[w] as number[];
      for (let i = 0; i + 1 < next.length; i++) {
        if (next[i] === merged || next[i + 1] === merged) {
          touched.add((next[i] as number) * PAIR_BASE + (next[i + 1] as number));
        }
      }
    }
    wordsWithPair.delete(key);
    pairCounts.delete(key);
    // Only pairs with the new symbol gained counts; the rest are caught lazily when popped.
    for (const k of [...touched].sort((x, y) => x - y)) heap.push(pairCounts.get(k) ?? 0, k);
    progress.update(symbols.length - base);
  }
  progress.done();

  const vocab: Record<string, number> = {};
  symbols.forEach((s, id) => {
    if (id >= specials.length) vocab[s] = id;
  });
  specials.forEach((s, id) => {
    vocab[s] = id;
  });
  const eos = specials[0] ?? null;
  return {
    tokenizer: {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: specials.map((content, id) => ({
        id,
        content,
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: false,
        special: true,
      })),
      normalizer: null,
      pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
      post_processor: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
      decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
      model: {
        type: 'BPE',
        dropout: null,
        unk_token: null,
        continuing_subword_prefix: null,
        end_of_word_suffix: null,
        fuse_unk: false,
        byte_fallback: false,
        ignore_merges: false,
        vocab,
        merges,
      },
    },
    config: {
      tokenizer_class: 'GPT2Tokenizer',
      clean_up_tokenization_spaces: false,
      add_prefix_space: false,
      bos_token: eos,
      eos_token: eos,
      unk_token: eos,
      model_max_length: options.modelMaxLength ?? 1024,
    },
  };
}

/** Distinct pre-tokenized pieces (as symbol ids) and how often each occurs; special tokens are cut out. */
function countWords(
  texts: Iterable<string>,
  specials: readonly string[],
  symbolId: ReadonlyMap<string, number>,
): { words: number[][]; counts: number[] } {
  const frequency = new Map<string, number>();
  const specialPattern = specials.length
    ? new RegExp(specials.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g')
    : undefined;
  for (const text of texts) {
    const parts = specialPattern ? text.split(specialPattern) : [text];
    for (const part of parts) {
      for (const piece of part.match(GPT2_SPLIT_PATTERN) ?? []) {
        frequency.set(piece, (frequency.get(piece) ?? 0) + 1);
      }
    }
  }
  // Sorted, so word order (and everything after) depends only on the text, not on Map insertion.
  const pieces = [...frequency.keys()].sort();
  const words = pieces.map((piece) => [...toByteSymbols(piece)].map((c) => symbolId.get(c) as number));
  const counts = pieces.map((piece) => frequency.get(piece) as number);
  return { words, counts };
}

function containsPair(word: readonly number[], a: number, b: number): boolean {
  for (let i = 0; i + 1 < word.length; i++) if (word[i] === a && word[i + 1] === b) return true;
  return false;
}

/** Left to right, non-overlapping, as BPE applies a merge. */
function mergePair(word: readonly number[], a: number, b: number, merged: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < word.length; i++) {
    if (i + 1 < word.length && word[i] === a && word[i + 1] === b) {
      out.push(merged);
      i++;
    } else out.push(word[i] as number);
  }
  return out;
}

/** A max-heap of (count, pair key); among equal counts the lower key (lower ids) comes first. */
class PairHeap {
  private readonly countsHeap: number[] = [];
  private readonly keys: number[] = [];

  get size(): number {
    return this.keys.length;
  }

  push(count: number, key: number): void {
    this.countsHeap.push(count);
    this.keys.push(key);
    let i = this.keys.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): { count: number; key: number } {
    const top = { count: this.countsHeap[0] as number, key: this.keys[0] as number };
    const lastCount = this.countsHeap.pop() as number;
    const lastKey = this.keys.pop() as number;
    if (this.keys.length > 0) {
      this.countsHeap[0] = lastCount;
      this.keys[0] = lastKey;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let best = i;
        if (left < this.keys.length && this.before(left, best)) best = left;
        if (right < this.keys.length && this.before(right, best)) best = right;
        if (best === i) break;
        this.swap(i, best);
        i = best;
      }
    }
    return top;
  }

  private before(i: number, j: number): boolean {
    const ci = this.countsHeap[i] as number;
    const cj = this.countsHeap[j] as number;
    return ci !== cj ? ci > cj : (this.keys[i] as number) < (this.keys[j] as number);
  }

  private swap(i: number, j: number): void {
    [this.countsHeap[i], this.countsHeap[j]] = [this.countsHeap[j] as number, this.countsHeap[i] as number];
    [this.keys[i], this.keys[j]] = [this.keys[j] as number, this.keys[i] as number];
  }
}
