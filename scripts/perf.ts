/**
 * npm run perf [section…] — runs the perf sections and rewrites their parts of docs/performance.md.
 * Each section is delimited by HTML comment markers, so running one section leaves the others as
 * they were measured.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { format, resolveConfig } from 'prettier';
import type { PerfReport, PerfSection } from './perf/types.ts';
import { sections } from './perf/sections.ts';

const DOC = 'docs/performance.md';
const HEADER = `# Performance

Figures written by \`npm run perf\` (scripts/perf/). Every goal is a ratio against a baseline measured
in the same run on the same machine, so the figures compare like with like. Rerun one section with
\`npm run perf -- <name>\`.
`;

function renderSection(section: PerfSection, report: PerfReport): string {
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const rows = report.goals.map((g) => `| ${g.goal} | ${g.measured} | ${g.pass ? 'met' : '**not met**'} |`);
  return [
    `<!-- perf:${section.name} -->`,
    `## ${section.title}`,
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}.`,
    '',
    report.setup.trim(),
    '',
    '| goal | measured | status |',
    '| --- | --- | --- |',
    ...rows,
    `<!-- /perf:${section.name} -->`,
  ].join('\n');
}

function upsert(doc: string, name: string, block: string): string {
  const pattern = new RegExp(`<!-- perf:${name} -->[\\s\\S]*?<!-- /perf:${name} -->`);
  return pattern.test(doc) ? doc.replace(pattern, block) : `${doc.trimEnd()}\n\n${block}\n`;
}

const wanted = process.argv.slice(2);
const chosen = wanted.length ? sections.filter((s) => wanted.includes(s.name)) : sections;
if (wanted.length && chosen.length !== wanted.length) {
  const known = sections.map((s) => s.name).join(', ');
  process.stderr.write(`unknown perf section in ${wanted.join(', ')}; known: ${known}\n`);
  process.exit(2);
}

let doc = existsSync(DOC) ? readFileSync(DOC, 'utf8') : HEADER;
let failed = 0;
for (const section of chosen) {
  process.stderr.write(`perf: ${section.name}…\n`);
  const report = await section.run();
  for (const g of report.goals) {
    process.stdout.write(`${g.pass ? 'met    ' : 'NOT MET'}  ${section.name}: ${g.goal} — ${g.measured}\n`);
    if (!g.pass) failed++;
  }
  doc = upsert(doc, section.name, renderSection(section, report));
  // Formatted as the linter expects, so a perf run never breaks `npm run lint`.
  doc = await format(doc, { ...(await resolveConfig(DOC)), parser: 'markdown' });
  writeFileSync(DOC, doc);
}
process.stdout.write(`${failed === 0 ? 'all goals met' : `${failed} goal(s) not met`}; figures in ${DOC}\n`);
process.exitCode = failed === 0 ? 0 : 1;
