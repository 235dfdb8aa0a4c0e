import type { HypothesisEvent } from '../transcript/events.ts';
import type { ReadRun } from '../transcript/read.ts';
import { anchorId, badge, esc, evidenceLinks, type EvidenceTargets } from './html.ts';

/** Every hypothesis in the order it was recorded: status, what it revises, its evidence. */
export function hypothesesSection(run: ReadRun, targets: EvidenceTargets): string {
  const events = run.events.filter((e): e is HypothesisEvent => e.type === 'hypothesis');
  if (events.length === 0)
    return '<section id="hypotheses"><h2>Hypotheses</h2><p class="muted">No hypothesis was recorded.</p></section>';
  const items = events.map(({ ref, hypothesis: h }) => {
    const revises =
      h.revises !== undefined
        ? ` <span class="muted">revises</span> ${evidenceLinks([h.revises], targets)}`
        : '';
    return [
      `<li id="${anchorId('hyp', h.id)}" class="${esc(h.status)}">`,
      `<strong>${esc(h.id)}</strong> ${badge(h.status, h.status)}${revises}`,
      ` <span class="muted">recorded in</span> <a href="#${anchorId('call', ref)}">${esc(ref)}</a>`,
      `<div>${esc(h.text)}</div>`,
      `<div class="muted">evidence: ${evidenceLinks(h.evidence, targets)}</div>`,
      '</li>',
    ].join('');
  });
  return `<section id="hypotheses"><h2>Hypotheses</h2><ol class="timeline">\n${items.join('\n')}\n</ol></section>`;
}
