import ort from 'onnxruntime-node';
import { InputError } from '../../util/errors.ts';
import type { ModelProto } from '../onnx/proto.ts';
import { createSession, transformerSessionOptions } from '../onnx/session.ts';
import type { TokenWindows } from './token-windows.ts';

/**
 * A language model's held-out loss: the mean over predicted tokens of −ln softmax(logits)[next id]
 * (nats per token), over windows laid out as tokenWindows writes them, run in batches through a
 * plain session of the model (input_ids → logits).
 */
export async function corpusLoss(model: ModelProto, held: TokenWindows, batchSize = 16): Promise<number> {
  const input = model.graph?.input?.find((v) => v.name === 'input_ids')?.name;
  const output = model.graph?.output?.[0]?.name;
  if (!input || !output) throw new InputError('the model has no input_ids input or no output');
  if (held.count === 0) throw new InputError('no held-out windows to score');
  const { length } = held;
  const stride = length + 1;
  const session = await createSession(model, transformerSessionOptions(), '.', 'the model to score');
  let sum = 0;
  let tokens = 0;
  try {
    for (let from = 0; from < held.count; from += batchSize) {
      const n = Math.min(batchSize, held.count - from);
      const ids = new BigInt64Array(n * length);
      for (let k = 0; k < n; k++)
        for (let t = 0; t < length; t++)
          ids[k * length + t] = BigInt(held.windows[(from + k) * stride + t] as number);
      const result = await session.run({ [input]: new ort.Tensor('int64', ids, [n, length]) }, [output]);
      const logits = (result[output] as ort.Tensor).data as Float32Array;
      const vocab = logits.length / (n * length);
      for (let k = 0; k < n; k++) {
        for (let t = 0; t < length; t++) {
          const offset = (k * length + t) * vocab;
          let max = -Infinity;
          for (let v = 0; v < vocab; v++) max = Math.max(max, logits[offset + v] as number);
          let z = 0;
          for (let v = 0; v < vocab; v++) z += Math.exp((logits[offset + v] as number) - max);
          const target = held.windows[(from + k) * stride + t + 1] as number;
          sum += max + Math.log(z) - (logits[offset + target] as number);
          tokens++;
        }
      }
    }
  } finally {
    await session.release();
  }
  return sum / tokens;
}
