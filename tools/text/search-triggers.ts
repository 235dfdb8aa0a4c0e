import { z } from 'zod';
import { insertPhrase, nextTokenBehaviour } from '../../subjects/language-model/behaviour-experiments.ts';
import type { LanguageModel } from '../../subjects/language-model/index.ts';
import type { TextToolContext } from '../text-context.ts';
import { defineTool, ToolError } from '../tool.ts';
import { BehaviourArg, behaviourOf, percent, PositionArg, promptsFor } from './behaviour-args.ts';
import { asToolError, languageModelOf } from './language-model.ts';

const Input = z.strictObject({
  source: z
    .enum(['vocabulary', 'corpus', 'given'])
    .default('vocabulary')
    .describe(
      "where candidates come from: 'vocabulary' (every whole-word token of the model's vocabulary), 'corpus' " +
        "(words and two-word phrases of the held-out texts, most frequent first), 'given' (the candidates list)",
    ),
  candidates: z
    .array(z.string().trim().min(1).max(200))
    .min(1)
    .max(2000)
    .optional()
    .describe("phrases to score (source 'given')"),
  extend: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe('a phrase to grow: each candidate is scored both before it and after it (one word longer)'),
  position: PositionArg,
  prompts: z
    .number()
    .int()
    .min(1)
    .max(16)
    .default(4)
    .describe('neutral corpus prompts each candidate is inserted into'),
  max_candidates: z.number().int().min(1).max(5000).default(2000).describe('most candidates scored'),
  top: z.number().int().min(1).max(30).default(10).describe('how many of the best candidates to list'),
  behaviour: BehaviourArg,
});
type Args = z.output<typeof Input>;

export interface TriggerCandidate {
  phrase: string;
  /** Mean probability over the prompts that the next token shows the behaviour, with the phrase inserted. */
  score: number;
  /** score − the same without any insertion. */
  lift: number;
}

export interface SearchTriggersData {
  behaviour: string;
  source: string;
  extend?: string;
  position: string;
  prompts: string[];
  /** Mean next-token behaviour probability on the prompts as they are. */
  baseline: number;
  scored: number;
  top: TriggerCandidate[];
}

/** Whole-word entries of the vocabulary (a leading space, then letters), as words. */
function vocabularyWords(model: LanguageModel): string[] {
  const words = new Set<string>();
  for (let id = 0; id < model.tokenizer.vocabSize; id++) {
    const text = model.tokenizer.tokenText(id);
    if (/^ \p{L}[\p{L}'-]*$/u.test(text)) words.add(text.trim());
  }
  return [...words];
}

/** Words and two-word phrases of the agent's texts, most frequent first (ties: first seen). */
function corpusPhrases(ctx: TextToolContext): string[] {
  const counts = new Map<string, number>();
  for (const text of ctx.texts().texts) {
    const words = text.tokens.map((t) => t.text).filter((w) => /\p{L}/u.test(w));
    words.forEach((w, i) => {
      counts.set(w, (counts.get(w) ?? 0) + 1);
      const next = words[i + 1];
      if (next !== undefined) counts.set(`${w} ${next}`, (counts.get(`${w} ${next}`) ?? 0) + 1);
    });
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([phrase]) => phrase);
}

function candidatesOf(args: Args, ctx: TextToolContext, model: LanguageModel): string[] {
  if (args.source === 'given') {
    if (!args.candidates?.length)
      throw new ToolError("search_triggers: source 'given' needs a candidates list", 'search_triggers');
    return [...new Set(args.candidates)];
  }
  if (args.candidates?.length)
    throw new ToolError(
      `search_triggers: candidates are only read with source 'given' (source is '${args.source}')`,
      'search_triggers',
    );
  return args.source === 'vocabulary' ? vocabularyWords(model) : corpusPhrases(ctx);
}

/**
 * search_triggers: score many candidate phrases, each inserted into a few neutral prompts, by the
 * probability that the next token shows the behaviour — one forward pass per insertion, no generation —
 * and list the best. A cheap screen: confirm what it finds with test_trigger.
 */
export const searchTriggersTool = defineTool({
  name: 'search_triggers',
  description:
    'Search for a phrase that triggers a behaviour: insert each candidate (whole-word tokens of the vocabulary, ' +
    'words and two-word phrases of the corpus, or your own) into a few neutral prompts and score it by the ' +
    'probability that the next token shows the behaviour (one forward pass each, no generation), against the ' +
    "prompts without it. 'extend' grows a found phrase by one word on either side. Confirm the best with test_trigger.",
  input: Input,
  cost: (args) => {
    const candidates = Math.min(
      args.max_candidates,
      args.source === 'given' ? (args.candidates?.length ?? 0) : 5000,
    );
    const each = args.extend ? 2 : 1;
    return {
      pixelOps: 0,
      forwardPasses: candidates * each * args.prompts,
      detail: `${candidates}${each === 2 ? ' × 2 sides' : ''} candidates × ${args.prompts} prompts`,
      shrink: 'fewer max_candidates or fewer prompts',
    };
  },
  async execute(args: Args, ctx: TextToolContext, options) {
    const model = languageModelOf(ctx, 'search_triggers');
    const behaviour = behaviourOf(args.behaviour);
    const prompts = promptsFor(ctx, 'search_triggers', undefined, args.prompts);
    // A phrase that shows the behaviour itself (a word in capitals) causes it trivially: it is no trigger.
    const pool = candidatesOf(args, ctx, model)
      .filter((c) => c !== args.extend && behaviour.tokenSign(c) <= 0)
      .slice(0, args.max_candidates);
    const phrases = args.extend ? pool.flatMap((c) => [`${c} ${args.extend}`, `${args.extend} ${c}`]) : pool;
    const inserted = phrases.flatMap((phrase) => prompts.map((p) => insertPhrase(p, phrase, args.position)));
    const [base, scores] = await asToolError('search_triggers', async () => [
      await nextTokenBehaviour(model, prompts, behaviour),
      await nextTokenBehaviour(model, inserted, behaviour, { signal: options.signal }),
    ]);
    const baseline = base.reduce((a, s) => a + s, 0) / prompts.length;
    const ranked: TriggerCandidate[] = phrases
      .map((phrase, i) => {
        let sum = 0;
        for (let k = 0; k < prompts.length; k++) sum += scores[i * prompts.length + k] as number;
        const score = sum / prompts.length;
        return { phrase, score, lift: score - baseline };
      })
      .sort((a, b) => b.score - a.score || a.phrase.localeCompare(b.phrase));
    const data: SearchTriggersData = {
      behaviour: behaviour.name,
      source: args.source,
      ...(args.extend ? { extend: args.extend } : {}),
      position: args.position,
      prompts,
      baseline,
      scored: phrases.length,
      top: ranked.slice(0, args.top),
    };
    return {
      text: [
        `${phrases.length} candidate phrases (${args.source}${args.extend ? `, extending "${args.extend}"` : ''}) ` +
          `inserted at the ${args.position} of ${prompts.length} neutral prompts; probability that the next token ` +
          `shows ${behaviour.name}: ${percent(baseline)} without any insertion.`,
        'best candidates (probability with it, lift):',
        ...data.top.map(
          (c) => `  "${c.phrase}": ${percent(c.score)} (${c.lift >= 0 ? '+' : ''}${percent(c.lift)})`,
        ),
      ].join('\n'),
      images: [],
      data,
    };
  },
});
