import { parsePhrase } from '../../stimuli/phrase.ts';
import { renderScene, type RenderedScene } from '../../stimuli/render.ts';
import { hashString } from '../../util/random.ts';
import type { Task } from '../suite.ts';
import { absentConcepts, extractConditions } from './conditions.ts';
import { heldOutData } from './held-out.ts';
import { contrastiveSpecs } from './contrastive.ts';
import { canonicalFormula } from './formula-values.ts';
import { parseFormula, printFormula } from '../../subjects/synthetic/index.ts';
import type { SceneSpec } from '../../stimuli/spec.ts';
import { extractMentions } from './mentions.ts';
import { driversOf, planScenePairs, type ScenePlan } from './predictive-scenes.ts';
import { planTextLinePairs, textLineDrivers, textLineScene, type TextLine } from './predictive-text-lines.ts';
import { noAnswer, type ScoredAnswer, type ScoreOptions, type ScorerResult } from './types.ts';

/**
 * The predictive scorer, for any unit, with or without ground truth: draw what the description says
 * drives the unit and a paired neutral scene without it (predictive-scenes.ts), run the unit on both,
 * and score the gap:
 *
 *   score = clip((mean predicted − mean neutral) / (held-out max − held-out min), 0, 1)
 *
 * So a description that names what really drives the unit scores near 1, one that names something
 * the unit ignores scores 0. Chance is 0. The held-out range puts units of any scale on one footing.
 */
export const PREDICTIVE_CHANCE = 0;
export const DEFAULT_PREDICTIVE_TRIALS = 8;

async function render(
  plan: ScenePlan & { line?: TextLine },
  size: { width: number; height: number },
  seed: number,
): Promise<RenderedScene> {
  if (plan.line) return renderScene(textLineScene(plan.line, size.width, size.height, seed));
  const spec = parsePhrase(plan.phrase, { width: size.width, height: size.height, seed });
  return renderScene({ ...spec, effects: [...spec.effects, ...plan.effects] });
}

/** The phrase, plus the turn that phrases cannot say. */
function planText(plan: ScenePlan | undefined): string {
  if (!plan) return '';
  return `"${plan.phrase}"${plan.effects.some((e) => e.kind === 'rotate') ? ' turned upside down' : ''}`;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / Math.max(1, values.length);
}

export async function scorePredictive(
  task: Task,
  answer: ScoredAnswer | undefined,
  options: ScoreOptions,
): Promise<ScorerResult> {
  if (!answer) return noAnswer(PREDICTIVE_CHANCE);
  // Scenes that satisfy the answer's formula and minimal pairs that break it, where it can be drawn;
  // else (no formula, text lines, or not drawable) the description's mentions.
  const fromFormula = await formulaPairs(task, answer, options);
  if (fromFormula) return fromFormula;
  const mentions = extractMentions(answer.description, answer.formula);
  const data = await heldOutData(task, options.cacheDir);
  const seed = hashString(`predictive\n${task.id}`);
  const trials = options.predictiveTrials ?? DEFAULT_PREDICTIVE_TRIALS;
  const textLines = data.set.distribution === 'text-lines';
  const lineDrivers = textLines
    ? textLineDrivers(
        mentions,
        extractConditions(answer.description, answer.formula),
        absentConcepts(answer.formula),
      )
    : undefined;
  const pairs = lineDrivers
    ? planTextLinePairs(lineDrivers, extractConditions(answer.description, answer.formula), { seed, trials })
    : planScenePairs(driversOf(mentions), { seed, trials, textLines });
  if (pairs.length === 0) {
    const undrawn = lineDrivers?.undrawable.length
      ? ` on a text line (not drawn: ${lineDrivers.undrawable.join(', ')})`
      : '';
    return {
      score: 0,
      chance: PREDICTIVE_CHANCE,
      detail: `the description names nothing that can be drawn${undrawn}`,
    };
  }
  if (!(data.range > 0)) {
    return { score: 0, chance: PREDICTIVE_CHANCE, detail: 'the unit is constant on the held-out scenes' };
  }
  const size = data.probe.sceneSize;
  const predicted: RenderedScene[] = [];
  const neutral: RenderedScene[] = [];
  const failures: string[] = [];
  for (const [t, pair] of pairs.entries()) {
    try {
      const [p, n] = await Promise.all([
        render(pair.predicted, size, seed + t),
        render(pair.neutral, size, seed + t),
      ]);
      predicted.push(p);
      neutral.push(n);
    } catch (error) {
      failures.push(`"${pair.predicted.phrase}": ${(error as Error).message}`);
    }
  }
  if (predicted.length === 0) {
    return { score: 0, chance: PREDICTIVE_CHANCE, detail: `no scene could be drawn (${failures[0] ?? ''})` };
  }
  const values = await data.probe.sceneValues([...predicted, ...neutral], data.unit.site);
  const units = values.length / (predicted.length + neutral.length);
  const column = (from: number, count: number) =>
    Array.from({ length: count }, (_, i) => values[(from + i) * units + data.unit.index] ?? 0);
  const meanPredicted = mean(column(0, predicted.length));
  const meanNeutral = mean(column(predicted.length, neutral.length));
  const gap = (meanPredicted - meanNeutral) / data.range;
  const example = pairs[0];
  return {
    score: Math.min(1, Math.max(0, gap)),
    chance: PREDICTIVE_CHANCE,
    detail:
      `mean ${meanPredicted.toFixed(3)} on ${predicted.length} predicted scenes vs ${meanNeutral.toFixed(3)} on neutral ` +
      `ones (held-out range ${data.range.toFixed(3)}); e.g. ${planText(example?.predicted)} vs ${planText(example?.neutral)}` +
      (failures.length > 0 ? `; ${failures.length} pair(s) could not be drawn` : ''),
    metrics: { gap, meanPredicted, meanNeutral, range: data.range, pairs: predicted.length },
  };
}

/**
 * With a formula (on scene subjects), the predicted scenes are built to satisfy it and each neutral
 * scene is a minimal pair that breaks it (contrastive.ts): counts, relations, sizes and places are
 * drawn as the formula says, and what it negates is kept out (`cat AND NOT snow` puts the cat
 * elsewhere than on snow). Undefined when the formula is missing, does not parse, or cannot be
 * satisfied with the vocabulary: the description's mentions are drawn instead.
 */
async function formulaPairs(
  task: Task,
  answer: ScoredAnswer,
  options: ScoreOptions,
): Promise<ScorerResult | undefined> {
  if (!answer.formula?.trim()) return undefined;
  let formula;
  try {
    formula = canonicalFormula(parseFormula(answer.formula)).formula;
  } catch {
    return undefined;
  }
  const data = await heldOutData(task, options.cacheDir);
  if (data.set.distribution === 'text-lines') return undefined;
  const trials = options.predictiveTrials ?? DEFAULT_PREDICTIVE_TRIALS;
  const { width, height } = data.probe.sceneSize;
  const { groups } = await contrastiveSpecs(formula, {
    seed: hashString(`predictive\n${task.id}`), count: trials, size: width, height, grid: data.grid,
    attempts: 60 * trials, removeCategories: true,
  }); // prettier-ignore
  const pairs = groups.filter((g) => g.broken.length > 0);
  if (pairs.length < Math.ceil(trials / 2)) return undefined;
  if (!(data.range > 0))
    return { score: 0, chance: PREDICTIVE_CHANCE, detail: 'the unit is constant on the held-out scenes' };
  const scenes = await Promise.all(
    [...pairs.map((p) => p.satisfying), ...pairs.map((p) => p.broken[0] as SceneSpec)].map((s) =>
      renderScene(s),
    ),
  );
  const values = await data.probe.sceneValues(scenes, data.unit.site);
  const units = values.length / scenes.length;
  const column = (from: number) =>
    Array.from({ length: pairs.length }, (_, i) => values[(from + i) * units + data.unit.index] ?? 0);
  const meanPredicted = mean(column(0));
  const meanNeutral = mean(column(pairs.length));
  const gap = (meanPredicted - meanNeutral) / data.range;
  return {
    score: Math.min(1, Math.max(0, gap)),
    chance: PREDICTIVE_CHANCE,
    detail:
      `gap ${gap.toFixed(3)} of the held-out range over ${pairs.length} pairs built from the formula ` +
      `${printFormula(formula)} (mean ${meanPredicted.toFixed(3)} where it holds, ${meanNeutral.toFixed(3)} on minimal ` +
      `pairs that break it)`,
    metrics: { gap, meanPredicted, meanNeutral, range: data.range, pairs: pairs.length },
  };
}
