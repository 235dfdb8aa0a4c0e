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
import { modelRelianceTool } from './vision/model-reliance.ts';
import { ablateUnitsTool } from './vision/ablate-units.ts';
import { steerUnitsTool } from './vision/steer-units.ts';
import { formulaSearchTool } from './vision/formula-search.ts';
import { propertyStatsTool } from './vision/property-stats.ts';
import { searchStimuliTool } from './vision/search-stimuli.ts';
import { probeFamiliesTool } from './vision/probe-families.ts';
import { compareUnitsTool } from './vision/compare-units.ts';
import { outputWeightsTool } from './vision/output-weights.ts';

/**
 * The vision tool set: every experiment an agent can run on a vision subject (ONNX model or synthetic
 * units), each tool in its own file under vision/. Add a tool with one import and one line below.
 */
export const visionTools: ToolDefinition<ToolContext>[] = [
  describeSubjectTool,
  listUnitsTool,
  callUnitsTool,
  datasetExemplarsTool,
  compareUnitsTool,
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
  modelRelianceTool,
  ablateUnitsTool,
  outputWeightsTool,
  steerUnitsTool,
  recordHypothesisTool,
  submitAnswerTool,
];

/** A registry of the vision tools, for the agent loop and `aia tools`. */
export function createVisionRegistry(): ToolRegistry<ToolContext> {
  return new ToolRegistry<ToolContext>(visionTools);
}
