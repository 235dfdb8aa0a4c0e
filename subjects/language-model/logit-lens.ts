import { InputError } from '../../util/errors.ts';
import type { Edit } from '../subject.ts';
import { nextTokenLogits, softmaxOf, topK } from './generate.ts';
import type { LanguageModel, TextInput } from './language-model.ts';

/**
 * The logit lens: what the model would predict if the residual stream after layer L went straight to
 * the final LayerNorm and the unembedding. Rather than re-implementing those in JavaScript (a user's
 * export may decompose the LayerNorm, tie or untie the unembedding), the model's own graph does it:
 * one run with the final residual stream set to the layer's vector. That edit's session is compiled
 * once and serves every layer and position (the vector is a fed value).
 */

export interface LensPrediction {
  id: number;
  token: string;
  probability: number;
}

export interface LensLayer {
  /** -1 for the embeddings (resid_pre of block 0), else the block whose output is read. */
  layer: number;
  site: string;
  top: LensPrediction[];
}

export interface LogitLensOptions {
  /** Token position (default: the last). */
  position?: number;
  /** Predictions per layer (default 5). */
  k?: number;
  edits?: readonly Edit[];
}

export async function logitLens(
  model: LanguageModel,
  text: TextInput,
  options: LogitLensOptions = {},
): Promise<LensLayer[]> {
  if (model.layers === 0)
    throw new InputError(`${model.name} has no blocks.L.hook_resid_post sites for the logit lens`);
  const ids = model.ids(text);
  const position = options.position ?? ids.length - 1;
  if (!Number.isInteger(position) || position < 0 || position >= ids.length) {
    throw new InputError(`position ${position} is outside the text's ${ids.length} tokens`);
  }
  const k = options.k ?? 5;
  const sites = [
    'blocks.0.hook_resid_pre',
    ...Array.from({ length: model.layers }, (_, L) => `blocks.${L}.hook_resid_post`),
  ];
  const [read] = await model.readTokens([ids], sites, { edits: options.edits });
  const finalResidual = `blocks.${model.layers - 1}.hook_resid_post`;
  const layers: LensLayer[] = [];
  for (let i = 0; i < sites.length; i++) {
    const site = sites[i] as string;
    const slice = read?.sites[site];
    if (!slice) continue;
    const width = slice.dims.at(-1) as number;
    const vector = slice.data.slice(position * width, (position + 1) * width);
    // Any one token will do: the set edit replaces the whole final residual stream.
    const logits = await nextTokenLogits(
      model,
      [ids[0] as number],
      [{ site: finalResidual, op: 'set', value: vector }],
    );
    const probabilities = softmaxOf(logits);
    layers.push({
      layer: i - 1,
      site,
      top: topK(logits, k).map((id) => ({
        id,
        token: model.tokenizer.tokenText(id),
        probability: probabilities[id] as number,
      })),
    });
  }
  return layers;
}
