import { createHash } from 'node:crypto';
import type { Backbone, ContentPart, ModelRequest } from '../../agent/backbone.ts';
import { renderPrompt } from '../../prompts/index.ts';
import { encodePng } from '../../util/image.ts';
import { createRandom, hashString, type Random } from '../../util/random.ts';
import type { Task } from '../suite.ts';
import { firingScenes, heldOutData, type HeldOutData } from './held-out.ts';
import { noAnswer, type ScoredAnswer, type ScoreOptions, type ScorerResult } from './types.ts';

/**
 * The judge scorer (FIND-style unit tests): a judge model reads only the description and picks,
 * among three held-out images, the one that drives the unit; the other two are images on which the
 * unit is clearly silent. Images are chosen with the unit's true activations, seeded by the task id,
 * so every answer to a task faces the same tests. Score: the fraction of trials picked right; chance
 * 1/3. The prompt is prompts/judge-unit-test.md.
 */
export const JUDGE_CHANCE = 1 / 3;
export const DEFAULT_JUDGE_TRIALS = 5;
const LETTERS = ['A', 'B', 'C'] as const;
const SYSTEM = 'You judge descriptions of what units of vision models respond to. Answer with one letter.';

/** The letter a judge's reply picks, or undefined when it names none unambiguously. */
export function parseJudgeLetter(reply: string): 'A' | 'B' | 'C' | undefined {
  const text = reply.trim();
  const bare = /^[(*\s]*([ABC])[)*.:\s]*$/.exec(text);
  if (bare) return bare[1] as 'A' | 'B' | 'C';
  const stated = /\b(?:answer|image|choice|pick)\s*(?:is|:|-)?\s*[(*]*([ABC])\b/i.exec(text);
  if (stated) return stated[1]?.toUpperCase() as 'A' | 'B' | 'C';
  const first = /^[(*]*([ABC])\b/.exec(text);
  return first ? (first[1] as 'A' | 'B' | 'C') : undefined;
}

interface Trial {
  /** Held-out scene indices in the order shown (A, B, C). */
  scenes: number[];
  /** Position of the scene that drives the unit. */
  answer: number;
}

function sample(random: Random, pool: readonly number[], count: number): number[] {
  const left = [...pool];
  const out: number[] = [];
  while (out.length < count && left.length > 0) {
    const [index] = left.splice(Math.floor(random() * left.length), 1);
    if (index !== undefined) out.push(index);
  }
  return out;
}

/** The trials of a task: the same for every answer (seeded by the task id). */
export function judgeTrials(task: Task, data: HeldOutData, trials: number): Trial[] | string {
  const positives = firingScenes(data);
  // Silent: in the bottom quarter of the unit's held-out range, well clear of the firing threshold.
  const silentBelow = data.threshold - data.range / 4;
  const negatives: number[] = [];
  data.truth.forEach((value, i) => {
    if (value < silentBelow) negatives.push(i);
  });
  if (positives.length === 0 || negatives.length < 2) {
    return `the held-out set has ${positives.length} scene(s) where the unit fires and ${negatives.length} where it is silent`;
  }
  const random = createRandom(hashString(`judge\n${task.id}`));
  const drivers = sample(random, positives, trials);
  return drivers.map((driver) => {
    const others = sample(random, negatives, 2);
    const answer = Math.floor(random() * 3);
    const scenes = [...others];
    scenes.splice(answer, 0, driver);
    return { scenes, answer };
  });
}

async function imagePart(data: HeldOutData, index: number, caption: string): Promise<ContentPart> {
  const [image] = await data.set.images([index]);
  if (!image) throw new Error(`held-out set ${data.set.id} has no scene ${index}`);
  const png = await encodePng(image);
  return { type: 'image', sha256: createHash('sha256').update(png).digest('hex'), png, caption };
}

export async function scoreJudge(
  task: Task,
  answer: ScoredAnswer | undefined,
  options: ScoreOptions & { judge: Backbone },
): Promise<ScorerResult> {
  if (!answer) return noAnswer(JUDGE_CHANCE);
  const data = await heldOutData(task, options.cacheDir);
  const trials = judgeTrials(task, data, options.judgeTrials ?? DEFAULT_JUDGE_TRIALS);
  if (typeof trials === 'string') {
    return {
      score: JUDGE_CHANCE,
      chance: JUDGE_CHANCE,
      detail: `no unit test possible (${trials}); scored at chance`,
    };
  }
  const prompt = renderPrompt('judge-unit-test', { description: answer.description.trim() });
  let correct = 0;
  let unreadable = 0;
  const picks: string[] = [];
  for (const trial of trials) {
    const content: ContentPart[] = [{ type: 'text', text: prompt }];
    for (const [position, scene] of trial.scenes.entries()) {
      const letter = LETTERS[position] ?? '?';
      content.push(
        { type: 'text', text: `Image ${letter}:` },
        await imagePart(data, scene, `Image ${letter}`),
      );
    }
    const request: ModelRequest = {
      system: SYSTEM,
      messages: [{ role: 'user', content }],
      tools: [],
      maxOutputTokens: 50,
      toolChoice: 'auto',
    };
    const reply = await options.judge.next(request);
    const letter = parseJudgeLetter(reply.text);
    if (letter === undefined) unreadable++;
    if (letter !== undefined && LETTERS.indexOf(letter) === trial.answer) correct++;
    picks.push(`${letter ?? '?'}/${LETTERS[trial.answer]}`);
  }
  return {
    score: correct / trials.length,
    chance: JUDGE_CHANCE,
    detail:
      `${correct} of ${trials.length} unit tests right (picked/true: ${picks.join(' ')})` +
      (unreadable > 0 ? `; ${unreadable} repl${unreadable === 1 ? 'y' : 'ies'} named no letter` : ''),
    metrics: { correct, trials: trials.length, unreadable },
  };
}
