import { formatVerifyResult, verifyPassed, verifyReadRun, type VerifyResult } from '../../agent/verify.ts';
import { readRun, resolveRunDir, type ReadRun } from '../../agent/transcript/read.ts';
import { InputError } from '../../util/errors.ts';
import { Progress } from '../../util/progress.ts';
import { printResult } from '../output.ts';

/**
 * The work of `aia replay <run>` (defined in cli/commands/replay.ts): what a recorded run did, and
 * with --verify whether today's tools still give the results it recorded (every tool call re-run,
 * result hashes compared; exit code 1 on any divergence). Re-driving the recorded model outputs through the agent loop is `aia ask` with the
 * replay backbone; this command prints that command line.
 */

export interface ReplayOptions {
  verify?: boolean;
  json?: boolean;
  probeSetSize?: string;
}

function positiveInteger(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100_000)
    throw new InputError(`${name} must be an integer from 1 to 100000, got '${value}'`);
  return n;
}

/** A word as a POSIX shell reads it back unchanged. */
function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The command that re-drives the run's recorded model outputs through the loop. */
export function redriveCommand(run: ReadRun): string {
  const { header } = run;
  return [
    'aia',
    'ask',
    header.subject.ref,
    header.question,
    ...(header.unit !== undefined ? ['--unit', header.unit] : []),
    '--backbone',
    'replay',
    '--replay',
    run.dir,
    '--seed',
    String(header.config.seed),
  ]
    .map(shellWord)
    .join(' ');
}

/** The recorded run in a few lines (or, with --json, its header, counts and warnings). */
export function summarizeRun(run: ReadRun): { text: string; json: unknown } {
  const { header, events } = run;
  const count = (type: string) => events.filter((e) => e.type === type).length;
  const end = events.find((e) => e.type === 'run_end');
  const usage = end?.type === 'run_end' ? end.usage : header.result?.usage;
  const costUsd = end?.type === 'run_end' ? end.costUsd : header.result?.costUsd;
  // The last answer submitted (a later one replaces it), even when the run never got to record its end.
  const answer =
    events.flatMap((e) => (e.type === 'answer' ? [e.answer] : [])).at(-1) ?? header.result?.answer;
  const hypotheses = events.flatMap((e) => (e.type === 'hypothesis' ? [e.hypothesis] : []));
  const lines = [
    ...(run.problems.length > 0
      ? [
          `DAMAGED: ${run.problems.length} problem${run.problems.length === 1 ? '' : 's'} (listed below); this is not the run as recorded`,
        ]
      : []),
    `run ${header.id} (${run.dir})`,
    `question: ${header.question}`,
    `subject: ${header.subject.ref}${header.unit !== undefined ? `, unit ${header.unit}` : ''}`,
    `backbone: ${header.config.backbone}, model ${header.config.model}, seed ${header.config.seed}`,
    `created: ${header.createdAt}, status ${header.status}`,
    `${count('model_call')} model calls, ${count('tool_call')} tool calls` +
      (usage ? `, ${usage.inputTokens} input / ${usage.outputTokens} output tokens` : '') +
      (costUsd !== undefined ? `, $${costUsd.toFixed(4)}` : ''),
    ...hypotheses.map((h) => `${h.id} [${h.status}] ${h.text}`),
    answer
      ? `answer: ${answer.description}${answer.formula ? ` (formula: ${answer.formula})` : ''}, confidence ${answer.confidence}`
      : 'answer: none',
    ...run.warnings.map((w) => `warning: ${w}`),
    ...run.problems.map((p) => `problem: ${p}`),
    '',
    `check that every experiment still gives the recorded result: aia replay ${shellWord(run.dir)} --verify`,
    `re-drive the recorded model outputs through the agent loop: ${redriveCommand(run)}`,
  ];
  const json = {
    run: run.dir,
    header,
    modelCalls: count('model_call'),
    toolCalls: count('tool_call'),
    hypotheses,
    warnings: run.warnings,
    problems: run.problems,
    redrive: redriveCommand(run),
  };
  return { text: lines.join('\n'), json };
}

/**
 * `aia replay <run> --verify`: re-run every tool call, print "N tool calls re-run, 0 divergences" or
 * each divergence (--json: the structured result), and set exit code 1 on any divergence.
 */
export async function runReplayVerify(
  runRef: string,
  options: { json?: boolean; probeSetSize?: number; cacheDir?: string } = {},
): Promise<VerifyResult> {
  const run = readRun(resolveRunDir(runRef));
  const calls = run.events.filter((e) => e.type === 'tool_call').length;
  const progress = new Progress('re-running tool calls', calls);
  const result = await verifyReadRun(run, {
    progress: true,
    onProgress: (done) => progress.update(done),
    ...(options.probeSetSize !== undefined ? { probeSetSize: options.probeSetSize } : {}),
    ...(options.cacheDir !== undefined ? { cacheDir: options.cacheDir } : {}),
  });
  progress.done();
  printResult(options.json === true, result, () => formatVerifyResult(result));
  if (!verifyPassed(result)) process.exitCode = 1;
  return result;
}

/** `aia replay <run>`: the run's summary, or with --verify every tool call re-run and compared. */
export async function runReplay(runRef: string, opts: ReplayOptions): Promise<void> {
  if (opts.verify) {
    await runReplayVerify(runRef, {
      json: opts.json === true,
      ...(opts.probeSetSize !== undefined
        ? { probeSetSize: positiveInteger(opts.probeSetSize, '--probe-set-size') }
        : {}),
    });
    return;
  }
  const run = readRun(resolveRunDir(runRef));
  const summary = summarizeRun(run);
  printResult(opts.json === true, summary.json, () => summary.text);
  if (run.problems.length > 0) process.exitCode = 1;
}
