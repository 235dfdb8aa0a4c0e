import type { ReportDocument, Table } from './document.ts';

/** The report as one self-contained HTML page (no scripts, no external resources). */
export function renderHtml(document: ReportDocument): string {
  const body: string[] = [
    `<h1>${escape(document.title)}</h1>`,
    `<p class="sub">${escape(document.subtitle)}</p>`,
  ];
  for (const section of document.sections) {
    body.push(`<section><h2>${escape(section.heading)}</h2>`);
    for (const paragraph of section.paragraphs) body.push(`<p>${escape(paragraph)}</p>`);
    if (section.bullets && section.bullets.length > 0)
      body.push(`<ul>${section.bullets.map((b) => `<li>${escape(b)}</li>`).join('')}</ul>`);
    for (const { caption, table } of section.tables) body.push(renderTable(table, caption));
    body.push('</section>');
  }
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escape(document.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head><body>',
    ...body,
    '</body></html>',
    '',
  ].join('\n');
}

const STYLE = [
  'body{font:14px/1.45 system-ui,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}',
  'h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ddd}',
  '.sub{color:#555}',
  'table{border-collapse:collapse;margin:.5em 0 1.5em;font-size:13px}',
  'caption{text-align:left;font-weight:600;padding:.3em 0}',
  'th,td{border:1px solid #ddd;padding:.25em .5em;vertical-align:top}',
  'th{background:#f4f4f4}td.r,th.r{text-align:right;font-variant-numeric:tabular-nums}',
  'tr:nth-child(even) td{background:#fafafa}',
].join('');

function renderTable(table: Table, caption: string | undefined): string {
  const cls = (i: number) => (table.align?.[i] === 'right' ? ' class="r"' : '');
  const head = table.header.map((h, i) => `<th${cls(i)}>${escape(h)}</th>`).join('');
  const rows = table.rows
    .map((row) => `<tr>${row.map((c, i) => `<td${cls(i)}>${escape(c)}</td>`).join('')}</tr>`)
    .join('\n');
  return [
    '<table>',
    caption !== undefined ? `<caption>${escape(caption)}</caption>` : '',
    `<thead><tr>${head}</tr></thead>`,
    `<tbody>\n${rows}\n</tbody></table>`,
  ].join('');
}

function escape(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}
