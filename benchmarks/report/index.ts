import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderHtml } from './html.ts';
import { loadBaselines, loadRun } from './load.ts';
import { renderMarkdown } from './markdown.ts';
import { buildReport } from './model.ts';

export { buildReport } from './model.ts';
export { loadBaselines, loadRun, type RunData } from './load.ts';
export { renderHtml } from './html.ts';
export { renderMarkdown } from './markdown.ts';

/**
 * Write `report.md` and `report.html` of a benchmark run from its files alone (with its baseline runs
 * beside it when they exist). Returns the two paths.
 */
export function writeReports(dir: string): { markdown: string; html: string } {
  const main = loadRun(dir);
  const document = buildReport(main, loadBaselines(main));
  const markdown = join(main.dir, 'report.md');
  const html = join(main.dir, 'report.html');
  writeFileSync(markdown, renderMarkdown(document));
  writeFileSync(html, renderHtml(document));
  return { markdown, html };
}
