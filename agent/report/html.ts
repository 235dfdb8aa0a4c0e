import { escapeControl } from '../../util/escape.ts';

/**
 * The small amount of HTML building the report needs. Everything that came from a run (model text,
 * tool output, arguments, captions) is untrusted and goes through `esc` — a hypothesis can contain
 * `<script>`, and the report must show it, not run it.
 */

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text as HTML text or attribute value; control characters shown as escapes, never passed on. */
export function esc(text: string): string {
  return escapeControl(text).replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** An anchor id for an evidence id (c3, h2): letters, digits, `-` and `_` only, so it is safe unquoted in a URL. */
export function anchorId(kind: 'call' | 'hyp', id: string): string {
  return `${kind}-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** Where each evidence id a run can cite points to. */
export type EvidenceTargets = ReadonlyMap<string, string>;

/** Evidence ids as links to their anchors; ids the run never produced stay plain (and are marked). */
export function evidenceLinks(ids: readonly string[], targets: EvidenceTargets): string {
  if (ids.length === 0) return '<span class="muted">none cited</span>';
  return ids
    .map((id) => {
      const target = targets.get(id);
      return target !== undefined
        ? `<a class="evidence" href="#${target}">${esc(id)}</a>`
        : `<span class="evidence unknown" title="not an id of this run">${esc(id)}</span>`;
    })
    .join(' ');
}

export function badge(text: string, kind: string): string {
  return `<span class="badge badge-${esc(kind)}">${esc(text)}</span>`;
}

/** A collapsed block: the summary line is HTML the caller built, the body too. */
export function details(summaryHtml: string, bodyHtml: string, open = false): string {
  return `<details${open ? ' open' : ''}><summary>${summaryHtml}</summary>${bodyHtml}</details>`;
}

export function pre(text: string, className = ''): string {
  return `<pre${className ? ` class="${className}"` : ''}>${esc(text)}</pre>`;
}

/** Rows of already-escaped cells as a table. */
export function table(headerCells: string[], rows: string[][], className = ''): string {
  const head = `<tr>${headerCells.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`;
  const body = rows.map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`).join('\n');
  return `<table${className ? ` class="${className}"` : ''}><thead>${head}</thead><tbody>${body}</tbody></table>`;
}

/** The whole page: one file, inline style, no scripts and no external requests. */
export function page(title: string, style: string, body: string): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // No network at all: images are data: URLs, so the page can say so to the browser.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">`,
    `<title>${esc(title)}</title>`,
    `<style>${style}</style>`,
    '</head>',
    '<body>',
    body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
