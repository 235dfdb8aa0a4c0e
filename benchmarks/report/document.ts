/**
 * A report as plain structure (headings, sentences, tables), built once (model.ts) and rendered as
 * Markdown and as HTML, so the two formats can never disagree about a number.
 */
export interface Table {
  header: string[];
  rows: string[][];
  /** Per column: numbers read best right-aligned. */
  align?: ('left' | 'right')[];
}

export interface Section {
  heading: string;
  /** Sentences before the tables. */
  paragraphs: string[];
  /** A bulleted list after the paragraphs. */
  bullets?: string[];
  tables: { caption?: string; table: Table }[];
}

export interface ReportDocument {
  title: string;
  /** One line under the title: what ran and how far it got. */
  subtitle: string;
  sections: Section[];
}
