import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { compareModels, type ComparisonMethod } from '../../tools/analysis/model-comparison.ts';
import { RELIANCE_METHODS } from '../../tools/analysis/reliance.ts';
import { loadProbe, type Probe } from '../../tools/probe/index.ts';
import { InputError } from '../../util/errors.ts';
import { projectPath } from '../../util/paths.ts';
import { Progress } from '../../util/progress.ts';
import { comparisonHtml } from '../compare/html.ts';
import { PAPER_FIGURES } from '../compare/paper.ts';
import { describeComparison } from '../compare/table.ts';
import { printResult } from '../output.ts';

export interface CompareOptions {
  on?: string[];
  method: string[];
  site?: string;
  images?: string;
  tolerance?: string;
  paper?: string;
  markdown?: boolean;
  out?: string;
  json?: boolean;
}

function methodsOf(names: readonly string[]): ComparisonMethod[] {
  return names.map((name) => {
    if (!(RELIANCE_METHODS as readonly string[]).includes(name))
      throw new InputError(`--method must be one of ${RELIANCE_METHODS.join(', ')}, got '${name}'`);
    return name as ComparisonMethod;
  });
}

/** The work of `aia compare`: every model measured on every set, tables printed, the HTML written. */
export async function runCompare(subjects: string[], opts: CompareOptions): Promise<void> {
  const methods = methodsOf(opts.method);
  const images = opts.images === undefined ? undefined : Number(opts.images);
  if (images !== undefined && (!Number.isInteger(images) || images < 1))
    throw new InputError(`--images must be a whole number ≥ 1, got '${opts.images}'`);
  const tolerancePx = opts.tolerance === undefined ? undefined : Number(opts.tolerance);
  if (tolerancePx !== undefined && !(Number.isInteger(tolerancePx) && tolerancePx >= 0))
    throw new InputError(`--tolerance must be a whole number of pixels ≥ 0, got '${opts.tolerance}'`);
  const paper = opts.paper === undefined ? undefined : PAPER_FIGURES[opts.paper];
  if (opts.paper !== undefined && !paper)
    throw new InputError(
      `no paper figures named '${opts.paper}'; known: ${Object.keys(PAPER_FIGURES).join(', ')}`,
    );
  const probes: Probe[] = [];
  try {
    for (const subject of subjects) probes.push(await loadProbe(subject));
    let progress: { what: string; bar: Progress } | undefined;
    const comparison = await compareModels(probes, {
      methods,
      ...(opts.on ? { sets: opts.on } : {}),
      ...(opts.site !== undefined ? { site: opts.site } : {}),
      ...(images !== undefined ? { images } : {}),
      ...(tolerancePx !== undefined ? { tolerancePx } : {}),
      onProgress: (what, done, total) => {
        if (progress?.what !== what) {
          progress?.bar.done();
          progress = { what, bar: new Progress(what, total) };
        }
        progress.bar.update(done);
      },
    });
    progress?.bar.done();
    const out =
      opts.out ??
      join(
        projectPath('runs', 'compare'),
        `${subjects.map((s) => s.replace(/[^\w.-]+/g, '_')).join('-vs-')}.html`,
      );
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, comparisonHtml(comparison, paper));
    process.stderr.write(`aia: report written to ${out}\n`);
    printResult(
      opts.json === true,
      { ...comparison, report: out },
      () => `${describeComparison(comparison, opts.markdown === true, paper)}\n\nReport: ${out}`,
    );
  } finally {
    for (const probe of probes) await probe.dispose();
  }
}
