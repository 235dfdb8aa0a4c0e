import type { Command } from 'commander';
import type { AskOptions } from '../actions/ask.ts';

/**
 * `aia ask <subject> "<question>"`: one investigation. Only the command's definition lives here; the
 * work is in cli/actions/ask.ts, loaded when the command runs, so `aia --help` starts at once.
 */

export function registerAskCommand(program: Command): void {
  program
    .command('ask')
    .description('investigate a question about a subject with an agent; prints the answer and the run path')
    .argument(
      '<subject>',
      'zoo name, .onnx file, synthetic:… (e.g. synthetic:maia/mono-dog), or synthetic-text:… (e.g. synthetic-text:pos-noun)',
    )
    .argument('<question>', 'the question, e.g. "what does this unit detect?"')
    .option('--unit <site:index>', 'the unit the question is about')
    .option(
      '--backbone <name>',
      'anthropic | openai | langchain | dissect | replay (default: anthropic or openai when its key is set, else dissect)',
    )
    .option(
      '--model <name>',
      'model name (default: ANTHROPIC_MODEL / OPENAI_MODEL, else the backbone default); langchain: <provider>:<model>',
    )
    .option('--replay <run>', 'with --backbone replay: the run whose model outputs to re-drive')
    .option('--max-steps <n>', 'budget: model turns (default 40)')
    .option('--max-cost <usd>', 'budget: USD (default 5)')
    .option('--max-time <seconds>', 'budget: wall time (default 1800)')
    .option('--max-images <n>', 'images any one request may carry (default 16)')
    .option('--cache <mode>', 'model-call cache: off | read | write | strict (default write; off offline)')
    .option('--seed <n>', 'seed of the probe set and seeded tools', '1')
    .option(
      '--probe-set-size <n>',
      "stimuli in the subject's default set: scenes (default 1000), or texts for a text subject (default 400)",
    )
    .option('--out <dir>', 'run directory (default runs/<time>-<question>)')
    .option('--report', "also write the run's HTML report (report.html in the run directory)")
    .option('--json', 'print the result as JSON')
    .action(async (subject: string, question: string, opts: AskOptions) => {
      const { runAsk } = await import('../actions/ask.ts');
      await runAsk(subject, question, opts);
    });
}
