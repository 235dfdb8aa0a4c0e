/** The subjects layer's public surface: load a subject, address its sites and units, read and edit them. */
export type {
  Edit,
  InterveneOptions,
  RunResult,
  SiteInfo,
  Subject,
  SubjectInputs,
  Tensor,
  TensorMap,
  UnitRef,
} from './subject.ts';
export { loadSubject, type LoadOptions } from './load.ts';
export { SubjectManifest, parseManifest, readManifest, type SubjectManifestInput } from './manifest.ts';
export { checkUnit, defaultUnitAxis, formatUnit, splitUnit } from './units.ts';
export { classify, ctcGreedyDecode, softmax, type ClassScore, type CtcText } from './decode.ts';
export { heatmapOverlay, summarizeMap, unitMap, type MapSummary, type UnitMap } from './heatmap.ts';
export { preprocessImages, type ImagePlacement, type PreprocessedBatch } from './preprocess.ts';
export { zooEntries, zooEntry, zooNames, type ZooEntry } from './zoo.ts';
export { outputDifference, readOutput, type OutputReading } from './outputs.ts';
export {
  randomizeModel,
  randomizeWeights,
  weightLayers,
  type RandomizationReport,
  type RandomizeOptions,
  type RandomizeScope,
  type RandomizedSubject,
  type WeightLayer,
} from './onnx/randomize.ts';
export {
  LanguageModel,
  loadLanguageModel,
  type LoadLanguageModelOptions,
  type TextActivations,
  type TextInput,
} from './language-model/index.ts';
export { TextTokenizer, trainByteLevelBpe, type TokenizedText } from './tokenizers/index.ts';
