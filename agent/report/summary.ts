import type { ReadRun } from '../transcript/read.ts';
import type { AnswerEvent, RunStartEvent } from '../transcript/events.ts';
import { anchorId, badge, esc, evidenceLinks, type EvidenceTargets } from './html.ts';
import { formatDate } from './format.ts';

/** The top of the report: what was asked of what, by whom, when, how it ended — and the answer. */

export function titleOf(run: ReadRun): string {
  return `aia run ${run.header.id}: ${run.header.question}`;
}

/**
 * Damage found when the run was read (a broken chain, a replaced blob, an edited header), first on the
 * page: what follows is what was left, and the reader must know not to take it as the whole run.
 */
export function problemsSection(run: ReadRun): string {
  if (run.problems.length === 0) return '';
  return [
    '<section id="problems" class="problems">',
    `<h2>This run is damaged: ${run.problems.length} problem${run.problems.length === 1 ? '' : 's'}</h2>`,
    '<p>It is not what was recorded. What follows is what could be read; do not rely on it as the whole run.</p>',
    `<ul>${run.problems.map((p) => `<li>${esc(p)}</li>`).join('')}</ul>`,
    '</section>',
  ].join('\n');
}

export function summarySection(run: ReadRun): string {
  const { header } = run;
  const start = run.events.find((e): e is RunStartEvent => e.type === 'run_start');
  const unit = header.unit ?? start?.unit;
  const rows: [string, string][] = [
    ['subject', `<code>${esc(header.subject.ref)}</code>`],
    ...(unit !== undefined ? ([['unit', `<code>${esc(unit)}</code>`]] as [string, string][]) : []),
    ['backbone', `${esc(header.config.backbone)} · <code>${esc(header.config.model)}</code>`],
    ['date', esc(formatDate(header.createdAt))],
    ['status', badge(header.status, header.status)],
    ['seed', esc(String(header.config.seed))],
    ['run', `<code>${esc(header.id)}</code>`],
    [
      'aia',
      esc(
        `${header.versions.aia}${header.versions.git ? ` (${header.versions.git})` : ''}, node ${header.versions.node}`,
      ),
    ],
  ];
  if (header.config.replayOf !== undefined)
    rows.push(['replay of', `<code>${esc(header.config.replayOf)}</code>`]);
  if (header.result?.error !== undefined)
    rows.push(['error', `<span class="missing">${esc(header.result.error)}</span>`]);
  const warnings = run.warnings.length
    ? `<div class="warnings"><strong>Reading this run:</strong><ul>${run.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul></div>`
    : '';
  return [
    `<header><h1>${esc(header.question)}</h1>`,
    `<table class="meta">${rows.map(([k, v]) => `<tr><td>${esc(k)}</td><td>${v}</td></tr>`).join('')}</table>`,
    warnings,
    '</header>',
  ].join('\n');
}

/** The answer: the last one submitted (a later submit_answer replaces an earlier one). */
export function answerSection(run: ReadRun, targets: EvidenceTargets): string {
  const event = run.events.filter((e): e is AnswerEvent => e.type === 'answer').at(-1);
  const answer = event?.answer ?? run.header.result?.answer;
  if (answer === undefined)
    return `<section id="answer"><h2>Answer</h2><p class="muted">No answer was submitted (status: ${esc(run.header.status)}).</p></section>`;
  const pct = Math.max(0, Math.min(1, answer.confidence)) * 100;
  const from = event
    ? ` <span class="muted">submitted in <a href="#${anchorId('call', event.ref)}">${esc(event.ref)}</a></span>`
    : '';
  return [
    '<section id="answer"><h2>Answer</h2><div class="answer">',
    `<p class="description">${esc(answer.description)}</p>`,
    answer.formula !== undefined ? `<p>formula: <code>${esc(answer.formula)}</code></p>` : '',
    answer.unit !== undefined ? `<p>unit: <code>${esc(answer.unit)}</code></p>` : '',
    `<p>confidence: <span class="confidence"><span style="width:${pct.toFixed(0)}%"></span></span> ${esc(answer.confidence.toFixed(2))}</p>`,
    `<p>evidence: ${evidenceLinks(answer.evidence, targets)}${from}</p>`,
    '</div></section>',
  ].join('\n');
}
