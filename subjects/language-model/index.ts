/** Language-model subjects: load a GPT-2-style ONNX with its tokenizer; read, edit, generate, inspect. */
export {
  LanguageModel,
  type ForwardResult,
  type LanguageModelArchitecture,
  type ReadOptions,
  type TextActivations,
  type TextInput,
} from './language-model.ts';
export { loadLanguageModel, type LoadLanguageModelOptions } from './load.ts';
export {
  generate,
  nextTokenLogits,
  softmaxOf,
  topK,
  type GenerateOptions,
  type Generation,
} from './generate.ts';
export { logitLens, type LensLayer, type LensPrediction, type LogitLensOptions } from './logit-lens.ts';
export { ablateHeads, attentionPatterns, headCount, type AttentionPattern } from './attention.ts';
export { windows } from './batches.ts';
export {
  wordActivations,
  type UnitName,
  type WordActivationOptions,
  type WordSpans,
} from './word-activations.ts';
export type { TokenSlice } from './token-layout.ts';
export { buildGpt2Model, type BuildGpt2Options, type ExporterStyle } from './build-gpt2.ts';
export { randomGpt2Weights, type Gpt2Block, type Gpt2Config, type Gpt2Weights } from './gpt2-weights.ts';
export { transformerLensNames } from './transformer-lens-names.ts';
export { saveGpt2Subject, type SaveGpt2Options } from './save.ts';
export {
  differenceOfMeans,
  steeringEdit,
  type DifferenceOfMeansOptions,
  type SteeringDirection,
} from './steering.ts';
export { corpusLoss } from './corpus-loss.ts';
export { ngramLosses, type NgramLosses } from './ngram.ts';
export { joinWithEos, tokenWindows, type TokenWindows } from './token-windows.ts';
