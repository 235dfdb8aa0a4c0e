/**
 * The planted CNN's table: each planted unit of zoo/planted-cnn with its family, formula, IoU, AUROC,
 * selectivity and whether it was kept, read from the organism's metrics.json. Writes docs/organisms.md
 * (between its markers) and prints the table.
 *
 *   npx tsx scripts/planted-cnn-table.ts
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { readPlantedMetrics } from '../benchmarks/suites/planted-cnn.ts';
import { projectPath } from '../util/paths.ts';

const { units } = readPlantedMetrics();
const f = (v: number | null) => (v === null || Number.isNaN(v) ? '—' : v.toFixed(3));
const kept = units.filter((u) => u.kept).length;
const families = [...new Set(units.map((u) => u.family))];
const table = [
  '| unit | family | formula | IoU | AUROC | selectivity | kept |',
  '| --- | --- | --- | --- | --- | --- | --- |',
  ...units.map(
    (u) =>
      `| \`${u.unit}\` | ${u.family} | \`${u.formula}\` | ${f(u.iou)} | ${f(u.auroc)} | ${f(u.selectivity)} | ${u.kept ? 'yes' : 'no'} |`,
  ),
].join('\n');
const summary =
  `Kept ${kept} of ${units.length} planted units (` +
  families
    .map((family) => {
      const of = units.filter((u) => u.family === family);
      return `${family} ${of.filter((u) => u.kept).length}/${of.length}`;
    })
    .join(', ') +
  ').';
process.stdout.write(`${table}\n\n${summary}\n`);
const doc = projectPath('docs', 'organisms.md');
const block = `<!-- table:planted-cnn -->\n\n${table}\n\n${summary}\n\n<!-- /table:planted-cnn -->`;
if (existsSync(doc)) {
  const text = readFileSync(doc, 'utf8');
  writeFileSync(doc, text.replace(/<!-- table:planted-cnn -->[\s\S]*?<!-- \/table:planted-cnn -->/, block));
}
