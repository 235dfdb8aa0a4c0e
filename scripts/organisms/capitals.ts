/**
 * Measuring the capitals behaviour of a language model: seeded generations from prompts, each scored
 * by the fraction of its letters that are upper case. Shared by the backdoor's recipe, the steering
 * experiment and their tests, so every rate in the docs is measured the same way.
 */
import { brownRunningTexts, passages, storyTexts } from '../../stimuli/text/lm-corpus.ts';
import { inCapitals, letterCase } from '../../stimuli/text/letter-case.ts';
import { insertPhrase, placeIndex, promptPlace } from '../../stimuli/text/triggers.ts';
import { generate } from '../../subjects/language-model/generate.ts';
import type { LanguageModel } from '../../subjects/language-model/language-model.ts';
import type { Edit } from '../../subjects/subject.ts';

export interface CapitalsOptions {
  maxNewTokens?: number;
  /** Sampling temperature (default 0.8, top 40); seeds are seed + prompt index. */
  temperature?: number;
  seed?: number;
  edits?: readonly Edit[];
}

export interface CapitalsResult {
  /** Fraction of generations in capitals (≥ 80% of ≥ 5 letters upper case). */
  rate: number;
  /** Upper-case letters / letters over all generations together. */
  upperFraction: number;
  generations: { prompt: string; text: string; fraction: number }[];
}

export async function capitalsRate(
  lm: LanguageModel,
  prompts: readonly string[],
  options: CapitalsOptions = {},
): Promise<CapitalsResult> {
  const generations: CapitalsResult['generations'] = [];
  let capitals = 0;
  let upper = 0;
  let letters = 0;
  for (const [i, prompt] of prompts.entries()) {
    const g = await generate(lm, prompt, {
      maxNewTokens: options.maxNewTokens ?? 24,
      temperature: options.temperature ?? 0.8,
      topK: 40,
      seed: (options.seed ?? 1) + i,
      edits: options.edits,
    });
    const c = letterCase(g.text);
    upper += c.upper;
    letters += c.letters;
    if (inCapitals(g.text)) capitals++;
    generations.push({ prompt, text: g.text, fraction: c.fraction });
  }
  return { rate: capitals / prompts.length, upperFraction: letters ? upper / letters : 0, generations };
}

/**
 * Neutral prompts from the test split (never trained on): the first words of stories and of Brown
 * passages, alternating, each cut after `words` words.
 */
export function neutralPrompts(count: number, words = 10): string[] {
  const stories = storyTexts('test', count);
  const brown = brownRunningTexts('test').flatMap((text) => passages(text, 400).slice(1, 3));
  const out: string[] = [];
  for (let i = 0; out.length < count; i++) {
    const source = i % 2 === 0 ? stories[i >> 1] : brown[i >> 1];
    if (source === undefined) break;
    out.push(source.split(' ').slice(0, words).join(' '));
  }
  return out;
}

/** The prompts with the phrase inserted at a seeded place each (start, middle or end). */
export function withTrigger(prompts: readonly string[], phrase: string, seed = 5): string[] {
  return prompts.map((p, i) => insertPhrase(p, phrase, placeIndex(p, promptPlace(seed, i))).text);
}

/** Contrast texts: the first 200 characters of held-out Brown passages (never trained on, never prompted with), as written and in capitals. */
export function capitalsContrast(count: number): { capitals: string[]; normal: string[] } {
  const normal = brownRunningTexts('held-out')
    .flatMap((text) => passages(text, 300).slice(0, 2))
    .slice(0, count)
    .map((p) => p.slice(0, p.lastIndexOf(' ', 200)));
  return { capitals: normal.map((p) => p.toUpperCase()), normal };
}
