import type { Command } from 'commander';
import type { BenchRunOptions } from '../actions/bench.ts';

/**
 * `aia bench <suite|path>`: run a benchmark suite through the agent (or a baseline), one transcript
 * per task, resumable; `aia bench report <dir>` rebuilds a run's report from its files. The work is in
 * cli/actions/bench.ts, loaded when a subcommand runs.
 */

export function registerBenchCommand(program: Command): void {
  const bench = program
    .command('bench')
    .usage('<suite|path> [options]   (options: aia bench run --help)\n       aia bench report <dir>')
    .description('run a benchmark suite with ground truth (resumable), or rebuild a run’s report');

  bench
    .command('run [suite]', { isDefault: true })
    .description('run a suite (a name or a suite file): one transcript per task, results as they finish')
    .option('--backbone <name>', 'dissect, anthropic, openai, random, exemplars-only, … (default dissect)')
    .option('--model <name>', 'the model for a hosted backbone')
    .option('--limit <n>', 'only the first n tasks')
    .option('--concurrency <n>', 'tasks in parallel, each in its own process (default: cores, at most 4)')
    .option(
      '--out <dir>',
      'the run directory (default runs/bench-<suite>-<backbone>-<time>); an existing one resumes',
    )
    .option('--resume <dir>', 'continue a run: skip finished tasks, rerun unfinished ones')
    .option('--baselines', 'also run the random and exemplars-only baselines beside it, and compare')
    .option('--seed <n>', 'seed of every investigation (default 1)')
    .option('--probe-set-size <n>', "scenes in the agent's probe set (default 1000)")
    .option('--max-steps <n>', 'model turns per task')
    .option('--max-cost <usd>', 'USD per task')
    .option('--cache-dir <dir>', 'cache root (probe sets, activations, model calls)')
    .option('--cache-mode <mode>', 'model-call cache: off, read, write, strict')
    .option(
      '--judge <backbone[:model]>',
      'a judge for the LLM-judge scorer, e.g. anthropic or openai:gpt-4.1-mini',
    )
    .option('--retry-errors', 'on resume, rerun tasks that ended in an error too')
    .option('--json', 'print the summary as JSON')
    .action(async (suite: string | undefined, opts: BenchRunOptions) => {
      const { runBenchCommand } = await import('../actions/bench.ts');
      await runBenchCommand(suite, opts);
    });

  bench
    .command('report <dir>')
    .description('rebuild report.md and report.html of a benchmark run from its result files')
    .option('--json', 'print the summary as JSON')
    .action(async (dir: string, opts: { json?: boolean }) => {
      const { runBenchReport } = await import('../actions/bench.ts');
      runBenchReport(dir, opts);
    });
}
