import { errorMessage } from '../../util/errors.ts';
import type { ModelCallEvent, RunEvent, ToolCallEvent } from '../transcript/events.ts';
import { readBlob, type ReadRun } from '../transcript/read.ts';
import { clippedJson, formatInt, formatMs, prettyArguments } from './format.ts';
import { anchorId, badge, details, esc, pre } from './html.ts';
import { figure } from './images.ts';

/**
 * The investigation as it happened, step by step: what the model said (collapsed: the experiments
 * are the substance), then each experiment with its arguments, result text, images and data, and
 * any budget or error notices where they occurred.
 */

function modelCall(event: ModelCallEvent): string {
  const calls = event.response.toolCalls.map((c) => c.name).join(', ') || 'no tool calls';
  const summary =
    `model${event.final ? ' (final-answer turn)' : ''}: ${esc(calls)} ` +
    `<span class="muted">· ${formatInt(event.usage.inputTokens)} in / ${formatInt(event.usage.outputTokens)} out` +
    `${event.cached ? ' · cached' : ''}</span>`;
  const text =
    event.response.text.trim() === '' ? '<p class="muted">(no text)</p>' : pre(event.response.text);
  return details(summary, text);
}

function dataOf(dir: string, event: ToolCallEvent): string {
  if (event.dataBlob !== undefined) {
    try {
      const value = JSON.parse(readBlob(dir, event.dataBlob, 'json').toString('utf8')) as unknown;
      return details('data', pre(clippedJson(value)));
    } catch (error) {
      return `<div class="missing">data missing: ${esc(errorMessage(error))}</div>`;
    }
  }
  return event.data === undefined ? '' : details('data', pre(clippedJson(event.data)));
}

function toolCall(dir: string, event: ToolCallEvent): string {
  const args = prettyArguments(event.arguments);
  const images = event.images.length
    ? `<div class="images">${event.images.map((image) => figure(dir, image.sha256, image.caption)).join('')}</div>`
    : '';
  return [
    `<div class="call${event.ok ? '' : ' failed'}" id="${anchorId('call', event.ref)}">`,
    `<h3><a href="#${anchorId('call', event.ref)}">${esc(event.ref)}</a> <code>${esc(event.tool)}</code> `,
    event.ok ? '' : badge('error', 'error'),
    ` <span class="muted">step ${event.step} · ${esc(formatMs(event.durationMs))}</span></h3>`,
    args.valid ? pre(args.text) : `${pre(args.text)}<div class="missing">arguments are not valid JSON</div>`,
    pre(event.text, 'result'),
    images,
    dataOf(dir, event),
    '</div>',
  ].join('\n');
}

function notice(event: RunEvent): string {
  switch (event.type) {
    case 'budget':
      return `<div class="notice">budget: ${esc(event.limit)} ran out — ${esc(event.detail)}</div>`;
    case 'error':
      return `<div class="notice error">error (${esc(event.where)}): ${esc(event.message)}</div>`;
    case 'run_end':
      return `<div class="notice">run ended: ${esc(event.status)} after ${event.steps} steps</div>`;
    default:
      return '';
  }
}

export function experimentsSection(run: ReadRun): string {
  const out: string[] = ['<section id="experiments"><h2>Experiments</h2>'];
  let open = false;
  for (const event of run.events) {
    if (event.type === 'model_call') {
      if (open) out.push('</div>');
      out.push(`<div class="step" id="step-${event.step}"><h3>Step ${event.step}</h3>`, modelCall(event));
      open = true;
    } else if (event.type === 'tool_call') out.push(toolCall(run.dir, event));
    else if (
      event.type === 'budget' ||
      event.type === 'error' ||
      (event.type === 'run_end' && event.status !== 'answered')
    )
      out.push(notice(event));
  }
  if (open) out.push('</div>');
  if (!run.events.some((e) => e.type === 'tool_call'))
    out.push('<p class="muted">No experiment was run.</p>');
  out.push('</section>');
  return out.join('\n');
}
