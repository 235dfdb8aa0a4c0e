/**
 * Scorers tested as instruments (issue 19): on synthetic units, for every scorer, the exact answer
 * (the unit's own formula and description) must score above a near miss (one concept or condition
 * wrong, benchmarks/scorers/near-miss.ts), which must score above the random description, on at
 * least 95% of tasks. Prints the fractions per scorer (strictly ordered, and each comparison alone)
 * and writes them as JSON.
 *
 *   npx tsx scripts/scorer-sanity.ts [suite…] [--every K] [--only ID,ID…] [--out FILE] [--cache-dir DIR]
 *
 * --every K keeps every K-th task of each suite (default 1: all). The judge and simulation scorers
 * need a judge model and are not run here.
 *
 * Two checks keep the comparison honest, and each is counted in the output:
 * - a near miss whose formula takes the same value as the truth's on every scoring scene is no miss on
 *   that set (the held-out scenes cannot tell them apart): it is skipped and the next candidate taken;
 * - a random description that names one of the truth's concepts or a relative of one (a category above
 *   it, a member below it, a sibling beside it) is not unrelated to the unit: it is redrawn with the
 *   next seed.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { nearMissCandidates, type NearMiss, type NearMissKind } from '../benchmarks/scorers/near-miss.ts';
import { randomAnswer, releaseHeldOut, scoreAnswer, type ScoredAnswer } from '../benchmarks/scorers/index.ts';
import { canonicalFormula, formulaValues } from '../benchmarks/scorers/formula-values.ts';
import { heldOutData, scoringScenes } from '../benchmarks/scorers/held-out.ts';
import { randomConcepts } from '../benchmarks/scorers/random-answer.ts';
import { areSiblings } from '../benchmarks/scorers/concept.ts';
import { loadSuite, type Task } from '../benchmarks/suite.ts';
import { parseFormula } from '../subjects/synthetic/index.ts';
import { getConcept, isA } from '../stimuli/vocabulary.ts';

const OFFLINE_SCORERS = ['formula', 'concept', 'predictive'] as const;
type OfflineScorer = (typeof OFFLINE_SCORERS)[number];

interface Row {
  task: string;
  kind: NearMissKind;
  change: string;
  /** Candidates skipped because they equal the truth on every scoring scene. */
  equivalentSkipped: number;
  /** Random descriptions redrawn because they named the truth or a relative of it. */
  randomRedrawn: number;
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
  // --only id,id: re-score a few tasks (every scorer is seeded, so other rows would come out the same).
  const onlyList = option(args, '--only');
  const only = onlyList === undefined ? undefined : new Set(onlyList.split(',').map((id) => id.trim()));
  const valued = new Set(
    ['--every', '--out', '--cache-dir', '--only']
      .map((n) => args.indexOf(n))
      .filter((i) => i >= 0)
      .map((i) => i + 1),
  );
  const names = args.filter((a, i) => !a.startsWith('--') && !valued.has(i));
  const suites = names.length > 0 ? names : ['maia-synthetic', 'synthetic-hard'];
  const rows: Row[] = [];
  for (const name of suites) {
    const tasks = loadSuite(name)
      .tasks.filter((_, i) => i % every === 0)
      .filter((t) => only === undefined || only.has(t.id));
    for (const task of tasks) {
      const row = await scoreTask(task, cacheDir);
      if (row) rows.push(row);
      process.stderr.write(`${name} ${task.id}: ${row ? summary(row) : 'no formula to miss'}\n`);
    }
  }
  await releaseHeldOut();
  const report = figures(rows);
  const skipped = rows.reduce((n, r) => n + r.equivalentSkipped, 0);
  const redrawn = rows.filter((r) => r.randomRedrawn > 0).length;
  process.stdout.write(`${table(report, rows.length)}\n`);
  process.stdout.write(
    `Near misses skipped as equivalent to the truth on the held-out scenes: ${skipped} ` +
      `(on ${rows.filter((r) => r.equivalentSkipped > 0).length} tasks). Random descriptions redrawn because ` +
      `they named the truth or a relative: ${redrawn} tasks.\n`,
  );
  if (out)
    writeFileSync(out, `${JSON.stringify({ suites, every, report, skipped, redrawn, rows }, null, 1)}\n`);
}

/** The first near miss that the held-out scoring scenes can tell from the truth, and how many were not. */
async function distinctNearMiss(
  task: Task,
  truth: string,
  cacheDir: string,
): Promise<{ miss: NearMiss; skipped: number } | undefined> {
  const data = await heldOutData(task, cacheDir);
  const scenes = scoringScenes(data);
  const values = (text: string) =>
    formulaValues(canonicalFormula(parseFormula(text)).formula, data.set, data.grid, scenes);
  const exact = values(truth);
  let skipped = 0;
  for (const miss of nearMissCandidates(truth, task.id)) {
    const near = values(miss.answer.formula ?? '');
    if (near.every((v, i) => v === exact[i])) skipped++;
    else return { miss, skipped };
  }
  return undefined;
}

/** Redraws allowed before a task is reported without an unrelated random description. */
const MAX_REDRAWS = 50;

/** The task's random description, redrawn while it names a truth concept or a relative of one. */
function unrelatedRandom(task: Task): { answer: ScoredAnswer; redrawn: number } {
  const truth = (task.truth.concepts ?? []).filter((c) => getConcept(c) !== undefined);
  const related = (c: string) => truth.some((t) => isA(c, t) || isA(t, c) || areSiblings(c, t));
  for (let redrawn = 0; redrawn < MAX_REDRAWS; redrawn++) {
    const key = redrawn === 0 ? task.id : `${task.id}\nredraw ${redrawn}`;
    if (!randomConcepts(key).some(related)) return { answer: randomAnswer(key), redrawn };
  }
  throw new Error(`${task.id}: no random description unrelated to the truth in ${MAX_REDRAWS} draws`);
}

async function scoreTask(task: Task, cacheDir: string): Promise<Row | undefined> {
  if (!task.truth.formula) return undefined;
  const found = await distinctNearMiss(task, task.truth.formula, cacheDir);
  if (!found) return undefined;
  const { miss, skipped } = found;
  const scored: Task = { ...task, scorers: [...OFFLINE_SCORERS] };
  const options = { cacheDir };
  const exact = await scoreAnswer(
    scored,
    { description: task.truth.description, formula: task.truth.formula },
    options,
  );
  const near = await scoreAnswer(scored, miss.answer, options);
  const drawn = unrelatedRandom(task);
  const random = await scoreAnswer(scored, drawn.answer, options);
  const scores = Object.fromEntries(
    OFFLINE_SCORERS.map((s) => [
      s,
      { exact: exact[s]?.score ?? 0, near: near[s]?.score ?? 0, random: random[s]?.score ?? 0 },
    ]),
  ) as Row['scores'];
  return {
    task: task.id,
    kind: miss.kind,
    change: miss.change,
    equivalentSkipped: skipped,
    randomRedrawn: drawn.redrawn,
    scores,
  };
}

function summary(row: Row): string {
  return (
    OFFLINE_SCORERS.map((s) => {
      const { exact, near, random } = row.scores[s];
      return `${s} ${exact.toFixed(2)}/${near.toFixed(2)}/${random.toFixed(2)}`;
    }).join('  ') +
    `  (near miss: ${row.change}${row.equivalentSkipped ? `, ${row.equivalentSkipped} equivalent skipped` : ''}` +
    `${row.randomRedrawn ? `; random redrawn ${row.randomRedrawn}×` : ''})`
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
