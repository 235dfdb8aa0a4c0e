import { recordHypothesisTool } from './investigation/record-hypothesis.ts';
import { ToolRegistry } from './registry.ts';
import type { ToolDefinition } from './tool.ts';
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
import { compareGenerationsTool } from './text/compare-generations.ts';
import { attributeBehaviourTool } from './text/attribute-behaviour.ts';
import { testTriggerTool } from './text/test-trigger.ts';
import { searchTriggersTool } from './text/search-triggers.ts';
import { tokenExpectationsTool } from './text/token-expectations.ts';
import type { TextProbe } from './text-probe/types.ts';

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
  // Behaviour experiments: what the model writes, not one unit (for questions without a unit).
  compareGenerationsTool,
  tokenExpectationsTool,
  searchTriggersTool,
  testTriggerTool,
  attributeBehaviourTool,
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
