import { InputError } from '../../util/errors.ts';
import { createRandom } from '../../util/random.ts';

/**
 * The shape and weights of a GPT-2-style decoder: token and position embeddings, pre-LayerNorm
 * blocks of causal multi-head attention and a GELU MLP, a final LayerNorm and an unembedding tied
 * to the token embedding. Matrices are row-major and laid out as `x @ W` (input rows), as GPT-2's
 * Conv1D layers store them.
 */
export interface Gpt2Config {
  vocabSize: number;
  contextLength: number;
  layers: number;
  heads: number;
  /** Residual stream width (d_model); a multiple of heads. */
  width: number;
  /** MLP hidden width (default 4 × width). */
  mlpWidth?: number;
  /** LayerNorm epsilon (default 1e-5, GPT-2's). */
  epsilon?: number;
}

export interface Gpt2Block {
  ln1Gain: Float32Array;
  ln1Bias: Float32Array;
  /** [width, 3 × width]: query, key and value projections side by side. */
  qkvWeight: Float32Array;
  qkvBias: Float32Array;
  /** [width, width] */
  outWeight: Float32Array;
  outBias: Float32Array;
  ln2Gain: Float32Array;
  ln2Bias: Float32Array;
  /** [width, mlpWidth] */
  fcWeight: Float32Array;
  fcBias: Float32Array;
  /** [mlpWidth, width] */
  projWeight: Float32Array;
  projBias: Float32Array;
}

export interface Gpt2Weights {
  /** [vocabSize, width]; also the unembedding (transposed), as in GPT-2. */
  tokenEmbedding: Float32Array;
  /** [contextLength, width] */
  positionEmbedding: Float32Array;
  blocks: Gpt2Block[];
  finalGain: Float32Array;
  finalBias: Float32Array;
}

/** The config with defaults filled in, checked. */
export function completeConfig(config: Gpt2Config): Required<Gpt2Config> {
  const full = { mlpWidth: 4 * config.width, epsilon: 1e-5, ...config };
  for (const key of ['vocabSize', 'contextLength', 'layers', 'heads', 'width', 'mlpWidth'] as const) {
    if (!Number.isInteger(full[key]) || full[key] < 1) {
      throw new InputError(`GPT-2 config: ${key} must be a positive integer, got ${full[key]}`);
    }
  }
  if (full.width % full.heads !== 0) {
    throw new InputError(`GPT-2 config: width ${full.width} is not a multiple of heads ${full.heads}`);
  }
  return full;
}

/**
 * Seeded random weights with GPT-2's initialisation (normal, std 0.02; LayerNorm gain 1, bias 0).
 * `scale` multiplies the std, so tests can make a random model's activations less uniform.
 */
export function randomGpt2Weights(config: Gpt2Config, seed: number, scale = 1): Gpt2Weights {
  const c = completeConfig(config);
  const random = createRandom(seed);
  const normal = (n: number, std = 0.02 * scale): Float32Array => {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i += 2) {
      // Box–Muller: two normals from two uniforms.
      const u = Math.max(random(), 1e-12);
      const v = random();
      const r = Math.sqrt(-2 * Math.log(u)) * std;
      out[i] = r * Math.cos(2 * Math.PI * v);
      if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * v);
    }
    return out;
  };
  const ones = (n: number) => new Float32Array(n).fill(1);
  const D = c.width;
  const F = c.mlpWidth;
  return {
    tokenEmbedding: normal(c.vocabSize * D),
    positionEmbedding: normal(c.contextLength * D, 0.01 * scale),
    blocks: Array.from({ length: c.layers }, () => ({
      ln1Gain: ones(D),
      ln1Bias: new Float32Array(D),
      qkvWeight: normal(D * 3 * D),
      qkvBias: new Float32Array(3 * D),
      outWeight: normal(D * D),
      outBias: new Float32Array(D),
      ln2Gain: ones(D),
      ln2Bias: new Float32Array(D),
      fcWeight: normal(D * F),
      fcBias: new Float32Array(F),
      projWeight: normal(F * D),
      projBias: new Float32Array(D),
    })),
    finalGain: ones(D),
    finalBias: new Float32Array(D),
  };
}
