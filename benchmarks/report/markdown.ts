import type { ReportDocument, Table } from './document.ts';

/** The report as GitHub-flavoured Markdown. */
export function renderMarkdown(document: ReportDocument): string {
  const out: string[] = [`# ${inline(document.title)}`, '', inline(document.subtitle), ''];
  for (const section of document.sections) {
    out.push(`## ${inline(section.heading)}`, '');
    for (const paragraph of section.paragraphs) out.push(inline(paragraph), '');
    if (section.bullets && section.bullets.length > 0)
      out.push(...section.bullets.map((b) => `- ${inline(b)}`), '');
    for (const { caption, table } of section.tables) {
      if (caption !== undefined) out.push(`### ${inline(caption)}`, '');
      out.push(renderTable(table), '');
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function renderTable(table: Table): string {
  const row = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
  const rule = table.header.map((_, i) => (table.align?.[i] === 'right' ? '---:' : '---'));
  return [row(table.header), `| ${rule.join(' | ')} |`, ...table.rows.map(row)].join('\n');
}

/** A table cell: pipes and line breaks would end the cell or the row. */
function cell(text: string): string {
  return inline(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Text that must not start Markdown constructs it never meant (HTML tags, emphasis in ids). */
function inline(text: string): string {
  return text.replace(/</g, '&lt;').replace(/([*_`])/g, '\\$1');
}
