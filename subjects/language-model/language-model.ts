import type ort from 'onnxruntime-node';
import { InputError } from '../../util/errors.ts';
import type { OnnxSubject } from '../onnx/onnx-subject.ts';
import type { Edit, SiteInfo } from '../subject.ts';
import type { TextTokenizer, TokenizedText } from '../tokenizers/tokenizer.ts';
import { batchByTokens, padBatch, type TextInputNames } from './batches.ts';
import { sliceSequence, tokenLayout, type TokenLayout, type TokenSlice } from './token-layout.ts';

/**
 * A language model under study: an ONNX decoder (an OnnxSubject, so every generic read and edit
 * works) with its tokenizer. Adds what text needs: tokens in, per-token activations out, over many
 * texts in padded batches. Generation, the logit lens and attention patterns build on `forward`.
 * Interventions are `Edit`s passed per call (add a steering vector, set or zero neurons, zero a head
 * on `blocks.L.attn.hook_pattern`, whose units are heads); values enter the graph as inputs, so one
 * compiled session serves every value.
 */

export interface LanguageModelParts {
  subject: OnnxSubject;
  tokenizer: TextTokenizer;
  contextLength: number;
  inputs: TextInputNames;
  /** Graph output with the logits [batch, sequence, vocab]. */
  logits: string;
  /** Sequence length the site table was measured with (see token-layout.ts). */
  exampleLength: number;
}

/** Text or token ids. */
export type TextInput = string | readonly number[];

export interface ForwardResult {
  /** Logits [batch, padded length, vocab], unless the call asked for none. */
  logits: ort.Tensor | undefined;
  /** Requested sites, as whole batch tensors, by the names asked. */
  sites: Record<string, ort.Tensor>;
  lengths: number[];
}

/** Activations of one text: its tokens and, per site asked, its slice (batch axis dropped). */
export interface TextActivations {
  ids: number[];
  sites: Record<string, TokenSlice>;
}

export interface LanguageModelArchitecture {
  layers: number;
  heads: number | undefined;
  /** d_model */
  width: number | undefined;
  /** d_mlp */
  mlpWidth: number | undefined;
  vocabSize: number;
  contextLength: number;
  /** TransformerLens names found, in graph order. */
  hooks: string[];
}

export interface ReadOptions {
  edits?: readonly Edit[];
  /** Most padded tokens per run (default 4096). */
  batchTokens?: number;
  /** Called after each batch with texts done and total. */
  onProgress?: (done: number, total: number) => void;
}

export class LanguageModel {
  readonly subject: OnnxSubject;
  readonly tokenizer: TextTokenizer;
  readonly contextLength: number;
  /** Number of transformer blocks (from the TransformerLens names found). */
  readonly layers: number;
  private readonly inputs: TextInputNames;
  private readonly logitsOutput: string;
  private readonly exampleLength: number;
  private readonly layouts = new Map<string, TokenLayout>();

  constructor(parts: LanguageModelParts) {
    this.subject = parts.subject;
    this.tokenizer = parts.tokenizer;
    this.contextLength = parts.contextLength;
    this.inputs = parts.inputs;
    this.logitsOutput = parts.logits;
    this.exampleLength = parts.exampleLength;
    let layers = 0;
    while (this.hasSite(`blocks.${layers}.hook_resid_post`)) layers++;
    this.layers = layers;
  }

  get name(): string {
    return this.subject.name;
  }

  /** Sizes and TransformerLens sites, for describing the subject (undefined where a site is missing). */
  architecture(): LanguageModelArchitecture {
    const units = (name: string) => (this.hasSite(name) ? this.site(name).units : undefined);
    return {
      layers: this.layers,
      heads: units('blocks.0.attn.hook_pattern'),
      width: units('blocks.0.hook_resid_post'),
      mlpWidth: units('blocks.0.mlp.hook_post'),
      vocabSize: this.tokenizer.vocabSize,
      contextLength: this.contextLength,
      hooks: this.subject
        .sites()
        .flatMap((s) => s.aliases.filter((a) => /^(hook_|blocks\.\d+\.|ln_final$)/.test(a))),
    };
  }

  /** The graph output holding the logits [batch, sequence, vocab] (a gradient objective's tensor). */
  get logitsName(): string {
    return this.logitsOutput;
  }

  /** Graph inputs for a right-padded batch of texts (for subject-level calls such as gradients). */
  feeds(texts: readonly TextInput[]): { feeds: Record<string, ort.Tensor>; lengths: number[] } {
    const batch = padBatch(
      texts.map((t) => this.ids(t)),
      this.inputs,
      this.padId,
    );
    return { feeds: batch.feeds, lengths: batch.lengths };
  }

  /** Id used to pad batches (end of text, else 0). */
  get padId(): number {
    return this.tokenizer.eosId ?? 0;
  }

  tokenize(text: string): TokenizedText {
    return this.tokenizer.encode(text);
  }

  /** Token ids of a text or ids, checked against the vocabulary and the context length. */
  ids(input: TextInput): number[] {
    const ids = typeof input === 'string' ? this.tokenizer.encode(input).ids : [...input];
    if (ids.length === 0) throw new InputError('the text has no tokens');
    if (ids.length > this.contextLength) {
      throw new InputError(
        `the text has ${ids.length} tokens; ${this.name} reads at most ${this.contextLength} (split it into windows)`,
      );
    }
    for (const id of ids) {
      if (!Number.isInteger(id) || id < 0 || id >= this.tokenizer.vocabSize) {
        throw new InputError(`token id ${id} is outside the vocabulary (0–${this.tokenizer.vocabSize - 1})`);
      }
    }
    return ids;
  }

  /** A site by tensor name or alias (`blocks.1.mlp.hook_post`); InputError naming near sites when unknown. */
  site(name: string): SiteInfo {
    return this.subject.resolveSite(name);
  }

  hasSite(name: string): boolean {
    try {
      this.subject.resolveSite(name);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * One run over a batch of texts (right-padded), with edits, reading any sites. `logits: false`
   * skips copying the logits out (a per-token read of one site should not pay for vocab × tokens).
   */
  async forward(
    texts: readonly TextInput[],
    options: { read?: readonly string[]; edits?: readonly Edit[]; logits?: boolean } = {},
  ): Promise<ForwardResult> {
    const sequences = texts.map((t) => this.ids(t));
    const batch = padBatch(sequences, this.inputs, this.padId);
    const read = [...new Set(options.read ?? [])];
    const wantLogits = options.logits ?? true;
    const logitsIsOutput = this.subject.outputNames.includes(this.logitsOutput);
    const result = await this.subject.intervene(batch.feeds, options.edits ?? [], {
      read: wantLogits && !logitsIsOutput ? [...read, this.logitsOutput] : read,
      outputs: wantLogits ? logitsIsOutput : read.length === 0,
    });
    const sites: Record<string, ort.Tensor> = {};
    for (const name of read) sites[name] = result.sites[name] as ort.Tensor;
    const logits = wantLogits
      ? (result.outputs[this.logitsOutput] ?? result.sites[this.logitsOutput])
      : undefined;
    return { logits, sites, lengths: batch.lengths };
  }

  /**
   * Per-token activations of sites over many texts, in padded batches. Each text's slice has the
   * site's shape without the batch axis, its token axes cut to the text's length: [tokens, units] for
   * the residual stream and MLP sites, [heads, tokens, tokens] for attention patterns.
   */
  async readTokens(
    texts: readonly TextInput[],
    sites: readonly string[],
    options: ReadOptions = {},
  ): Promise<TextActivations[]> {
    const sequences = texts.map((t) => this.ids(t));
    sites.forEach((s) => this.layout(s));
    const out: TextActivations[] = new Array<TextActivations>(sequences.length);
    let done = 0;
    for (const batch of batchByTokens(sequences, options.batchTokens ?? 4096)) {
      const result = await this.forward(
        batch.map((i) => sequences[i] as number[]),
        { read: sites, edits: options.edits, logits: false },
      );
      batch.forEach((textIndex, b) => {
        const ids = sequences[textIndex] as number[];
        const slices: Record<string, TokenSlice> = {};
        for (const site of sites)
          slices[site] = sliceSequence(
            result.sites[site] as ort.Tensor,
            this.layout(site),
            b,
            ids.length,
            site,
          );
        out[textIndex] = { ids, sites: slices };
      });
      done += batch.length;
      options.onProgress?.(done, sequences.length);
    }
    return out;
  }

  /**
   * One site's activations for every token of many sequences, as one [tokens, units] matrix in
   * sequence order (what exemplar search over a corpus needs). `units` keeps only those columns.
   * The site must be per token ([batch, token, units]).
   */
  async cacheSite(
    sequences: readonly (readonly number[])[],
    siteName: string,
    options: ReadOptions & { units?: readonly number[] } = {},
  ): Promise<{ data: Float32Array; tokens: number; units: number }> {
    const site = this.site(siteName);
    const layout = this.layout(siteName);
    if (layout.batchAxis !== 0 || layout.sequenceAxes.join() !== '1' || site.shape.length !== 3) {
      throw new InputError(
        `site '${siteName}' has shape ${site.shape.join('×')}; cacheSite needs [batch, token, units]`,
      );
    }
    const width = site.shape[2] as number;
    const columns = options.units ? [...options.units] : undefined;
    for (const unit of columns ?? []) {
      if (!Number.isInteger(unit) || unit < 0 || unit >= width)
        throw new InputError(`unit ${unit} is out of range for '${siteName}' (0–${width - 1})`);
    }
    const units = columns?.length ?? width;
    const total = sequences.reduce((a, s) => a + s.length, 0);
    const data = new Float32Array(total * units);
    const starts: number[] = [];
    sequences.reduce((at, s) => (starts.push(at), at + s.length), 0);
    let done = 0;
    for (const batch of batchByTokens(sequences, options.batchTokens ?? 4096)) {
      const result = await this.forward(
        batch.map((i) => sequences[i] as number[]),
        { read: [siteName], edits: options.edits, logits: false },
      );
      const tensor = result.sites[siteName] as ort.Tensor;
      const values = tensor.data as Float32Array;
      const padded = tensor.dims[1] as number;
      batch.forEach((sequenceIndex, b) => {
        const length = (sequences[sequenceIndex] as number[]).length;
        const source = b * padded * width;
        const target = (starts[sequenceIndex] as number) * units;
        if (!columns) {
          data.set(values.subarray(source, source + length * width), target);
          return;
        }
        for (let t = 0; t < length; t++) {
          for (let u = 0; u < units; u++)
            data[target + t * units + u] = values[source + t * width + (columns[u] as number)] as number;
        }
      });
      done += batch.length;
      options.onProgress?.(done, sequences.length);
    }
    return { data, tokens: total, units };
  }

  async dispose(): Promise<void> {
    await this.subject.dispose();
  }

  private layout(siteName: string): TokenLayout {
    const site = this.site(siteName);
    let layout = this.layouts.get(site.name);
    if (!layout) {
      layout = tokenLayout(site, this.exampleLength);
      this.layouts.set(site.name, layout);
    }
    if (layout.sequenceAxes.length === 0) {
      throw new InputError(
        `site '${siteName}' (shape ${site.shape.join('×')}) has no token axis, so it cannot be read per token`,
      );
    }
    return layout;
  }
}
