// Reverse-mode autodiff of ONNX graphs, emitting standard ONNX graphs run by onnxruntime.
export {
  buildGradientGraph,
  type GradientGraph,
  type GradientGraphRequest,
  type ProbeRunner,
} from './compile.ts';
export { ObjectiveSpec, OBJECTIVE_WEIGHTS_INPUT } from './objective.ts';
export { GradientSessions, type GradientRun, type SessionFactory } from './session.ts';
export { GRADIENT_RULES, NO_GRADIENT_OPS, type DifferentiableOp } from './rules/index.ts';
export { MIN_GRADIENT_OPSET, upgradeForGradients } from './opset.ts';
