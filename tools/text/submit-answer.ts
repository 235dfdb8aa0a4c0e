import { createSubmitAnswerTool } from '../investigation/submit-answer.ts';

/** submit_answer for text subjects: formulas of the text concept language, checked by the context. */
export const submitTextAnswerTool = createSubmitAnswerTool(
  '(token concepts such as noun, colour, sentence_start, in_quotes, repeated; operators AND, OR, NOT; ' +
    'word("the"), after(A, B) for A right after B, depth(n) for inside n brackets)',
  '"noun", "colour OR animal", "capitalised AND NOT sentence_start", "after(noun, adjective)", "word(\\"the\\")"',
);
