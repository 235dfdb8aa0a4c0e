import ort from 'onnxruntime-node';
import { InputError } from '../../util/errors.ts';
import type { ModelProto } from '../onnx/proto.ts';
import { createSession, defaultSessionOptions } from '../onnx/session.ts';

/** Running a trained model over a set in batches: the outputs, and classification accuracy. */

export async function predict(
  model: ModelProto,
  inputs: Float32Array,
  inputShape: readonly number[],
  batchSize = 256,
): Promise<{ outputs: Float32Array; width: number }> {
  const per = inputShape.reduce((a, b) => a * b, 1);
  const count = inputs.length / per;
  if (!Number.isInteger(count))
    throw new InputError(
      `${inputs.length} values are not a whole number of [${inputShape.join(', ')}] inputs`,
    );
  const input = model.graph?.input?.[0]?.name;
  const output = model.graph?.output?.[0]?.name;
  if (!input || !output) throw new InputError('the model has no input or output');
  const session = await createSession(model, defaultSessionOptions(), '.', 'the model to evaluate');
  const chunks: Float32Array[] = [];
  let width = 0;
  try {
    for (let from = 0; from < count; from += batchSize) {
      const n = Math.min(batchSize, count - from);
      const feed = new ort.Tensor('float32', inputs.subarray(from * per, (from + n) * per), [
        n,
        ...inputShape,
      ]);
      const result = (await session.run({ [input]: feed }, [output]))[output] as ort.Tensor;
      width = result.size / n;
      chunks.push(Float32Array.from(result.data as Float32Array));
    }
  } finally {
    await session.release();
  }
  const outputs = new Float32Array(count * width);
  let offset = 0;
  for (const chunk of chunks) {
    outputs.set(chunk, offset);
    offset += chunk.length;
  }
  return { outputs, width };
}

/** Arg-max class of each row of [N, classes] scores. */
export function argmaxRows(scores: Float32Array, classes: number): number[] {
  const out: number[] = [];
  for (let n = 0; n * classes < scores.length; n++) {
    let best = 0;
    for (let c = 1; c < classes; c++)
      if ((scores[n * classes + c] as number) > (scores[n * classes + best] as number)) best = c;
    out.push(best);
  }
  return out;
}

/** Fraction of examples whose arg-max output is their label. */
export async function accuracy(
  model: ModelProto,
  inputs: Float32Array,
  inputShape: readonly number[],
  labels: ArrayLike<number>,
): Promise<number> {
  const { outputs, width } = await predict(model, inputs, inputShape);
  const predicted = argmaxRows(outputs, width);
  if (predicted.length !== labels.length)
    throw new InputError(`${predicted.length} predictions for ${labels.length} labels`);
  let correct = 0;
  predicted.forEach((p, n) => {
    if (p === labels[n]) correct++;
  });
  return correct / predicted.length;
}
