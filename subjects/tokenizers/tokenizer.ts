import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import { z } from 'zod';
import { InputError } from '../../util/errors.ts';
import { byteLength } from './byte-level.ts';
import { TokenizerConfigJson, TokenizerJson } from './tokenizer-json.ts';

/**
 * A Hugging Face tokenizer (tokenizer.json, plus tokenizer_config.json when present) loaded with
 * `@huggingface/tokenizers`, so a model's own tokenizer splits text as it does in Python. Encoding
 * also returns where each token lies in the text (the library gives no offsets), so activations read
 * per token can be laid back over words and characters.
 */

/** A text split into tokens. */
export interface TokenizedText {
  text: string;
  ids: number[];
  /** Vocabulary entries as the tokenizer writes them (byte-level: `Ġthe`). */
  pieces: string[];
  /** [start, end) of each token in `text`, in UTF-16 code units (JS string indices). */
  offsets: [number, number][];
}

export interface EncodeOptions {
  /** Add what the post-processor adds (BOS, EOS…); those tokens get empty spans. Default false. */
  addSpecialTokens?: boolean;
}

export interface DecodeOptions {
  skipSpecialTokens?: boolean;
  /**
   * Delete the space before punctuation and contractions as transformers' old default did. Off
   * unless the tokenizer_config says otherwise: with it, decode(encode(text)) is no longer the text.
   */
  cleanUpSpaces?: boolean;
}

/** A special token as tokenizer_config.json writes it: a string or an AddedToken object. */
type SpecialName = string | { content: string } | null | undefined;

export class TextTokenizer {
  private readonly hf: HfTokenizer;
  private readonly added: ReadonlyMap<number, string>;
  private readonly specialIds: ReadonlySet<number>;
  private readonly byteLevel: boolean;
  private readonly cleanUpDefault: boolean;
  private readonly vocabulary: ReadonlyMap<string, number>;
  /** End-of-text token id (tokenizer_config's eos_token, else `<|endoftext|>` or `</s>` when present). */
  readonly eosId: number | undefined;
  /** Beginning-of-text token id, when the tokenizer has one. */
  readonly bosId: number | undefined;
  /** Largest token id + 1 (added tokens included): the size a model's embedding must have at least. */
  readonly vocabSize: number;
  /** tokenizer_config's model_max_length, when given. */
  readonly modelMaxLength: number | undefined;

  private constructor(json: TokenizerJson, config: TokenizerConfigJson, source: string) {
    try {
      // The library mutates nothing we keep, but takes untyped objects.
      // The library wants every pipeline component present; files may leave unused ones out.
      const complete = {
        normalizer: null,
        pre_tokenizer: null,
        post_processor: null,
        decoder: null,
        ...json,
      };
      this.hf = new HfTokenizer(complete, { ...config, clean_up_tokenization_spaces: false });
    } catch (error) {
      throw new InputError(
        `${source} is not a tokenizer @huggingface/tokenizers can load: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    this.added = new Map(json.added_tokens.map((t) => [t.id, t.content]));
    this.specialIds = new Set(json.added_tokens.filter((t) => t.special).map((t) => t.id));
    this.byteLevel = usesByteLevel(json) && (json.normalizer ?? null) === null;
    this.cleanUpDefault = config.clean_up_tokenization_spaces ?? false;
    this.modelMaxLength = config.model_max_length;
    this.vocabulary = this.hf.get_vocab(true);
    this.vocabSize = Math.max(-1, ...this.vocabulary.values()) + 1;
    const idOfName = (value: SpecialName): number | undefined => {
      const name = typeof value === 'string' ? value : value?.content;
      return name === undefined ? undefined : this.vocabulary.get(name);
    };
    this.eosId =
      idOfName(config.eos_token) ?? this.vocabulary.get('<|endoftext|>') ?? this.vocabulary.get('</s>');
    this.bosId = idOfName(config.bos_token) ?? this.vocabulary.get('<s>') ?? this.eosId;
  }

  /** From tokenizer.json contents (and tokenizer_config.json's); `source` names them in errors. */
  static fromJson(tokenizer: unknown, config: unknown = {}, source = 'tokenizer.json'): TextTokenizer {
    const parsed = TokenizerJson.safeParse(tokenizer);
    if (!parsed.success)
      throw new InputError(`${source} is not a tokenizer.json:\n${z.prettifyError(parsed.error)}`);
    const parsedConfig = TokenizerConfigJson.safeParse(config ?? {});
    if (!parsedConfig.success) {
      throw new InputError(
        `the tokenizer config of ${source} is invalid:\n${z.prettifyError(parsedConfig.error)}`,
      );
    }
    return new TextTokenizer(parsed.data, parsedConfig.data, source);
  }

  /**
   * Load tokenizer.json from a path; tokenizer_config.json beside it is read when present (or the
   * path given as `configPath`).
   */
  static load(path: string, configPath?: string): TextTokenizer {
    const tokenizer = readJson(path, 'tokenizer');
    const besideConfig = join(dirname(path), 'tokenizer_config.json');
    const configFile = configPath ?? (existsSync(besideConfig) ? besideConfig : undefined);
    const config = configFile ? readJson(configFile, 'tokenizer config') : {};
    return TextTokenizer.fromJson(tokenizer, config, `'${path}'`);
  }

  /** Split a text into tokens, with each token's span in the text. */
  encode(text: string, options: EncodeOptions = {}): TokenizedText {
    const encoding = this.hf.encode(text, { add_special_tokens: options.addSpecialTokens ?? false });
    const ids = encoding.ids;
    const pieces = encoding.tokens;
    const offsets = (this.byteLevel && this.byteOffsets(text, ids, pieces)) || this.searchOffsets(text, ids);
    return { text, ids, pieces, offsets };
  }

  /** Token ids → text. An empty list decodes to ''. */
  decode(ids: readonly number[], options: DecodeOptions = {}): string {
    if (ids.length === 0) return '';
    for (const id of ids) {
      if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize) {
        throw new InputError(
          `token id ${id} is out of range: the vocabulary has ids 0–${this.vocabSize - 1}`,
        );
      }
    }
    return this.hf.decode([...ids], {
      skip_special_tokens: options.skipSpecialTokens ?? false,
      clean_up_tokenization_spaces: options.cleanUpSpaces ?? this.cleanUpDefault,
    });
  }

  /** What one token reads as on its own (a partial UTF-8 character shows as U+FFFD). */
  tokenText(id: number): string {
    return this.decode([id], { cleanUpSpaces: false });
  }

  /** The id of a vocabulary entry, or undefined. */
  idOf(piece: string): number | undefined {
    return this.vocabulary.get(piece);
  }

  /** The vocabulary entry of an id, or undefined. */
  pieceOf(id: number): string | undefined {
    return this.hf.id_to_token(id);
  }

  isSpecial(id: number): boolean {
    return this.specialIds.has(id);
  }

  /**
   * Byte-level tokenizers without a normalizer cover the text's UTF-8 bytes exactly, so spans follow
   * from each token's byte length. Undefined when the tokens do not add up (then spans are searched).
   */
  private byteOffsets(
    text: string,
    ids: readonly number[],
    pieces: readonly string[],
  ): [number, number][] | undefined {
    const charOfByte = byteToCharIndex(text);
    const totalBytes = charOfByte.length - 1;
    const offsets: [number, number][] = [];
    let byte = 0;
    for (let i = 0; i < ids.length; i++) {
      const addedText = this.added.get(ids[i] as number);
      let length: number | undefined;
      if (addedText !== undefined) {
        const start = charOfByte[byte] ?? text.length;
        length = text.startsWith(addedText, start) ? Buffer.byteLength(addedText) : 0;
      } else length = byteLength(pieces[i] ?? '');
      if (length === undefined || byte + length > totalBytes) return undefined;
      // A token ending inside a multi-byte character takes the whole character.
      const start = charOfByte[byte] as number;
      byte += length;
      offsets.push([start, charOfByte[byte] as number]);
    }
    return byte === totalBytes ? offsets : undefined;
  }

  /**
   * Any other tokenizer: find each token's own decoded text in order, from where the last one ended
   * (ignoring case, for lowercasing normalizers). A token not found gets an empty span.
   */
  private searchOffsets(text: string, ids: readonly number[]): [number, number][] {
    const lower = text.toLowerCase();
    const haystack = lower.length === text.length ? lower : text;
    let cursor = 0;
    return ids.map((id): [number, number] => {
      const surface = this.tokenText(id).trim();
      const needle = haystack === lower ? surface.toLowerCase() : surface;
      const at = needle ? haystack.indexOf(needle, cursor) : -1;
      if (at < 0 || text.slice(cursor, at).trim() !== '') return [cursor, cursor];
      cursor = at + needle.length;
      return [at, cursor];
    });
  }
}

/**
 * For each UTF-8 byte position of `text` (and one past the end), the string index of the character
 * holding it, rounded up to the next character boundary for bytes inside a character.
 */
function byteToCharIndex(text: string): Int32Array {
  const total = Buffer.byteLength(text);
  const map = new Int32Array(total + 1);
  let byte = 0;
  for (let i = 0; i < text.length; ) {
    const code = text.codePointAt(i) as number;
    const units = code > 0xffff ? 2 : 1;
    const bytes = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    map[byte] = i;
    for (let k = 1; k < bytes; k++) map[byte + k] = i + units;
    byte += bytes;
    i += units;
  }
  map[total] = text.length;
  return map;
}

function usesByteLevel(json: TokenizerJson): boolean {
  const component = json.pre_tokenizer;
  if (!component) return false;
  if (component.type === 'ByteLevel') return true;
  const inner = (component as { pretokenizers?: { type?: string }[] }).pretokenizers;
  return component.type === 'Sequence' && (inner ?? []).some((p) => p.type === 'ByteLevel');
}

function readJson(path: string, what: string): unknown {
  if (!existsSync(path)) throw new InputError(`${what} file '${path}' does not exist`);
  if (statSync(path).isDirectory())
    throw new InputError(`${what} path '${path}' is a directory; give the JSON file`);
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InputError(`${what} file '${path}' does not parse as JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
