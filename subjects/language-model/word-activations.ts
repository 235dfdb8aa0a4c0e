import type ort from 'onnxruntime-node';
import { InputError } from '../../util/errors.ts';
import type { Edit } from '../subject.ts';
import { batchByTokens } from './batches.ts';
import type { LanguageModel } from './language-model.ts';

/**
 * A language model's units read per WORD of texts whose words are known by character spans (the
 * annotated texts of stimuli/text), so tools can speak of the same tokens whatever the subject: each
 * word gets the maximum over the model's tokens that overlap it (max-pooling, as exemplar ranking
 * does). Texts longer than the context are read in consecutive context-sized windows, each on its own.
 */

/** A text and the character spans of its words: `text.slice(start, end)` is a word. */
export interface WordSpans {
  text: string;
  tokens: readonly { start: number; end: number }[];
}

/** A unit as `site:index` or as its parts. */
export type UnitName = string | { site: string; unit: number };

export interface WordActivationOptions {
  edits?: readonly Edit[];
  /** Most padded tokens per run (default 4096). */
  batchTokens?: number;
  onProgress?: (done: number, total: number) => void;
}

/** result[unit][text][word]. A word no model token overlaps (an empty span) gets 0. */
export async function wordActivations(
  model: LanguageModel,
  texts: readonly WordSpans[],
  units: readonly UnitName[],
  options: WordActivationOptions = {},
): Promise<Float32Array[][]> {
  const resolved = units.map((u) => {
    const ref = model.subject.parseUnit(typeof u === 'string' ? u : `${u.site}:${u.unit}`);
    const shape = ref.site.shape;
    if (shape.length !== 3 || ref.site.unitAxis !== 2) {
      throw new InputError(
        `unit ${typeof u === 'string' ? u : `${u.site}:${u.unit}`} is on site '${ref.site.name}' of shape ${shape.join('×')}: ` +
          `only [batch, token, units] sites (residual stream, MLP, attention output) are read per word`,
      );
    }
    return ref;
  });
  const sites = [...new Set(resolved.map((r) => r.site.name))];

  // Every text's tokens, cut into windows; each window remembers its text and first token.
  const encoded = texts.map((t) => model.tokenizer.encode(t.text));
  const windows: { text: number; first: number; ids: number[] }[] = [];
  encoded.forEach((e, text) => {
    for (let first = 0; first < e.ids.length; first += model.contextLength) {
      windows.push({ text, first, ids: e.ids.slice(first, first + model.contextLength) });
    }
  });
  // perToken[unit][text][token]
  const perToken = resolved.map(() => encoded.map((e) => new Float32Array(e.ids.length)));
  let done = 0;
  for (const batch of batchByTokens(
    windows.map((w) => w.ids),
    options.batchTokens ?? 4096,
  )) {
    const result = await model.forward(
      batch.map((i) => windows[i]?.ids as number[]),
      { read: sites, edits: options.edits, logits: false },
    );
    batch.forEach((windowIndex, b) => {
      const window = windows[windowIndex] as { text: number; first: number; ids: number[] };
      resolved.forEach((ref, u) => {
        const tensor = result.sites[ref.site.name] as ort.Tensor;
        const [, padded, width] = tensor.dims as [number, number, number];
        const data = tensor.data as Float32Array;
        const target = perToken[u]?.[window.text] as Float32Array;
        for (let t = 0; t < window.ids.length; t++) {
          target[window.first + t] = data[(b * padded + t) * width + ref.unit] as number;
        }
      });
    });
    done += batch.length;
    options.onProgress?.(done, windows.length);
  }

  return resolved.map((_, u) =>
    texts.map((text, i) => {
      const offsets = encoded[i]?.offsets ?? [];
      const values = perToken[u]?.[i] as Float32Array;
      const out = new Float32Array(text.tokens.length);
      // Words and model tokens both run left to right: sweep them together.
      let first = 0;
      text.tokens.forEach((word, w) => {
        while (first < offsets.length && (offsets[first]?.[1] as number) <= word.start) first++;
        let best = -Infinity;
        for (let k = first; k < offsets.length; k++) {
          const [start, end] = offsets[k] as [number, number];
          if (start >= word.end) break;
          if (end > start && end > word.start) best = Math.max(best, values[k] as number);
        }
        out[w] = best === -Infinity ? 0 : best;
      });
      return out;
    }),
  );
}
