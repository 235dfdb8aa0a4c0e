import { investigate, type InvestigationResult } from '../../agent/investigate.ts';
import { defaultBackboneName } from '../../agent/backbones/index.ts';
import type { CacheMode } from '../../agent/model-cache.ts';
import { writeReport } from '../../agent/report/index.ts';
import { readRun } from '../../agent/transcript/read.ts';
import { InputError } from '../../util/errors.ts';
import { printResult } from '../output.ts';

/**
 * `aia ask <subject> "<question>"`: one investigation. Prints the answer and where the run was written
 * (the transcript, and `aia report <run>` for a readable page). Ctrl-C stops it cleanly: the transcript
 * keeps every finished step and the run is marked interrupted.
 */

export interface AskOptions {
  unit?: string;
  backbone?: string;
  model?: string;
  maxSteps?: string;
  maxCost?: string;
  maxTime?: string;
  maxImages?: string;
  cache?: string;
  seed: string;
  probeSetSize?: string;
  out?: string;
  json?: boolean;
  report?: boolean;
  replay?: string;
}

const CACHE_MODES: CacheMode[] = ['off', 'read', 'write', 'strict'];

function numberOption(
  value: string | undefined,
  name: string,
  min: number,
  integer: boolean,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n)))
    throw new InputError(`${name} must be ${integer ? 'an integer' : 'a number'} ≥ ${min}, got '${value}'`);
  return n;
}

/** The work of `aia ask`: options checked, the investigation run, the answer printed. */
export async function runAsk(subject: string, question: string, opts: AskOptions): Promise<void> {
  const backbone = opts.backbone ?? defaultBackboneName(process.env);
  if (opts.cache !== undefined && !CACHE_MODES.includes(opts.cache as CacheMode))
    throw new InputError(`--cache must be one of ${CACHE_MODES.join(', ')}, got '${opts.cache}'`);
  const maxSteps = numberOption(opts.maxSteps, '--max-steps', 1, true);
  const maxCostUsd = numberOption(opts.maxCost, '--max-cost', 0, false);
  const maxWallSeconds = numberOption(opts.maxTime, '--max-time', 1, false);
  const maxImages = numberOption(opts.maxImages, '--max-images', 0, true);
  const seed = numberOption(opts.seed, '--seed', 0, true) ?? 1;
  const probeSetSize = numberOption(opts.probeSetSize, '--probe-set-size', 1, true);

  const controller = new AbortController();
  const stop = () => {
    process.stderr.write('\naia: stopping after the current step (Ctrl-C again to quit now)\n');
    controller.abort();
    process.once('SIGINT', () => process.exit(130));
  };
  process.once('SIGINT', stop);
  process.stderr.write(`aia: investigating with ${backbone}…\n`);
  let result: InvestigationResult;
  try {
    result = await investigate({
      subject,
      question,
      backbone,
      seed,
      signal: controller.signal,
      ...(opts.unit !== undefined ? { unit: opts.unit } : {}),
      ...(opts.model !== undefined ? { model: opts.model } : {}),
      ...(opts.replay !== undefined ? { replayOf: opts.replay } : {}),
      ...(opts.out !== undefined ? { runDir: opts.out } : {}),
      ...(probeSetSize !== undefined ? { probeSetSize } : {}),
      ...(opts.cache !== undefined ? { cacheMode: opts.cache as CacheMode } : {}),
      budget: {
        ...(maxSteps !== undefined ? { maxSteps } : {}),
        ...(maxCostUsd !== undefined ? { maxCostUsd } : {}),
        ...(maxWallSeconds !== undefined ? { maxWallSeconds } : {}),
      },
      window: maxImages !== undefined ? { maxImages } : {},
    });
  } finally {
    process.removeListener('SIGINT', stop);
  }
  const report = opts.report ? writeReport(readRun(result.runDir)) : undefined;
  printResult(opts.json === true, { ...result, ...(report ? { report } : {}) }, () =>
    describeResult(result, report),
  );
  if (result.status === 'error') process.exitCode = 1;
}

function describeResult(result: InvestigationResult, report: string | undefined): string {
  const lines: string[] = [];
  if (result.answer) {
    lines.push(`Answer: ${result.answer.description}`);
    if (result.answer.formula) lines.push(`Formula: ${result.answer.formula}`);
    lines.push(`Confidence: ${result.answer.confidence}`);
    if (result.answer.evidence.length) lines.push(`Evidence: ${result.answer.evidence.join(', ')}`);
  } else {
    lines.push(`No answer (${result.status}${result.error ? `: ${result.error}` : ''}).`);
  }
  const supported = result.hypotheses.filter((h) => h.status !== 'proposed');
  if (supported.length) {
    lines.push('Hypotheses:');
    for (const h of result.hypotheses) lines.push(`  ${h.id} [${h.status}] ${h.text}`);
  }
  const cost = result.costUsd !== undefined ? `, $${result.costUsd.toFixed(4)}` : '';
  lines.push(
    `Status: ${result.status}; ${result.steps} steps, ${result.toolCalls} tool calls, ` +
      `${result.usage.inputTokens + result.usage.outputTokens} tokens${cost}, ${(result.wallMs / 1000).toFixed(1)} s`,
  );
  lines.push(`Run: ${result.runDir}`);
  lines.push(report ? `Report: ${report}` : `Report: aia report ${result.runDir}`);
  return lines.join('\n');
}
