/** The unit a question names (agent/question.ts, where questions are classified). */
export { unitInQuestion } from '../../question.ts';
