import { z } from 'zod';
import { CONCEPT_KINDS } from '../../stimuli/text/concepts.ts';
import { TEXT_FUNCTIONS } from '../../subjects/synthetic-text/index.ts';
import type { TextToolContext } from '../text-context.ts';
import { defineTool } from '../tool.ts';

const Input = z.strictObject({});

/** describe_subject (text): what the subject is, its sites and units, and the token concept vocabulary. */
export const describeTextSubjectTool = defineTool({
  name: 'describe_subject',
  description:
    'Describe the text subject: what it is, its sites and units, the texts the tools read (held-out Brown ' +
    'passages and simple stories, word-level tokens), and the token concepts formulas may name.',
  input: Input,
  async execute(_args: z.output<typeof Input>, ctx: TextToolContext) {
    const described = ctx.probe.describe();
    const sites = ctx.probe.sites();
    const text = [
      described.text,
      `Sites: ${sites.map((s) => `${s.name} (${s.units} units)`).join(', ')}.`,
      `Token concepts — part of speech: ${CONCEPT_KINDS.pos.join(', ')}; lexical: ${CONCEPT_KINDS.lexical.join(', ')}; ` +
        `position and form: ${CONCEPT_KINDS.structure.join(', ')}.`,
      `Formulas: concepts with AND, OR, NOT and parentheses; functions ${TEXT_FUNCTIONS.join(', ')}: ` +
        'word("the"), after(noun, adjective) (a noun right after an adjective), depth(2) (inside two brackets).',
    ].join('\n');
    return { text, images: [], data: { ...described.data, sites, concepts: CONCEPT_KINDS } };
  },
});
