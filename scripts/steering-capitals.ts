/**
 * The steering-vector experiment on our own GPT: a "capitals" direction in zoo/lm-clean's residual
 * stream — the mean of `blocks.L.hook_resid_post` over passages written in capitals minus its mean
 * over the same passages as written — added at every position while generating, at several scales.
 * For each scale: the fraction of generated letters that are upper case, and of generations in
 * capitals, over seeded generations from neutral test-split prompts.
 *
 *   npx tsx scripts/steering-capitals.ts [--layers 1,3] [--prompts 20]
 *
 * Writes the table into docs/language-models.md (between its markers) and prints it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { differenceOfMeans, steeringEdit } from '../subjects/language-model/steering.ts';
import { loadLanguageModel } from '../subjects/language-model/load.ts';
import { projectPath } from '../util/paths.ts';
import { capitalsContrast, capitalsRate, neutralPrompts } from './organisms/capitals.ts';

const STEERING_SCALES = [0, 0.1, 0.2, 0.3, 0.5, 1, 2, 4, 8];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { layers: { type: 'string', default: '1,3' }, prompts: { type: 'string', default: '20' } },
  });
  const layers = (values.layers ?? '1,3').split(',').map(Number);
  const promptCount = Number(values.prompts);
  const lm = await loadLanguageModel(projectPath('zoo', 'lm-clean', 'subject.json'));
  const contrast = capitalsContrast(64);
  const prompts = neutralPrompts(promptCount);
  const rows: string[] = [];
  for (const layer of layers) {
    const site = `blocks.${layer}.hook_resid_post`;
    const direction = await differenceOfMeans(lm, site, contrast.capitals, contrast.normal);
    for (const scale of STEERING_SCALES) {
      const started = performance.now();
      const r = await capitalsRate(lm, prompts, {
        maxNewTokens: 24,
        edits: scale === 0 ? [] : [steeringEdit(direction, scale)],
      });
      process.stderr.write(
        `${site} × ${scale}: upper ${r.upperFraction.toFixed(3)}, in capitals ${r.rate.toFixed(2)} ` +
          `(${((performance.now() - started) / 1000).toFixed(1)} s); e.g. ${JSON.stringify(r.generations[0]?.text)}\n`,
      );
      rows.push(
        `| ${site} | ${direction.norm.toFixed(1)} | ${scale} | ${r.upperFraction.toFixed(3)} | ${r.rate.toFixed(2)} | ${JSON.stringify(r.generations[1]?.text ?? '').replace(/\|/g, '\\|')} |`,
      );
    }
  }
  const table = [
    '| site | ‖direction‖ | scale | upper-case letters | generations in capitals | example (prompt 2) |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
  process.stdout.write(`${table}\n`);
  const doc = projectPath('docs', 'language-models.md');
  const block = `<!-- table:steering-capitals -->\n\n${table}\n\n<!-- /table:steering-capitals -->`;
  if (existsSync(doc)) {
    const text = readFileSync(doc, 'utf8');
    writeFileSync(
      doc,
      text.replace(/<!-- table:steering-capitals -->[\s\S]*?<!-- \/table:steering-capitals -->/, block),
    );
  }
}

await main();
