import { createHash } from 'node:crypto';
import type { Backbone, ContentPart, ModelRequest } from '../../agent/backbone.ts';
import { renderPrompt } from '../../prompts/index.ts';
import { pearson } from '../../tools/metrics/correlation.ts';
import { encodePng } from '../../util/image.ts';
import { createRandom, hashString, type Random } from '../../util/random.ts';
import type { Task } from '../suite.ts';
import { heldOutData, type HeldOutData } from './held-out.ts';
import { noAnswer, type ScoredAnswer, type ScoreOptions, type ScorerResult } from './types.ts';

/**
 * The simulation scorer: explain → simulate → score (Bills et al. 2023, "Language models can explain
 * neurons in language models", OpenAI). A judge model reads only the explanation and predicts the
 * unit's activation (0–10) on held-out stimuli it has never seen scored; the score is the Pearson
 * correlation between its predictions and the unit's true activations. As in the paper the stimuli
 * mix the unit's top-activating held-out scenes with random ones (the paper's "top-and-random"
 * scoring: 5 top + 5 random excerpts per neuron), so an explanation must both pick out what drives
 * the unit and stay quiet elsewhere. Stimuli are shown in a seeded order, the same for every answer
 * to a task.
 *
 * Headline: max(0, r). Chance is 0 (predictions unrelated to the unit have r ≈ 0); the chance floor
 * reported beside it (`floor95`) is the 95th percentile of r for random predictions on these exact
 * activations (seeded permutations), so with 10 stimuli an r below about 0.55 is indistinguishable
 * from guessing. For scale: the paper's explanations of GPT-2 XL neurons averaged a top-and-random
 * score of about 0.15 with GPT-4 as explainer and simulator (Bills et al. 2023, Fig. 4 / §4).
 */
export const SIMULATION_CHANCE = 0;
export const DEFAULT_SIMULATION_TOP = 5;
export const DEFAULT_SIMULATION_RANDOM = 5;
const PERMUTATIONS = 2000;
const SYSTEM =
  'You simulate units of vision models: from an explanation, predict how strongly the unit responds to each image.';

/** The held-out scenes the judge simulates, in the order shown: top-activating and random, shuffled. */
export function simulationStimuli(
  task: Task,
  data: HeldOutData,
  counts: { top: number; random: number } = {
    top: DEFAULT_SIMULATION_TOP,
    random: DEFAULT_SIMULATION_RANDOM,
  },
): number[] {
  const order = Array.from(data.truth, (_, i) => i).sort(
    (a, b) => (data.truth[b] ?? 0) - (data.truth[a] ?? 0) || a - b,
  );
  const top = order.slice(0, counts.top);
  const random = createRandom(hashString(`simulation\n${task.id}`));
  const rest = shuffle(random, order.slice(counts.top)).slice(0, counts.random);
  return shuffle(random, [...top, ...rest]);
}

function shuffle<T>(random: Random, items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/**
 * The judge's predictions, one per stimulus: lines `k: value` (also `k. value`, `k) value`, `k - value`),
 * values clipped to 0..10. Undefined for a stimulus the reply gives no number for.
 */
export function parseSimulation(reply: string, count: number): (number | undefined)[] {
  const out: (number | undefined)[] = Array.from({ length: count }, () => undefined);
  for (const match of reply.matchAll(/(?:^|\n)\s*(?:image\s*)?(\d+)\s*[:.)\-=]\s*(-?\d+(?:\.\d+)?)/gi)) {
    const k = Number(match[1]) - 1;
    const value = Number(match[2]);
    if (k >= 0 && k < count && out[k] === undefined && Number.isFinite(value))
      out[k] = Math.min(10, Math.max(0, value));
  }
  return out;
}

/** The 95th percentile of r between random orderings of `truth` and `truth` (seeded): the chance floor. */
export function chanceFloor(truth: readonly number[], seed: number): number {
  if (truth.length < 3) return 1;
  const random = createRandom(seed);
  const rs: number[] = [];
  for (let i = 0; i < PERMUTATIONS; i++) {
    const r = pearson(shuffle(random, [...truth]), truth);
    rs.push(Number.isNaN(r) ? 0 : r);
  }
  rs.sort((a, b) => a - b);
  return rs[Math.floor(0.95 * rs.length)] ?? 1;
}

async function imagePart(data: HeldOutData, index: number, caption: string): Promise<ContentPart> {
  const [image] = await data.set.images([index]);
  if (!image) throw new Error(`held-out set ${data.set.id} has no scene ${index}`);
  const png = await encodePng(image);
  return { type: 'image', sha256: createHash('sha256').update(png).digest('hex'), png, caption };
}

export async function scoreSimulation(
  task: Task,
  answer: ScoredAnswer | undefined,
  options: ScoreOptions & { judge: Backbone },
): Promise<ScorerResult> {
  if (!answer) return noAnswer(SIMULATION_CHANCE);
  const data = await heldOutData(task, options.cacheDir);
  const stimuli = simulationStimuli(task, data);
  const truth = stimuli.map((i) => data.truth[i] ?? 0);
  if (!(data.range > 0)) {
    return { score: 0, chance: SIMULATION_CHANCE, detail: 'the unit is constant on the held-out scenes' };
  }
  const content: ContentPart[] = [
    {
      type: 'text',
      text: renderPrompt('simulate-unit', { description: answer.description.trim(), count: stimuli.length }),
    },
  ];
  for (const [k, scene] of stimuli.entries()) {
    content.push({ type: 'text', text: `Image ${k + 1}:` }, await imagePart(data, scene, `Image ${k + 1}`));
  }
  const request: ModelRequest = {
    system: SYSTEM,
    messages: [{ role: 'user', content }],
    tools: [],
    maxOutputTokens: 20 * stimuli.length,
    toolChoice: 'auto',
  };
  const reply = await options.judge.next(request);
  const parsed = parseSimulation(reply.text, stimuli.length);
  const missing = parsed.filter((v) => v === undefined).length;
  // A stimulus the judge skipped is predicted at the middle of the scale: it neither helps nor hurts much.
  const predictions = parsed.map((v) => v ?? 5);
  const r = pearson(predictions, truth);
  const floor = chanceFloor(truth, hashString(`simulation-floor\n${task.id}`));
  const score = Number.isNaN(r) ? 0 : Math.max(0, r);
  return {
    score,
    chance: SIMULATION_CHANCE,
    detail:
      `r ${Number.isNaN(r) ? 'n/a (constant predictions)' : r.toFixed(3)} between the judge's predictions and the unit on ` +
      `${stimuli.length} held-out scenes (${Math.min(DEFAULT_SIMULATION_TOP, stimuli.length)} top-activating, the rest random); ` +
      `chance floor (95th percentile of random predictions) ${floor.toFixed(3)}` +
      (missing > 0 ? `; ${missing} image(s) without a prediction, taken as 5` : ''),
    metrics: { r: Number.isNaN(r) ? 0 : r, floor95: floor, stimuli: stimuli.length, missing },
  };
}
