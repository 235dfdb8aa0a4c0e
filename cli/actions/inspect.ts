import { loadSubject } from '../../subjects/load.ts';
import type { SiteInfo } from '../../subjects/subject.ts';
import { formatTable, printResult } from '../output.ts';

/**
 * The work of `aia inspect <subject>` (defined in cli/commands/inspect.ts): the sites of a subject —
 * every float tensor that can be read or edited.
 */

/**
 * A site's shape with its batch axis shown as N when the graph leaves it dynamic. The example input is
 * one example, so a dynamic first axis longer than 1 is not the batch (a language model's position
 * embeddings are [sequence, width]) and keeps its length.
 */
export function shapeText(site: SiteInfo): string {
  const batchFirst = typeof site.dims[0] !== 'number' && site.shape[0] === 1;
  return site.shape.map((d, i) => (i === 0 && batchFirst ? 'N' : String(d))).join('×');
}

/** Load the subject, print its sites (a table, or --json). */
export async function runInspect(ref: string, opts: { json?: boolean }): Promise<void> {
  const subject = await loadSubject(ref);
  try {
    const sites = subject.sites();
    const json = {
      name: subject.name,
      hash: subject.hash,
      inputs: subject.inputNames,
      outputs: subject.outputNames,
      labels: subject.labels?.length,
      sites: sites.map((s) => ({
        name: s.name,
        aliases: s.aliases,
        op: s.op,
        dtype: s.dtype,
        shape: s.shape,
        dims: s.dims,
        unitAxis: s.unitAxis,
        units: s.units,
      })),
    };
    printResult(opts.json === true, json, () => {
      const header = `${subject.name}  sha256 ${subject.hash.slice(0, 16)}…  ${sites.length} sites (shapes for one example input)`;
      const table = formatTable(
        ['site', 'aliases', 'op', 'shape', 'units'],
        sites.map((s) => [s.name, s.aliases.join(', '), s.op, shapeText(s), String(s.units)]),
      );
      return `${header}\n\n${table}`;
    });
  } finally {
    await subject.dispose();
  }
}
