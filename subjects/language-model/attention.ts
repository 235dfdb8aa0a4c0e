import { InputError } from '../../util/errors.ts';
import type { Edit } from '../subject.ts';
import type { LanguageModel, TextInput } from './language-model.ts';

/**
 * Attention patterns per head from `blocks.L.attn.hook_pattern` ([batch, head, query, key]), and
 * the edit that removes a head: zeroing its pattern zeroes what it writes (pattern × values), the
 * head-ablation TransformerLens users do on hook_pattern or hook_z.
 */

export interface AttentionPattern {
  layer: number;
  head: number;
  /** Token texts, one per position. */
  tokens: string[];
  /** [query][key]: how much each position attends to each earlier one; rows sum to 1. */
  weights: number[][];
}

export async function attentionPatterns(
  model: LanguageModel,
  text: TextInput,
  layer: number,
  heads?: readonly number[],
  edits: readonly Edit[] = [],
): Promise<AttentionPattern[]> {
  const site = patternSite(model, layer);
  const ids = model.ids(text);
  const [read] = await model.readTokens([ids], [site], { edits });
  const slice = read?.sites[site];
  if (!slice || slice.dims.length !== 3)
    throw new InputError(`site '${site}' is not a [head, query, key] pattern`);
  const [headCount, queries, keys] = slice.dims as [number, number, number];
  const chosen = heads ?? Array.from({ length: headCount }, (_, h) => h);
  const tokens = ids.map((id) => model.tokenizer.tokenText(id));
  return chosen.map((head) => {
    checkHead(model, layer, head, headCount);
    const weights = Array.from({ length: queries }, (_, q) =>
      Array.from(slice.data.subarray((head * queries + q) * keys, (head * queries + q + 1) * keys)),
    );
    return { layer, head, tokens, weights };
  });
}

/** An edit that zeroes heads of a layer (their pattern, hence their output). */
export function ablateHeads(model: LanguageModel, layer: number, heads: readonly number[]): Edit {
  const site = patternSite(model, layer);
  const count = model.site(site).units;
  heads.forEach((h) => checkHead(model, layer, h, count));
  return { site, units: [...heads], op: 'zero' };
}

/** Heads per layer (units of the pattern site). */
export function headCount(model: LanguageModel, layer = 0): number {
  return model.site(patternSite(model, layer)).units;
}

function patternSite(model: LanguageModel, layer: number): string {
  if (!Number.isInteger(layer) || layer < 0 || layer >= model.layers) {
    throw new InputError(`layer ${layer} is out of range: ${model.name} has layers 0–${model.layers - 1}`);
  }
  return `blocks.${layer}.attn.hook_pattern`;
}

function checkHead(model: LanguageModel, layer: number, head: number, count: number): void {
  if (!Number.isInteger(head) || head < 0 || head >= count) {
    throw new InputError(
      `head ${head} is out of range: layer ${layer} of ${model.name} has heads 0–${count - 1}`,
    );
  }
}
