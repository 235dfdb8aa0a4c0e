import {
  completeConfig,
  type Gpt2Config,
  type Gpt2Weights,
} from '../../../subjects/language-model/gpt2-weights.ts';

/**
 * GPT-2's forward pass written plainly in JavaScript (float64), to check that the ONNX builder's
 * graph computes the model it claims to: pre-LN blocks, causal multi-head attention, erf GELU, final
 * LN and tied unembedding. Returns logits [token][vocab] and the MLP activations [layer][token][unit].
 */
export function referenceForward(
  config: Gpt2Config,
  w: Gpt2Weights,
  ids: readonly number[],
): { logits: number[][]; mlpPost: number[][][] } {
  const c = completeConfig(config);
  const D = c.width;
  const H = c.heads;
  const Dh = D / H;
  const T = ids.length;
  let x = ids.map((id, t) =>
    Array.from(
      { length: D },
      (_, d) => (w.tokenEmbedding[id * D + d] as number) + (w.positionEmbedding[t * D + d] as number),
    ),
  );
  const mlpPost: number[][][] = [];
  for (const b of w.blocks) {
    const h = x.map((row) => layerNorm(row, b.ln1Gain, b.ln1Bias, c.epsilon));
    const qkv = h.map((row) => linear(row, b.qkvWeight, b.qkvBias, 3 * D));
    const merged = Array.from({ length: T }, () => new Array<number>(D).fill(0));
    for (let head = 0; head < H; head++) {
      for (let i = 0; i < T; i++) {
        const scores: number[] = [];
        for (let j = 0; j <= i; j++) {
          let s = 0;
          for (let d = 0; d < Dh; d++)
            s += (qkv[i]?.[head * Dh + d] as number) * (qkv[j]?.[D + head * Dh + d] as number);
          scores.push(s / Math.sqrt(Dh));
        }
        const max = Math.max(...scores);
        const e = scores.map((s) => Math.exp(s - max));
        const sum = e.reduce((a, v) => a + v, 0);
        const row = merged[i] as number[];
        for (let j = 0; j <= i; j++) {
          for (let d = 0; d < Dh; d++) {
            const k = head * Dh + d;
            row[k] = (row[k] as number) + ((e[j] as number) / sum) * (qkv[j]?.[2 * D + k] as number);
          }
        }
      }
    }
    const attn = merged.map((row) => linear(row, b.outWeight, b.outBias, D));
    x = x.map((row, t) => row.map((v, d) => v + (attn[t]?.[d] as number)));
    const h2 = x.map((row) => layerNorm(row, b.ln2Gain, b.ln2Bias, c.epsilon));
    const post = h2.map((row) => linear(row, b.fcWeight, b.fcBias, c.mlpWidth).map(gelu));
    mlpPost.push(post);
    const out = post.map((row) => linear(row, b.projWeight, b.projBias, D));
    x = x.map((row, t) => row.map((v, d) => v + (out[t]?.[d] as number)));
  }
  const final = x.map((row) => layerNorm(row, w.finalGain, w.finalBias, c.epsilon));
  const logits = final.map((row) =>
    Array.from({ length: c.vocabSize }, (_, v) =>
      row.reduce((a, value, d) => a + value * (w.tokenEmbedding[v * D + d] as number), 0),
    ),
  );
  return { logits, mlpPost };
}

function layerNorm(row: number[], gain: Float32Array, bias: Float32Array, epsilon: number): number[] {
  const mean = row.reduce((a, v) => a + v, 0) / row.length;
  const variance = row.reduce((a, v) => a + (v - mean) ** 2, 0) / row.length;
  return row.map(
    (v, d) => ((v - mean) / Math.sqrt(variance + epsilon)) * (gain[d] as number) + (bias[d] as number),
  );
}

/** row @ W + bias, W row-major [row.length, out]. */
function linear(row: number[], weight: Float32Array, bias: Float32Array, out: number): number[] {
  const result = Array.from(bias.subarray(0, out), Number);
  row.forEach((v, i) => {
    for (let o = 0; o < out; o++) result[o] = (result[o] as number) + v * (weight[i * out + o] as number);
  });
  return result;
}

function gelu(x: number): number {
  return 0.5 * x * (1 + erf(x / Math.SQRT2));
}

/** Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7). */
function erf(x: number): number {
  const sign = Math.sign(x);
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-a * a);
  return sign * y;
}
