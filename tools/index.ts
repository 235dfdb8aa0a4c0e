import { createVisionRegistry, visionTools } from './vision-tools.ts';
import { createTextRegistry, languageModelTools, textTools, textToolsByKind } from './text-tools.ts';

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

export { createVisionRegistry, visionTools };
export { createTextRegistry, languageModelTools, textTools, textToolsByKind };
