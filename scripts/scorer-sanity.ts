/**
 * Scorers tested as instruments (issue 19): on synthetic units, for every scorer, the exact answer
 * (the unit's own formula and description) must score above a near miss (one concept or condition
 * wrong, benchmarks/scorers/near-miss.ts), which must score above the random description, on at
 * least 95% of tasks. Prints the fractions per scorer (strictly ordered, and each comparison alone)
 * and writes them as JSON.
 *
 *   npx tsx scripts/scorer-sanity.ts [suite…] [--every K] [--out FILE] [--cache-dir DIR]
 *
 * --every K keeps every K-th task of each suite (default 1: all). The judge and simulation scorers
 * need a judge model and are not run here.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { nearMiss, type NearMissKind } from '../benchmarks/scorers/near-miss.ts';
import { randomAnswer, releaseHeldOut, scoreAnswer } from '../benchmarks/scorers/index.ts';
import { loadSuite, type Task } from '../benchmarks/suite.ts';

const OFFLINE_SCORERS = ['formula', 'concept', 'predictive'] as const;
type OfflineScorer = (typeof OFFLINE_SCORERS)[number];

interface Row {
  task: string;
  kind: NearMissKind;
  change: string;
  scores: Record<OfflineScorer, { exact: number; near: number; random: number }>;
}

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const every = Number(option(args, '--every') ?? '1');
  if (!Number.isInteger(every) || every < 1)
    throw new Error(`--every must be a whole number ≥ 1, got ${every}`);
  const cacheDir = resolve(option(args, '--cache-dir') ?? process.env.AIA_CACHE_DIR ?? '.cache');
  const out = option(args, '--out');
  const valued = new Set(
    ['--every', '--out', '--cache-dir']
      .map((n) => args.indexOf(n))
      .filter((i) => i >= 0)
      .map((i) => i + 1),
  );
  const names = args.filter((a, i) => !a.startsWith('--') && !valued.has(i));
  const suites = names.length > 0 ? names : ['maia-synthetic', 'synthetic-hard'];
  const rows: Row[] = [];
  for (const name of suites) {
    const tasks = loadSuite(name).tasks.filter((_, i) => i % every === 0);
    for (const task of tasks) {
      const row = await scoreTask(task, cacheDir);
      if (row) rows.push(row);
      process.stderr.write(`${name} ${task.id}: ${row ? summary(row) : 'no formula to miss'}\n`);
    }
  }
  await releaseHeldOut();
  const report = figures(rows);
  process.stdout.write(`${table(report, rows.length)}\n`);
  if (out) writeFileSync(out, `${JSON.stringify({ suites, every, report, rows }, null, 1)}\n`);
}

async function scoreTask(task: Task, cacheDir: string): Promise<Row | undefined> {
  if (!task.truth.formula) return undefined;
  const miss = nearMiss(task.truth.formula, task.id);
  if (!miss) return undefined;
  const scored: Task = { ...task, scorers: [...OFFLINE_SCORERS] };
  const options = { cacheDir };
  const exact = await scoreAnswer(
    scored,
    { description: task.truth.description, formula: task.truth.formula },
    options,
  );
  const near = await scoreAnswer(scored, miss.answer, options);
  const random = await scoreAnswer(scored, randomAnswer(task.id), options);
  const scores = Object.fromEntries(
    OFFLINE_SCORERS.map((s) => [
      s,
      { exact: exact[s]?.score ?? 0, near: near[s]?.score ?? 0, random: random[s]?.score ?? 0 },
    ]),
  ) as Row['scores'];
  return { task: task.id, kind: miss.kind, change: miss.change, scores };
}

function summary(row: Row): string {
  return (
    OFFLINE_SCORERS.map((s) => {
      const { exact, near, random } = row.scores[s];
      return `${s} ${exact.toFixed(2)}/${near.toFixed(2)}/${random.toFixed(2)}`;
    }).join('  ') + `  (near miss: ${row.change})`
  );
}

interface Figure {
  scorer: OfflineScorer;
  kind: NearMissKind | 'all';
  tasks: number;
  ordered: number;
  exactOverNear: number;
  nearOverRandom: number;
}

function figures(rows: Row[]): Figure[] {
  const out: Figure[] = [];
  for (const scorer of OFFLINE_SCORERS) {
    for (const kind of ['all', 'concept', 'condition'] as const) {
      const kept = rows.filter((r) => kind === 'all' || r.kind === kind);
      if (kept.length === 0) continue;
      const share = (test: (s: Row['scores'][OfflineScorer]) => boolean) =>
        kept.filter((r) => test(r.scores[scorer])).length / kept.length;
      out.push({
        scorer,
        kind,
        tasks: kept.length,
        ordered: share((s) => s.exact > s.near && s.near > s.random),
        exactOverNear: share((s) => s.exact > s.near),
        nearOverRandom: share((s) => s.near > s.random),
      });
    }
  }
  return out;
}

function table(report: Figure[], n: number): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  return [
    `${n} tasks. Share of tasks where exact > near miss > random description (and each comparison alone):`,
    '| scorer | near miss | tasks | exact > near > random | exact > near | near > random |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
    ...report.map(
      (f) =>
        `| ${f.scorer} | ${f.kind} | ${f.tasks} | ${pct(f.ordered)} | ${pct(f.exactOverNear)} | ${pct(f.nearOverRandom)} |`,
    ),
  ].join('\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`scorer-sanity: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
