import type { Backbone } from '../agent/backbone.ts';
import { createBackbone } from '../agent/backbones/index.ts';
import { defaultCacheRoot } from '../tools/context.ts';
import { randomBaseline, scoreAnswer, type TaskScores } from './scorers/index.ts';
import { Task } from './suite.ts';
import type { BenchAnswer, BenchTask, ScoreMap, ScoreOptions } from './task-run.ts';

/**
 * The suite's scorers as the runner calls them: the task (plain JSON after crossing a process
 * boundary) is validated back into a suite Task, the judge named on the command line is built once
 * per process, and the scores come back as the runner's ScoreMap.
 */

const judges = new Map<string, Backbone>();

/**
 * `--judge anthropic`, `--judge openai:gpt-4.1-mini`: a backbone name with an optional model after
 * the first colon, built as `aia ask` builds it (keys from the environment).
 */
function judgeBackbone(spec: string): Backbone {
  let judge = judges.get(spec);
  if (!judge) {
    const colon = spec.indexOf(':');
    const name = colon < 0 ? spec : spec.slice(0, colon);
    const model = colon < 0 ? undefined : spec.slice(colon + 1);
    judge = createBackbone(name, { question: '', seed: 1, env: process.env, ...(model ? { model } : {}) });
    judges.set(spec, judge);
  }
  return judge;
}

function toScoreMap(scores: TaskScores): ScoreMap {
  const out: ScoreMap = {};
  for (const [name, result] of Object.entries(scores)) {
    if (!result) continue;
    out[name] = {
      score: result.score,
      chance: result.chance,
      detail: result.detail,
      ...(result.metrics !== undefined ? { metrics: result.metrics } : {}),
    };
  }
  return out;
}

export async function scoreTask(
  task: BenchTask,
  answer: BenchAnswer | undefined,
  options: ScoreOptions,
): Promise<ScoreMap> {
  const scores = await scoreAnswer(Task.parse(task), answer, {
    cacheDir: options.cacheDir ?? defaultCacheRoot(),
    ...(options.judge !== undefined ? { judge: judgeBackbone(options.judge) } : {}),
  });
  return toScoreMap(scores);
}

/**
 * The random-description baseline, scored without the judge: a judge model's verdict on a random
 * description costs a model call per task to learn what the chance floor already says.
 */
export async function randomBaselineScores(task: BenchTask, options: ScoreOptions): Promise<ScoreMap> {
  const scores = await randomBaseline(Task.parse(task), { cacheDir: options.cacheDir ?? defaultCacheRoot() });
  return toScoreMap(scores);
}
