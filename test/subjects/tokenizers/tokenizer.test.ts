import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TextTokenizer, trainByteLevelBpe } from '../../../subjects/tokenizers/index.ts';
import { InputError } from '../../../util/errors.ts';
import { brownDocuments } from '../../helpers/brown.ts';

const documents = brownDocuments();
const train = documents.slice(0, 6).map((d) => d.text);
const heldOut = documents.slice(-4).map((d) => d.text);
const trained = trainByteLevelBpe(train, { vocabSize: 700 });
const tokenizer = TextTokenizer.fromJson(trained.tokenizer, trained.config);

describe('byte-level BPE trainer', () => {
  it('merges the most frequent pair first, ties going to the lower ids', () => {
    // Pieces: 'ab', ' ab' ×2, ' cd' ×2 → (a,b) 3; then (Ġ,ab), (Ġ,c), (c,d) all 2: Ġ,c has the lowest ids.
    const { tokenizer: json } = trainByteLevelBpe(['ab ab ab cd cd'], { vocabSize: 300 });
    expect(json.model.merges).toEqual([
      ['a', 'b'],
      ['Ġ', 'c'],
      ['Ġ', 'ab'],
      ['Ġc', 'd'],
    ]);
    const vocab = json.model.vocab as Record<string, number>;
    expect(vocab['<|endoftext|>']).toBe(0);
    expect(vocab['Ġcd']).toBe(260);
  });

  it('writes a tokenizer.json the library loads, with every merge part in the vocabulary', () => {
    const vocab = trained.tokenizer.model.vocab as Record<string, number>;
    expect(Object.keys(vocab)).toHaveLength(700);
    expect(new Set(Object.values(vocab)).size).toBe(700);
    for (const merge of trained.tokenizer.model.merges ?? []) {
      const [a, b] = merge as [string, string];
      expect(vocab[a]).toBeDefined();
      expect(vocab[b]).toBeDefined();
      expect(vocab[a + b]).toBeDefined();
    }
    expect(tokenizer.vocabSize).toBe(700);
    expect(tokenizer.eosId).toBe(0);
    expect(tokenizer.encode(' the').ids).toEqual([vocab['Ġthe']]);
  });

  it('is deterministic: the same text in any order trains the same tokenizer', () => {
    const again = trainByteLevelBpe([...train].reverse(), { vocabSize: 700 });
    expect(JSON.stringify(again.tokenizer)).toBe(JSON.stringify(trained.tokenizer));
  });

  it('rejects a vocabulary smaller than the bytes and special tokens', () => {
    expect(() => trainByteLevelBpe(train, { vocabSize: 100 })).toThrow(
      /vocabSize must be an integer from 257/,
    );
  });
});

describe('TextTokenizer', () => {
  it('round-trips held-out Brown text and any Unicode exactly', () => {
    const samples = [...heldOut, 'Zoë’s café —\tnaïve  spaces\n\nnew line 😀 漢字 <|endoftext|> end.'];
    for (const text of samples) {
      const { ids } = tokenizer.encode(text);
      expect(tokenizer.decode(ids)).toBe(text);
    }
    // Brown's unseen text still compresses: fewer tokens than bytes.
    const { ids } = tokenizer.encode(heldOut[0] as string);
    expect(ids.length).toBeLessThan(Buffer.byteLength(heldOut[0] as string) / 2);
  });

  it("clean_up_tokenization_spaces changes Brown's spaced punctuation, so it is off unless the config asks", () => {
    const text = "The jury said it did find that many of Georgia 's laws are outmoded , he said .";
    const { ids } = tokenizer.encode(text);
    expect(tokenizer.decode(ids)).toBe(text);
    const cleaned = tokenizer.decode(ids, { cleanUpSpaces: true });
    expect(cleaned).toBe("The jury said it did find that many of Georgia's laws are outmoded, he said.");
    const legacy = TextTokenizer.fromJson(trained.tokenizer, {
      ...trained.config,
      clean_up_tokenization_spaces: true,
    });
    expect(legacy.decode(ids)).toBe(cleaned);
  });

  it('gives each token its span in the text, multi-byte characters included', () => {
    const text = 'Zoë saw 😀 and "quotes" <|endoftext|>next';
    const encoded = tokenizer.encode(text);
    expect(encoded.offsets.map(([a, b]) => text.slice(a, b)).join('')).toBe(text);
    encoded.offsets.forEach(([a, b], i) => {
      expect(a).toBeLessThanOrEqual(b);
      if (i > 0) expect(a).toBe(encoded.offsets[i - 1]?.[1]);
    });
    const special = encoded.ids.indexOf(0);
    expect(text.slice(...(encoded.offsets[special] as [number, number]))).toBe('<|endoftext|>');
    const quote = encoded.offsets.findIndex(([a]) => text[a] === '"');
    expect(quote).toBeGreaterThan(0);
  });

  it('finds spans by search for tokenizers that are not byte-level', () => {
    const wordLevel = {
      added_tokens: [{ id: 0, content: '[UNK]', special: true }],
      normalizer: { type: 'Lowercase' },
      pre_tokenizer: { type: 'Whitespace' },
      model: { type: 'WordLevel', vocab: { '[UNK]': 0, the: 1, cat: 2, sat: 3, '.': 4 }, unk_token: '[UNK]' },
      decoder: null,
    };
    const words = TextTokenizer.fromJson(wordLevel);
    const text = 'The  cat sat.';
    const encoded = words.encode(text);
    expect(encoded.ids).toEqual([1, 2, 3, 4]);
    expect(encoded.offsets.map(([a, b]) => text.slice(a, b))).toEqual(['The', 'cat', 'sat', '.']);
  });

  it('reads merges written as "a b" strings (older tokenizer.json files) the same way', () => {
    const old = structuredClone(trained.tokenizer);
    old.model.merges = (old.model.merges ?? []).map((m) => (Array.isArray(m) ? m.join(' ') : m));
    const legacy = TextTokenizer.fromJson(old, trained.config);
    const text = heldOut[1] as string;
    expect(legacy.encode(text).ids).toEqual(tokenizer.encode(text).ids);
  });

  it('names the problem with a broken or missing tokenizer file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aia-tok-'));
    const broken = join(dir, 'tokenizer.json');
    writeFileSync(broken, '{"model": {"vocab": ');
    expect(() => TextTokenizer.load(broken)).toThrow(InputError);
    expect(() => TextTokenizer.load(broken)).toThrow(/does not parse as JSON/);
    expect(() => TextTokenizer.load(join(dir, 'missing.json'))).toThrow(/does not exist/);
    expect(() => TextTokenizer.fromJson({ added_tokens: [] })).toThrow(/is not a tokenizer.json/);
    expect(() => tokenizer.decode([700])).toThrow(/out of range/);
  });

  it('loads tokenizer_config.json beside tokenizer.json', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aia-tok-'));
    writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(trained.tokenizer));
    writeFileSync(
      join(dir, 'tokenizer_config.json'),
      JSON.stringify({ ...trained.config, model_max_length: 64 }),
    );
    const loaded = TextTokenizer.load(join(dir, 'tokenizer.json'));
    expect(loaded.modelMaxLength).toBe(64);
    expect(loaded.encode('a test').ids).toEqual(tokenizer.encode('a test').ids);
  });
});
