/** The unit a question names: see agent/question-kind.ts, where every question kind is decided. */
export { unitInQuestion } from '../../question-kind.ts';
