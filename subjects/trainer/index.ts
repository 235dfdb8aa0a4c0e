// Training ONNX models over the autodiff's forward+backward graphs (see docs/organisms.md).
export {
  train,
  TrainConfig,
  type TrainConfigInput,
  type TrainingSet,
  type TokenSet,
  type ValueSet,
  type TrainResult,
  type EpochRecord,
} from './train.ts';
export { LOSSES, LOSS_NAMES, type LossName, type TargetKind } from './losses.ts';
export {
  OPTIMISERS,
  OptimiserConfig,
  createOptimiser,
  type Optimiser,
  type OptimiserName,
} from './optimisers.ts';
export { ActivationL1, AuxiliaryLoss } from './graph.ts';
export { magnitudeMasks } from './prune.ts';
export { smallCnn, SMALL_CNN_INPUT, SMALL_CNN_OUTPUT, type SmallCnnOptions } from './small-cnn.ts';
export { readWeights, withWeights, type Weight } from './weights.ts';
export { accuracy, argmaxRows, predict } from './evaluate.ts';
export { writeOrganism } from './organism.ts';
