import type { ToolContext } from './context.ts';
import { ToolRegistry } from './registry.ts';
import type { ToolDefinition } from './tool.ts';
import { callUnitsTool } from './vision/call-units.ts';
import { classifyTool } from './vision/classify.ts';
import { datasetExemplarsTool } from './vision/dataset-exemplars.ts';
import { describeSubjectTool } from './vision/describe-subject.ts';
import { editScenesTool } from './vision/edit-scenes.ts';
import { listUnitsTool } from './vision/list-units.ts';
import { recordHypothesisTool } from './investigation/record-hypothesis.ts';
import { renderScenesTool } from './vision/render-scenes.ts';
import { submitAnswerTool } from './investigation/submit-answer.ts';
import { conceptStatsTool } from './vision/concept-stats.ts';
import { saliencyTool } from './vision/saliency.ts';
import { alignmentTool } from './vision/alignment.ts';
import { ablateUnitsTool } from './vision/ablate-units.ts';
import { steerUnitsTool } from './vision/steer-units.ts';
import { formulaSearchTool } from './vision/formula-search.ts';
import { propertyStatsTool } from './vision/property-stats.ts';
import type { TextToolContext } from './text-context.ts';
import { describeTextSubjectTool } from './text/describe-subject.ts';
import { textExemplarsTool } from './text/text-exemplars.ts';
import { callTextUnitsTool } from './text/call-units.ts';
import { editTextsTool } from './text/edit-texts.ts';
import { textConceptStatsTool } from './text/concept-stats.ts';
import { textFormulaSearchTool } from './text/formula-search.ts';
import { submitTextAnswerTool } from './text/submit-answer.ts';

/**
 * The vision tool set: every experiment an agent can run on a vision subject (ONNX model or synthetic
 * units), each tool in its own file under vision/. Add a tool with one import and one line below.
 */
export const visionTools: ToolDefinition<ToolContext>[] = [
  describeSubjectTool,
  listUnitsTool,
  callUnitsTool,
  datasetExemplarsTool,
  renderScenesTool,
  editScenesTool,
  classifyTool,
  conceptStatsTool,
  formulaSearchTool,
  propertyStatsTool,
  saliencyTool,
  alignmentTool,
  ablateUnitsTool,
  steerUnitsTool,
  recordHypothesisTool,
  submitAnswerTool,
];

/** A registry of the vision tools, for the agent loop and `aia tools`. */
export function createVisionRegistry(): ToolRegistry<ToolContext> {
  return new ToolRegistry<ToolContext>(visionTools);
}

/**
 * The text tool set: experiments on a text subject (synthetic text units; a language model behind the
 * same TextProbe), each in its own file under text/. Tools that need a language model's own outputs
 * (generate, steer_units, logit_lens, attention) join when a language-model probe does.
 */
export const textTools: ToolDefinition<TextToolContext>[] = [
  describeTextSubjectTool,
  textExemplarsTool,
  callTextUnitsTool,
  editTextsTool,
  textConceptStatsTool,
  textFormulaSearchTool,
  recordHypothesisTool,
  submitTextAnswerTool,
];

export function createTextRegistry(): ToolRegistry<TextToolContext> {
  return new ToolRegistry<TextToolContext>(textTools);
}

export {
  createContextForProbe,
  createToolContext,
  type AnswerRecord,
  type HypothesisRecord,
  type HypothesisStatus,
  type ToolContext,
  type ToolContextOptions,
} from './context.ts';
export type {
  OutputScores,
  Probe,
  ProbeSite,
  ScorerTarget,
  UnitAddress,
  UnitEdit,
  UnitEditOp,
  UnitMap,
} from './probe/types.ts';
export { loadProbe } from './probe/load.ts';
export type { InvestigationContext } from './investigation/state.ts';
export {
  createContextForTextProbe,
  createTextToolContext,
  DEFAULT_TEXT_SET_SIZE,
  type TextToolContext,
  type TextToolContextOptions,
} from './text-context.ts';
export type { TextProbe } from './text-probe/types.ts';
export { isTextSubjectRef, loadTextProbe } from './text-probe/load.ts';
