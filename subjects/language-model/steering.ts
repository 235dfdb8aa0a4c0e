import { InputError } from '../../util/errors.ts';
import type { Edit } from '../subject.ts';
import type { LanguageModel, TextInput } from './language-model.ts';

/**
 * Steering vectors by difference of means (Turner et al.'s activation addition, Rimsky et al.'s
 * contrastive vectors, in their simplest form): the mean of a residual-stream site over every token
 * of texts that have a property, minus its mean over texts that do not. Added to that site at every
 * position while generating (an `add` edit, scaled), it pushes the model toward the property.
 */

export interface SteeringDirection {
  site: string;
  /** mean(positive) − mean(negative), one value per unit of the site. */
  vector: Float32Array;
  /** Its L2 norm. */
  norm: number;
  /** Tokens averaged on each side. */
  tokens: { positive: number; negative: number };
}

export interface DifferenceOfMeansOptions {
  /**
   * Leading tokens of each text left out (default 1): the first position of a GPT's residual stream
   * is an outlier (it attends only to itself) and would dominate a mean over short texts.
   */
  skip?: number;
}

async function siteMean(
  lm: LanguageModel,
  site: string,
  texts: readonly TextInput[],
  skip: number,
): Promise<{ mean: Float64Array; tokens: number }> {
  const reads = await lm.readTokens(texts, [site]);
  let mean: Float64Array | undefined;
  let tokens = 0;
  for (const read of reads) {
    const slice = read.sites[site];
    if (!slice || slice.dims.length !== 2)
      throw new InputError(
        `site '${site}' is not a per-token [tokens, units] site; steer a residual-stream site`,
      );
    const [length, units] = slice.dims as [number, number];
    mean ??= new Float64Array(units);
    for (let t = skip; t < length; t++) {
      for (let u = 0; u < units; u++) mean[u] = (mean[u] as number) + (slice.data[t * units + u] as number);
      tokens++;
    }
  }
  if (!mean || tokens === 0)
    throw new InputError(`no tokens to average at '${site}' (texts shorter than ${skip + 1} tokens?)`);
  for (let u = 0; u < mean.length; u++) mean[u] = (mean[u] as number) / tokens;
  return { mean, tokens };
}

export async function differenceOfMeans(
  lm: LanguageModel,
  site: string,
  positive: readonly TextInput[],
  negative: readonly TextInput[],
  options: DifferenceOfMeansOptions = {},
): Promise<SteeringDirection> {
  if (positive.length === 0 || negative.length === 0)
    throw new InputError('a difference of means needs texts on both sides');
  const skip = options.skip ?? 1;
  const pos = await siteMean(lm, site, positive, skip);
  const neg = await siteMean(lm, site, negative, skip);
  const vector = new Float32Array(pos.mean.length);
  let squares = 0;
  for (let u = 0; u < vector.length; u++) {
    const d = (pos.mean[u] as number) - (neg.mean[u] as number);
    vector[u] = d;
    squares += d * d;
  }
  return { site, vector, norm: Math.sqrt(squares), tokens: { positive: pos.tokens, negative: neg.tokens } };
}

/** The edit that adds `scale` × the direction at its site, at every position. */
export function steeringEdit(direction: SteeringDirection, scale: number): Edit {
  if (!Number.isFinite(scale)) throw new InputError(`steering scale must be a finite number, got ${scale}`);
  return { site: direction.site, op: 'add', delta: direction.vector.map((v) => v * scale) };
}
