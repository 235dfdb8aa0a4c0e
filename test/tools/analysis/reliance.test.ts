import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../../stimuli/datasets/registry.ts';
import { measureReliance, type RelianceReport } from '../../../tools/analysis/reliance.ts';
import { saliencySettings } from '../../../tools/analysis/saliency-run.ts';
import { loadProbe, type Probe } from '../../../tools/probe/index.ts';
import { compareModels } from '../../../tools/analysis/model-comparison.ts';
import { mainTable, markdownTable } from '../../../cli/compare/table.ts';
import { comparisonHtml } from '../../../cli/compare/html.ts';
import { PAPER_FIGURES } from '../../../cli/compare/paper.ts';

/**
 * The reliance measures on the committed spurious pair, on the first images of the set whose
 * correlation is broken: the spurious model's saliency points at the square and editing the square
 * flips its predictions; the normal model's does neither.
 */

const dataset = loadDataset('fashion-mnist-square');
const settings = saliencySettings({ method: 'gradient', unit_pooling: 'mean' }, 1);
const probes: Probe[] = [];
const reports: Record<string, RelianceReport> = {};

beforeAll(async () => {
  for (const name of ['fashion-spurious', 'fashion-normal']) {
    const probe = await loadProbe(name);
    probes.push(probe);
    reports[name] = await measureReliance(probe, dataset, 'broken', { settings, limit: 60 });
  }
}, 60_000);
afterAll(async () => {
  for (const probe of probes) await probe.dispose();
});

const concept = (r: RelianceReport | undefined, name: string) => r?.concepts.find((c) => c.concept === name);
const edit = (r: RelianceReport | undefined, describes: RegExp) =>
  r?.edits.find((e) => describes.test(e.describes));

describe('measureReliance', () => {
  it('separates the spurious model from the normal one by where saliency points', () => {
    const spurious = reports['fashion-spurious'];
    const normal = reports['fashion-normal'];
    expect(concept(spurious, 'square')?.pointing).toBeGreaterThan(0.7);
    expect(concept(spurious, 'garment')?.pointing).toBeLessThan(0.3);
    expect(concept(normal, 'square')?.pointing).toBeLessThan(0.1);
    expect(spurious?.accuracy).toBeLessThan(0.4);
    expect(normal?.accuracy).toBeGreaterThan(0.7);
    expect(spurious?.classes.reduce((n, c) => n + c.images, 0)).toBe(60);
  });

  it('measures counterfactual edits: recolouring the square flips the spurious model only', () => {
    const recolour = /square recoloured/;
    expect(edit(reports['fashion-spurious'], recolour)?.changed).toBeGreaterThan(0.5);
    expect(edit(reports['fashion-normal'], recolour)?.changed).toBeLessThan(0.1);
    expect(edit(reports['fashion-normal'], /garment removed/)?.changed).toBeGreaterThan(0.5);
  });
});

describe('compareModels and its report', () => {
  it('sets the models side by side, with the paper beside them, as a table and SVG bar charts', async () => {
    const comparison = await compareModels(probes, {
      sets: ['fashion-mnist-square/broken'],
      methods: ['gradient'],
      images: 30,
    });
    expect(comparison.reports.map((r) => r.subject)).toEqual(['fashion-spurious', 'fashion-normal']);
    const table = mainTable(comparison, PAPER_FIGURES['spurious-pair']);
    const header = table.header;
    const row = (model: string) => table.rows.find((r) => r[0] === model) as string[];
    const at = (model: string, column: string) => Number(row(model)[header.indexOf(column)]);
    expect(at('fashion-spurious', 'EA_PG square')).toBeGreaterThan(at('fashion-spurious', 'EA_PG garment'));
    expect(at('fashion-spurious', 'paper EA_PG square')).toBe(0.94);
    expect(at('fashion-normal', 'paper EA_PG garment')).toBe(0.7);
    expect(markdownTable(table).split('\n')).toHaveLength(4);
    const html = comparisonHtml(comparison);
    expect(html.match(/<svg /g)?.length).toBeGreaterThanOrEqual(5);
    expect(html).toContain('fashion-normal vs fashion-spurious'.split(' vs ').reverse().join(' vs '));
    await expect(compareModels([], { methods: ['gradient'] })).rejects.toThrow(/at least one model/);
  });
});
