import type { ModelCallEvent, RunEndEvent } from '../transcript/events.ts';
import type { ReadRun } from '../transcript/read.ts';
import { formatInt, formatMs, formatUsd } from './format.ts';
import { details, esc, table } from './html.ts';

/**
 * What the run cost: totals (from its end record when it has one, else summed from its model calls,
 * so an interrupted run still shows what it spent) and one row per model call.
 */

interface Totals {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number | undefined;
  steps: number;
  toolCalls: number;
  wallMs: number | undefined;
}

function totals(run: ReadRun, calls: ModelCallEvent[]): Totals {
  const end = run.events.find((e): e is RunEndEvent => e.type === 'run_end');
  const sum = (pick: (c: ModelCallEvent) => number | undefined) =>
    calls.reduce((s, c) => s + (pick(c) ?? 0), 0);
  const priced = calls.some((c) => c.costUsd !== undefined);
  const usage = end?.usage;
  return {
    inputTokens: usage?.inputTokens ?? sum((c) => c.usage.inputTokens),
    outputTokens: usage?.outputTokens ?? sum((c) => c.usage.outputTokens),
    cacheReadTokens: usage?.cacheReadTokens ?? sum((c) => c.usage.cacheReadTokens),
    cacheWriteTokens: usage?.cacheWriteTokens ?? sum((c) => c.usage.cacheWriteTokens),
    costUsd: end?.costUsd ?? run.header.result?.costUsd ?? (priced ? sum((c) => c.costUsd) : undefined),
    steps: end?.steps ?? run.header.result?.steps ?? new Set(calls.map((c) => c.step)).size,
    toolCalls: run.events.filter((e) => e.type === 'tool_call').length,
    wallMs: end?.wallMs ?? run.header.result?.wallMs,
  };
}

const num = (n: number) => `<span class="num">${formatInt(n)}</span>`;

export function usageSection(run: ReadRun): string {
  const calls = run.events.filter((e): e is ModelCallEvent => e.type === 'model_call');
  const t = totals(run, calls);
  const summary: [string, string][] = [
    ['input tokens', num(t.inputTokens)],
    ['output tokens', num(t.outputTokens)],
    ...(t.cacheReadTokens || t.cacheWriteTokens
      ? ([
          ['cache read tokens', num(t.cacheReadTokens)],
          ['cache write tokens', num(t.cacheWriteTokens)],
        ] as [string, string][])
      : []),
    ['cost', esc(formatUsd(t.costUsd))],
    ['steps', num(t.steps)],
    ['tool calls', num(t.toolCalls)],
    ['wall time', t.wallMs === undefined ? 'unknown' : esc(formatMs(t.wallMs))],
  ];
  const perCall = table(
    ['step', 'model', 'input', 'output', 'request tokens', 'images', 'cost', 'time', 'stop', 'cached'],
    calls.map((c) => [
      String(c.step),
      `<code>${esc(c.response.model || c.model)}</code>`,
      num(c.usage.inputTokens),
      num(c.usage.outputTokens),
      num(c.requestTokens),
      num(c.requestImages),
      esc(formatUsd(c.costUsd)),
      esc(formatMs(c.durationMs)),
      esc(c.response.stopReason),
      c.cached ? 'yes' : '',
    ]),
  );
  return [
    '<section id="usage"><h2>Usage and cost</h2>',
    `<table class="meta">${summary.map(([k, v]) => `<tr><td>${esc(k)}</td><td class="num">${v}</td></tr>`).join('')}</table>`,
    calls.length ? details(`${calls.length} model call${calls.length === 1 ? '' : 's'}`, perCall) : '',
    '</section>',
  ].join('\n');
}
