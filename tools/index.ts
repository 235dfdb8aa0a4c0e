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
import { generateTool } from './text/generate.ts';
import { steerUnitsTool as steerTextUnitsTool } from './text/steer-units.ts';
import { ablateUnitsTool as ablateTextUnitsTool } from './text/ablate-units.ts';
import { logitLensTool } from './text/logit-lens.ts';
import { attentionTool } from './text/attention.ts';
import type { TextProbe } from './text-probe/types.ts';
import { searchStimuliTool } from './vision/search-stimuli.ts';
import { probeFamiliesTool } from './vision/probe-families.ts';

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
  searchStimuliTool,
  probeFamiliesTool,
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
 * same TextProbe), each in its own file under text/. Every text subject gets these.
 */
const textExperimentTools: ToolDefinition<TextToolContext>[] = [
  describeTextSubjectTool,
  textExemplarsTool,
  callTextUnitsTool,
  editTextsTool,
  textConceptStatsTool,
  textFormulaSearchTool,
];
const textRecordTools: ToolDefinition<TextToolContext>[] = [recordHypothesisTool, submitTextAnswerTool];

export const textTools: ToolDefinition<TextToolContext>[] = [...textExperimentTools, ...textRecordTools];

/** Tools that need a language model's own outputs: they join the text tools for a language-model probe. */
export const languageModelTools: ToolDefinition<TextToolContext>[] = [
  generateTool,
  steerTextUnitsTool,
  ablateTextUnitsTool,
  logitLensTool,
  attentionTool,
];

/** Each kind of text probe's tools, in the order the agent sees them (answer tools last). */
export const textToolsByKind: Record<TextProbe['kind'], ToolDefinition<TextToolContext>[]> = {
  'synthetic-text': textTools,
  'language-model': [...textExperimentTools, ...languageModelTools, ...textRecordTools],
};

/** A registry of the text tools for a kind of text probe (default: the tools every text subject has). */
export function createTextRegistry(
  kind: TextProbe['kind'] = 'synthetic-text',
): ToolRegistry<TextToolContext> {
  return new ToolRegistry<TextToolContext>(textToolsByKind[kind]);
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
export { isTextSubjectRef, loadTextProbe, textSubjectKind } from './text-probe/load.ts';
export { LanguageModelProbe } from './text-probe/language-model-probe.ts';
