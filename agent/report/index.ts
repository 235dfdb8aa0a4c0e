import { existsSync, statSync, writeFileSync } from 'node:fs';
import { InputError } from '../../util/errors.ts';
import { join, resolve } from 'node:path';
import type { ReadRun } from '../transcript/read.ts';
import { answerSection, problemsSection, summarySection, titleOf } from './summary.ts';
import { experimentsSection } from './experiments.ts';
import { hypothesesSection } from './hypotheses.ts';
import { usageSection } from './usage.ts';
import { anchorId, esc, page, type EvidenceTargets } from './html.ts';
import { REPORT_STYLE } from './style.ts';
import { redactSecrets, secretValues } from '../../util/secrets.ts';

/**
 * `aia report`: one run as one self-contained HTML file (inline style, images as data: URLs, no
 * scripts), readable offline and safe to share: every run-provided text is escaped and no secret
 * from the environment can appear in it.
 */

/** Every id the run's evidence lists may cite, with its anchor: tool-call refs and hypothesis ids. */
function evidenceTargets(run: ReadRun): EvidenceTargets {
  const targets = new Map<string, string>();
  for (const event of run.events) {
    if (event.type === 'tool_call') targets.set(event.ref, anchorId('call', event.ref));
    if (event.type === 'hypothesis' && !targets.has(event.hypothesis.id))
      targets.set(event.hypothesis.id, anchorId('hyp', event.hypothesis.id));
  }
  return targets;
}

export function renderReport(run: ReadRun, env: NodeJS.ProcessEnv = process.env): string {
  const targets = evidenceTargets(run);
  const nav =
    '<nav class="muted"><a href="#answer">answer</a> · <a href="#hypotheses">hypotheses</a> · ' +
    '<a href="#experiments">experiments</a> · <a href="#usage">usage and cost</a></nav>';
  const body = [
    problemsSection(run),
    summarySection(run),
    nav,
    answerSection(run, targets),
    hypothesesSection(run, targets),
    experimentsSection(run),
    usageSection(run),
    `<footer class="muted"><p>Written by aia from ${esc(run.dir)}.</p></footer>`,
  ].join('\n');
  const secrets = secretValues(env);
  // A secret may appear as written or HTML-escaped: both forms are removed.
  const title = `${run.problems.length > 0 ? '[damaged] ' : ''}${titleOf(run)}`;
  return redactSecrets(page(title, REPORT_STYLE, body), [...secrets, ...secrets.map(esc)]);
}

/** Write the report of a run; default `<run>/report.html`. Returns the absolute path. */
export function writeReport(run: ReadRun, out?: string): string {
  const path = resolve(out ?? join(run.dir, 'report.html'));
  if (out !== undefined && existsSync(path) && statSync(path).isDirectory())
    throw new InputError(
      `--out ${path} is a directory; name the HTML file to write, e.g. ${join(path, 'report.html')}`,
    );
  writeFileSync(path, renderReport(run));
  return path;
}
