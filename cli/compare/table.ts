import type { ModelComparison } from '../../tools/analysis/model-comparison.ts';
import type { RelianceReport } from '../../tools/analysis/reliance.ts';
import { formatTable } from '../output.ts';

/**
 * `aia compare`'s tables, as plain text (stdout) or Markdown (docs): one row per model × set ×
 * method with accuracy and EA_IoU / EA_PG per annotated concept; the Shared Interest pattern counts
 * per concept; and per class, EA_PG per concept for every model.
 */

export interface PaperFigures {
  /** `model|set` → concept → EA_PG the paper reports for the corresponding model and test set. */
  pointing: Record<string, Record<string, number>>;
  source: string;
}

const f = (v: number) => v.toFixed(2);

function conceptsOf(comparison: ModelComparison): string[] {
  return [...new Set(comparison.reports.flatMap((r) => r.concepts.map((c) => c.concept)))];
}

function cell(report: RelianceReport, concept: string, key: 'iou' | 'pointing'): string {
  const c = report.concepts.find((x) => x.concept === concept);
  return c && c.images > 0 ? f(c[key]) : '—';
}

export function mainTable(
  comparison: ModelComparison,
  paper?: PaperFigures,
): { header: string[]; rows: string[][] } {
  const concepts = conceptsOf(comparison);
  const paperColumns = paper ? concepts.map((c) => `paper EA_PG ${c}`) : [];
  const header = [
    'model',
    'set',
    'saliency',
    'accuracy',
    ...concepts.map((c) => `EA_IoU ${c}`),
    ...concepts.map((c) => `EA_PG ${c}`),
    ...paperColumns,
  ];
  const rows = comparison.reports.map((r) => {
    const figures = paper?.pointing[`${r.subject}|${r.set}`];
    return [
      r.subject,
      r.set,
      r.method,
      f(r.accuracy),
      ...concepts.map((c) => cell(r, c, 'iou')),
      ...concepts.map((c) => cell(r, c, 'pointing')),
      ...(paper ? concepts.map((c) => (figures?.[c] !== undefined ? f(figures[c] as number) : '—')) : []),
    ];
  });
  return { header, rows };
}

export function patternTable(comparison: ModelComparison): { header: string[]; rows: string[][] } {
  const rows: string[][] = [];
  for (const r of comparison.reports) {
    for (const c of r.concepts) {
      const counts = Object.entries(c.patterns)
        .sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))
        .map(([p, n]) => `${p} ${n}`)
        .join(', ');
      rows.push([r.subject, r.set, r.method, c.concept, counts || 'none']);
    }
  }
  return { header: ['model', 'set', 'saliency', 'concept', 'Shared Interest patterns (images)'], rows };
}

/** Per class: EA_PG per concept, one column per model, for the first method on each set. */
export function classTable(comparison: ModelComparison): { header: string[]; rows: string[][] } {
  const concepts = conceptsOf(comparison);
  const method = comparison.methods[0];
  const header = [
    'set',
    'class',
    ...comparison.models.flatMap((m) => ['acc', ...concepts.map((c) => `PG ${c}`)].map((h) => `${m} ${h}`)),
  ];
  const rows: string[][] = [];
  for (const { set } of comparison.sets) {
    const reports = comparison.models.map((m) =>
      comparison.reports.find((r) => r.subject === m && r.set === set && r.method === method),
    );
    const labels = reports[0]?.classes.map((c) => c.label) ?? [];
    for (const label of labels) {
      const cells = reports.flatMap((r) => {
        const cls = r?.classes.find((c) => c.label === label);
        return [
          cls ? f(cls.accuracy) : '—',
          ...concepts.map((c) => {
            const a = cls?.concepts.find((x) => x.concept === c);
            return a && a.images > 0 ? f(a.pointing) : '—';
          }),
        ];
      });
      rows.push([set, label, ...cells]);
    }
  }
  return { header, rows };
}

export function markdownTable({ header, rows }: { header: string[]; rows: string[][] }): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function describeComparison(
  comparison: ModelComparison,
  markdown: boolean,
  paper?: PaperFigures,
): string {
  const render = markdown
    ? markdownTable
    : (t: { header: string[]; rows: string[][] }) => formatTable(t.header, t.rows);
  const sets = comparison.sets.map((s) => `${s.dataset}/${s.set}: ${s.description}`).join('\n');
  return [
    `Explanation alignment of ${comparison.models.join(', ')} (saliency of the predicted class, binarised at mean + 1 std; EA_PG: the peak falls in the mask` +
      `${(comparison.reports[0]?.tolerancePx ?? 0) > 0 ? ` or within ${comparison.reports[0]?.tolerancePx} px of it` : ''}).`,
    sets,
    '',
    render(mainTable(comparison, paper)),
    ...(paper ? [`Paper: ${paper.source}`] : []),
    '',
    render(patternTable(comparison)),
    '',
    `Per class (${comparison.methods[0] ?? ''} saliency):`,
    render(classTable(comparison)),
  ].join('\n');
}
