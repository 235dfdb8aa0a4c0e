import { esc } from '../../agent/report/html.ts';
import type { ModelComparison } from '../../tools/analysis/model-comparison.ts';
import { classTable, mainTable, patternTable, type PaperFigures } from './table.ts';

/**
 * `aia compare`'s HTML report: grouped bar charts (inline SVG, no scripts) of accuracy, EA_PG and
 * EA_IoU per concept — one group per set and saliency method, one bar per model — then per-class
 * EA_PG charts and the tables stdout prints.
 */

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];
const f = (v: number) => v.toFixed(2);

interface Group {
  label: string;
  values: (number | undefined)[];
}

/** A grouped bar chart of values in [0, 1]: one group per label, one bar per series. */
function barChart(title: string, series: readonly string[], groups: readonly Group[]): string {
  const bar = 18;
  const gap = 22;
  const groupWidth = series.length * bar + gap;
  const left = 40;
  const height = 180;
  const top = 36;
  const width = left + groups.length * groupWidth + 20;
  const y = (v: number) => top + height - v * height;
  const parts: string[] = [`<text x="${left}" y="16" font-size="13" font-weight="bold">${esc(title)}</text>`];
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(
      `<line x1="${left}" x2="${width - 10}" y1="${y(t)}" y2="${y(t)}" stroke="#ddd"/>`,
      `<text x="${left - 6}" y="${y(t) + 4}" font-size="10" text-anchor="end">${t}</text>`,
    );
  }
  groups.forEach((g, i) => {
    const x0 = left + i * groupWidth + gap / 2;
    g.values.forEach((v, s) => {
      if (v === undefined) return;
      const x = x0 + s * bar;
      parts.push(
        `<rect x="${x}" y="${y(v)}" width="${bar - 2}" height="${height - (y(v) - top)}" fill="${PALETTE[s % PALETTE.length]}"><title>${esc(`${series[s]}, ${g.label}: ${f(v)}`)}</title></rect>`,
        `<text x="${x + (bar - 2) / 2}" y="${y(v) - 3}" font-size="8" text-anchor="middle">${f(v)}</text>`,
      );
    });
    parts.push(
      `<text x="${x0 + (series.length * bar) / 2}" y="${top + height + 14}" font-size="10" text-anchor="middle">${esc(g.label)}</text>`,
    );
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${top + height + 26}" role="img" aria-label="${esc(title)}">${parts.join('')}</svg>`;
}

function legend(models: readonly string[]): string {
  return `<p class="legend">${models
    .map((m, i) => `<span><i style="background:${PALETTE[i % PALETTE.length]}"></i>${esc(m)}</span>`)
    .join(' ')}</p>`;
}

function table({ header, rows }: { header: string[]; rows: string[][] }): string {
  return `<table><thead><tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

export function comparisonHtml(comparison: ModelComparison, paper?: PaperFigures): string {
  const { models, methods } = comparison;
  const concepts = [...new Set(comparison.reports.flatMap((r) => r.concepts.map((c) => c.concept)))];
  const report = (model: string, set: string, method: string) =>
    comparison.reports.find((r) => r.subject === model && r.set === set && r.method === method);
  const charts: string[] = [];
  for (const method of methods) {
    const groups = (
      value: (set: string, model: string) => number | undefined,
      label: (set: string) => string,
    ) => comparison.sets.map(({ set }) => ({ label: label(set), values: models.map((m) => value(set, m)) }));
    charts.push(`<h2>${esc(method)} saliency</h2>`);
    charts.push(
      barChart(
        'accuracy',
        models,
        groups(
          (s, m) => report(m, s, method)?.accuracy,
          (s) => s,
        ),
      ),
    );
    for (const key of ['pointing', 'iou'] as const) {
      for (const concept of concepts) {
        const value = (s: string, m: string) => {
          const c = report(m, s, method)?.concepts.find((x) => x.concept === concept);
          return c && c.images > 0 ? c[key] : undefined;
        };
        charts.push(
          barChart(
            `${key === 'pointing' ? 'EA_PG' : 'EA_IoU'} ${concept}`,
            models,
            groups(value, (s) => s),
          ),
        );
      }
    }
  }
  // Per class, on each set: EA_PG of every concept, for the first method.
  const method = methods[0] as string;
  const perClass = comparison.sets.flatMap(({ set }) =>
    concepts.map((concept) => {
      const labels = report(models[0] as string, set, method)?.classes.map((c) => c.label) ?? [];
      const groups = labels.map((label) => ({
        label: label.length > 9 ? `${label.slice(0, 8)}…` : label,
        values: models.map((m) => {
          const a = report(m, set, method)
            ?.classes.find((c) => c.label === label)
            ?.concepts.find((c) => c.concept === concept);
          return a && a.images > 0 ? a.pointing : undefined;
        }),
      }));
      return barChart(`${set}: EA_PG ${concept} per class (${method})`, models, groups);
    }),
  );
  const sets = comparison.sets
    .map((s) => `<li><b>${esc(`${s.dataset}/${s.set}`)}</b>: ${esc(s.description)}</li>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>aia compare: ${esc(models.join(', '))}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;max-width:1150px;color:#222}
svg{margin:6px 12px 12px 0;vertical-align:top}
table{border-collapse:collapse;margin:8px 0 20px;font-size:12px}
td,th{border:1px solid #ccc;padding:3px 6px;text-align:left}
th{background:#f4f4f4}
.legend span{margin-right:16px}.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px}
</style></head><body>
<h1>Explanation alignment: ${esc(models.join(' vs '))}</h1>
<p>Saliency of each image's predicted class, binarised at mean + 1 std of the normalised map. EA_IoU: IoU of that region with the
concept's exact mask; EA_PG (pointing game): the share of images whose saliency peak falls in the mask (Bang, Boggust &amp; Satyanarayan 2024).</p>
<ul>${sets}</ul>
${legend(models)}
${charts.join('\n')}
<h2>Per class</h2>
${legend(models)}
${perClass.join('\n')}
<h2>Tables</h2>
${table(mainTable(comparison, paper))}
${paper ? `<p>Paper: ${esc(paper.source)}</p>` : ''}
${table(patternTable(comparison))}
${table(classTable(comparison))}
</body></html>
`;
}
