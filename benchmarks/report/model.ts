import { basename } from 'node:path';
import type { ResultLine } from '../results.ts';
import { primaryScore, primaryScorer, summarize, type GroupSummary, type ScoreStats } from '../summary.ts';
import type { ReportDocument, Section, Table } from './document.ts';
import type { RunData } from './load.ts';
import { answerText, clip, duration, integer, score, signed, truthText, usd } from './text.ts';

/**
 * What a benchmark report says, built from result files only: scores per family beside the chance
 * floor, the random-description baseline and the baseline runs (with the margins stated), cost, and
 * plainly where the agent fails.
 */

/** How many of the worst tasks "Where it fails" lists. */
const WORST = 10;

export function buildReport(main: RunData, baselineRuns: readonly RunData[] = []): ReportDocument {
  const { summary } = main;
  const name = runName(main);
  // Baselines are compared on the tasks both runs finished, so a shorter baseline run cannot flatter
  // or shame the main one by covering different tasks.
  const finishedIds = new Set(main.results.map((line) => line.id));
  const baselines = baselineRuns.map((run) => ({
    name: runName(run),
    run,
    shared: sharedSummary(run, finishedIds),
  }));
  const t = summary.tasks;
  return {
    title: `Benchmark ${summary.suite}: ${name}`,
    subtitle:
      `${t.finished} of ${t.total} tasks finished${summary.complete ? '' : ' (incomplete: resume to finish)'}; ` +
      `${t.answered} answered, ${t.noAnswer} without an answer, ${t.budget} out of budget, ${plural(t.errors, 'error')}. ` +
      `Seed ${summary.seed}. Built from ${basename(main.dir)}/results.jsonl.`,
    sections: [
      scoresSection(main, baselines),
      ...(baselines.length > 0 ? [marginsSection(main, baselines)] : []),
      scorersSection(main, baselines),
      costSection(main, baselines),
      failuresSection(main),
      allTasksSection(main),
    ],
  };
}

interface Baseline {
  name: string;
  run: RunData;
  /** The baseline's summary over the tasks the main run finished. */
  shared: { overall: GroupSummary; families: Record<string, GroupSummary> };
}

function runName(run: RunData): string {
  const { backbone, model } = run.header;
  return model !== undefined && model !== backbone ? `${backbone} (${model})` : backbone;
}

function sharedSummary(run: RunData, ids: ReadonlySet<string>): Baseline['shared'] {
  const lines = run.results.filter((line) => ids.has(line.id));
  const summary = summarize({ ...run.header, taskIds: lines.map((line) => line.id) }, lines);
  return { overall: summary.overall, families: summary.families };
}

/** Families in suite order, then the whole suite. */
function groups(main: RunData): { label: string; key: string | undefined; group: GroupSummary }[] {
  return [
    ...Object.entries(main.summary.families).map(([family, group]) => ({
      label: family,
      key: family,
      group,
    })),
    { label: 'all', key: undefined, group: main.summary.overall },
  ];
}

function baselineGroup(baseline: Baseline, key: string | undefined): GroupSummary | undefined {
  return key === undefined ? baseline.shared.overall : baseline.shared.families[key];
}

function scoresSection(main: RunData, baselines: readonly Baseline[]): Section {
  const name = runName(main);
  const table: Table = {
    header: [
      'family',
      'tasks',
      name,
      ...baselines.map((b) => b.name),
      'chance',
      'random description',
      ...baselines.map((b) => `margin vs ${b.name}`),
    ],
    rows: groups(main).map(({ label, key, group }) => {
      const others = baselines.map((b) => baselineGroup(b, key)?.primary.mean);
      return [
        label,
        String(group.tasks),
        score(group.primary.mean),
        ...others.map(score),
        score(group.primary.chance),
        score(group.primary.randomBaseline),
        ...others.map((other) => (other === undefined ? '–' : signed(group.primary.mean - other))),
      ];
    }),
    align: ['left', ...Array<'right'>(5 + 2 * baselines.length).fill('right')],
  };
  return {
    heading: 'Scores',
    paragraphs: [
      "Mean primary score per family (each task's first scorer). Chance is the score a chance guess " +
        'gets; random description is what the scorers give a description drawn at random from the ' +
        'vocabulary on the same tasks.' +
        (baselines.length > 0
          ? ' Baseline runs are compared on the tasks both runs finished; margin = this run minus the baseline.'
          : ' No baseline runs yet: run with --baselines to put random and exemplars-only beside these.'),
    ],
    tables: [{ table }],
  };
}

function marginsSection(main: RunData, baselines: readonly Baseline[]): Section {
  const name = runName(main);
  const bullets: string[] = [];
  for (const { label, key, group } of groups(main)) {
    const parts = baselines.flatMap((b) => {
      const other = baselineGroup(b, key);
      if (!other) return [];
      const margin = group.primary.mean - other.primary.mean;
      const versus = `(${score(group.primary.mean)} vs ${score(other.primary.mean)})`;
      if (Math.abs(margin) < 0.005) return [`ties with ${b.name} ${versus}`];
      return [
        margin > 0
          ? `beats ${b.name} by ${score(margin)} ${versus}`
          : `falls short of ${b.name} by ${score(-margin)} ${versus}`,
      ];
    });
    if (parts.length > 0)
      bullets.push(`${label === 'all' ? 'Whole suite' : label}: ${name} ${parts.join('; ')}.`);
  }
  const ranking = [
    { name, mean: main.summary.overall.primary.mean },
    ...baselines.map((b) => ({ name: b.name, mean: b.shared.overall.primary.mean })),
  ].sort((a, b) => b.mean - a.mean);
  return {
    heading: 'Against the baselines',
    paragraphs: [
      `Ranking over the whole suite: ${ranking.map((r) => `${r.name} ${score(r.mean)}`).join(' > ')}.`,
    ],
    bullets,
    tables: [],
  };
}

function scorersSection(main: RunData, baselines: readonly Baseline[]): Section {
  const scorers = Object.keys(main.summary.overall.scorers);
  const tables = scorers.map((scorer) => {
    const rows = groups(main).flatMap(({ label, key, group }) => {
      const stats: ScoreStats | undefined = group.scorers[scorer];
      if (!stats) return [];
      return [
        [
          label,
          String(stats.n),
          score(stats.mean),
          ...baselines.map((b) => score(baselineGroup(b, key)?.scorers[scorer]?.mean)),
          score(stats.chance),
          score(stats.randomBaseline),
        ],
      ];
    });
    const table: Table = {
      header: [
        'family',
        'tasks',
        runName(main),
        ...baselines.map((b) => b.name),
        'chance',
        'random description',
      ],
      rows,
      align: ['left', ...Array<'right'>(4 + baselines.length).fill('right')],
    };
    return { caption: scorer, table };
  });
  return {
    heading: 'Scores by scorer',
    paragraphs: ['Every scorer over the tasks it applies to; a task that failed before scoring counts as 0.'],
    tables,
  };
}

function costSection(main: RunData, baselines: readonly Baseline[]): Section {
  const runs = [{ name: runName(main), run: main }, ...baselines];
  const table: Table = {
    header: [
      'run',
      'tasks',
      'input tokens',
      'output tokens',
      'USD',
      'tool calls',
      'steps',
      'task time (sum)',
      'per task',
      'elapsed',
    ],
    rows: runs.map(({ name, run }) => {
      const c = run.summary.cost;
      return [
        name,
        String(run.summary.tasks.finished),
        integer(c.inputTokens),
        integer(c.outputTokens),
        usd(c.costUsd, c.pricedTasks),
        integer(c.toolCalls),
        integer(c.steps),
        duration(c.wallMs),
        duration(c.meanWallMs),
        duration(c.elapsedMs),
      ];
    }),
    align: ['left', ...Array<'right'>(9).fill('right')],
  };
  return {
    heading: 'Cost',
    paragraphs: [
      'Tokens and USD over every model call (USD only for models with a known price); task time is ' +
        'summed over tasks, elapsed is the wall-clock time of the runner sessions (tasks run in parallel).',
    ],
    tables: [{ table }],
  };
}

function failuresSection(main: RunData): Section {
  const lines = main.results;
  if (lines.length === 0)
    return { heading: 'Where it fails', paragraphs: ['No task has finished yet.'], tables: [] };
  // Scores run from 0 to 1: a task at 1 has not failed, however low it ranks.
  const worst = lines
    .filter((line) => line.status !== 'answered' || primaryScore(line) < 1)
    .sort(
      (a, b) =>
        primaryScore(a) - primaryScore(b) || failureRank(a) - failureRank(b) || a.id.localeCompare(b.id),
    )
    .slice(0, WORST);
  const paragraphs: string[] = [];
  const failed = lines.filter((line) => line.status !== 'answered');
  if (failed.length > 0)
    paragraphs.push(
      `${failed.length} of ${lines.length} tasks ended without a usable answer: ` +
        countBy(failed.map((line) => line.status)) +
        '.',
    );
  const below = lines.filter((line) => {
    const scorer = primaryScorer(line);
    const floor =
      scorer === undefined
        ? undefined
        : (line.randomBaseline?.[scorer]?.score ?? line.scores[scorer]?.chance);
    return floor !== undefined && primaryScore(line) <= floor;
  });
  if (below.length > 0)
    paragraphs.push(
      `${below.length} of ${lines.length} tasks score no better than a random description (or chance): ` +
        countBy(below.map((line) => line.family)) +
        '.',
    );
  const families = Object.entries(main.summary.families).sort(
    (a, b) => a[1].primary.mean - b[1].primary.mean,
  );
  const weakest = families[0];
  const strongest = families.at(-1);
  if (weakest && strongest && weakest[1].primary.mean < strongest[1].primary.mean)
    paragraphs.push(
      `The weakest family is ${weakest[0]} (mean ${score(weakest[1].primary.mean)} over ${plural(weakest[1].tasks, 'task')}); ` +
        `the strongest is ${strongest[0]} (mean ${score(strongest[1].primary.mean)}).`,
    );
  if (worst.length === 0) {
    paragraphs.push(`Nowhere on this suite: every task has the top primary score.`);
    return { heading: 'Where it fails', paragraphs, tables: [] };
  }
  paragraphs.push(
    `The ${worst.length === 1 ? 'one task' : `${worst.length} tasks`} with the lowest scores, with the truth and the answer given:`,
  );
  const table: Table = {
    header: ['task', 'family', 'score', 'truth', 'answer', 'why'],
    rows: worst.map((line) => [
      line.id,
      line.family,
      score(primaryScore(line)),
      clip(truthText(line.truth), 120),
      answerText(line),
      why(line),
    ]),
    align: ['left', 'left', 'right', 'left', 'left', 'left'],
  };
  return { heading: 'Where it fails', paragraphs, tables: [{ table }] };
}

/** Among equal scores, errors and missing answers first. */
function failureRank(line: ResultLine): number {
  return line.status === 'error' ? 0 : line.status === 'answered' ? 2 : 1;
}

function why(line: ResultLine): string {
  if (line.status === 'error') return clip(`error: ${line.error ?? 'unknown'}`, 160);
  if (!line.answer) return line.status === 'budget' ? 'ran out of budget before answering' : 'gave no answer';
  const details = Object.entries(line.scores).flatMap(([scorer, record]) =>
    record.detail !== undefined ? [`${scorer}: ${record.detail}`] : [],
  );
  return clip(details.join('; ') || (line.answer.formula === undefined ? 'no formula given' : ''), 200);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function countBy(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].map(([value, n]) => `${n} ${value}`).join(', ');
}

function allTasksSection(main: RunData): Section {
  const table: Table = {
    header: ['task', 'family', 'status', 'score', 'all scores', 'answer', 'tool calls', 'time'],
    rows: main.results.map((line) => [
      line.id,
      line.family,
      line.status,
      score(primaryScore(line)),
      Object.entries(line.scores)
        .map(([scorer, record]) => `${scorer} ${score(record.score)}`)
        .join(', '),
      answerText(line),
      String(line.toolCalls),
      duration(line.wallMs),
    ]),
    align: ['left', 'left', 'left', 'right', 'left', 'left', 'right', 'right'],
  };
  return {
    heading: 'All tasks',
    paragraphs: ["Each task's transcript is in tasks/<task>/ (run.json and events.jsonl)."],
    tables: [{ table }],
  };
}
