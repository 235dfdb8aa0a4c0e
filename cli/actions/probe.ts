import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { heatmapOverlay, summarizeMap, unitMap, type MapSummary } from '../../subjects/heatmap.ts';
import { loadSubject } from '../../subjects/load.ts';
import { outputDifference, readOutput, type OutputReading } from '../../subjects/outputs.ts';
import type { Edit, Subject, Tensor, UnitRef } from '../../subjects/subject.ts';
import { formatUnit } from '../../subjects/units.ts';
import { InputError } from '../../util/errors.ts';
import { decodeImage, encodePng } from '../../util/image.ts';
import { formatTable, printResult } from '../output.ts';

/**
 * The work of `aia probe <subject> <site:unit> --image img.png` (defined in cli/commands/probe.ts):
 * how strongly a unit responds to an image and where (a heatmap over the image), and with `--ablate`,
 * how zeroing units changes the answer.
 */

export interface ProbeOptions {
  image: string;
  out?: string;
  ablate?: string;
  json?: boolean;
}

interface UnitSummary extends MapSummary {
  unit: string;
  mapWidth: number;
  mapHeight: number;
}

function summarizeUnit(tensor: Tensor, ref: UnitRef): UnitSummary {
  const map = unitMap(tensor, ref.site, ref.unit);
  return {
    unit: formatUnit(ref.site.name, ref.unit),
    mapWidth: map.width,
    mapHeight: map.height,
    ...summarizeMap(map),
  };
}

function parseAblation(subject: Subject, text: string): { refs: UnitRef[]; edits: Edit[] } {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) throw new InputError('--ablate needs units: site:index[,site:index…]');
  const refs = parts.map((p) => subject.parseUnit(p));
  const bySite = new Map<string, number[]>();
  for (const ref of refs) bySite.set(ref.site.name, [...(bySite.get(ref.site.name) ?? []), ref.unit]);
  const edits: Edit[] = [...bySite].map(([site, units]) => ({ site, units, op: 'zero' }));
  return { refs, edits };
}

/** Four decimals, or scientific notation for small non-zero values (so a tiny change does not read as 0). */
const fmt = (v: number) =>
  !Number.isFinite(v) ? String(v) : v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential(2) : v.toFixed(4);

function readingText(reading: OutputReading): string {
  switch (reading.kind) {
    case 'classes': {
      const top = reading.scores[0];
      return top ? `${top.label} (p=${fmt(top.probability)})` : '';
    }
    case 'text':
      return `'${reading.text}' (confidence ${reading.confidence.toFixed(4)})`;
    case 'tensor':
      return `${reading.output} [${reading.shape.join('×')}] mean ${fmt(reading.mean)}, max ${fmt(reading.max)}`;
  }
}

function unitText(s: UnitSummary): string {
  return (
    `max ${fmt(s.max)} at (${s.argmax.x}, ${s.argmax.y}) of the ${s.mapWidth}×${s.mapHeight} map, ` +
    `mean ${fmt(s.mean)}, min ${fmt(s.min)}`
  );
}

function comparisonTable(before: OutputReading, after: OutputReading): string {
  if (before.kind === 'classes' && after.kind === 'classes') {
    const afterOf = new Map(after.scores.map((s) => [s.index, s.probability]));
    const rows = [...before.scores]
      .sort((a, b) => a.index - b.index)
      .slice(0, 20)
      .map((s) => {
        const p = afterOf.get(s.index) ?? NaN;
        const change = p - s.probability;
        return [s.label, fmt(s.probability), fmt(p), `${change >= 0 ? '+' : ''}${fmt(change)}`];
      });
    return formatTable(['label', 'before', 'after', 'change'], rows);
  }
  return `before: ${readingText(before)}\nafter:  ${readingText(after)}`;
}

/** Largest logits tensor (values per batch item) printed in full; larger ones are summarised. */
const MAX_LISTED_LOGITS = 32;

interface LogitsChange {
  site: string;
  before?: number[];
  after?: number[];
  meanAbsChange: number;
  maxAbsChange: number;
}

function logitsChange(site: string, before: Tensor, after: Tensor): LogitsChange {
  const change = outputDifference(before, after);
  const perItem = before.dims.slice(1).reduce((a, b) => a * b, 1);
  const listed =
    perItem <= MAX_LISTED_LOGITS
      ? {
          before: Array.from((before.data as Float32Array).subarray(0, perItem)),
          after: Array.from((after.data as Float32Array).subarray(0, perItem)),
        }
      : {};
  return { site, ...listed, meanAbsChange: change.meanAbs, maxAbsChange: change.maxAbs };
}

function logitsText(change: LogitsChange): string {
  if (change.before && change.after) {
    return `logits (${change.site}): [${change.before.map(fmt).join(', ')}] → [${change.after.map(fmt).join(', ')}]`;
  }
  return `logits (${change.site}): mean |Δ| ${fmt(change.meanAbsChange)}, max |Δ| ${fmt(change.maxAbsChange)}`;
}

/** Read the unit (and with --ablate the edited run), write the heatmap, print what changed. */
export async function runProbe(ref: string, unitArg: string, opts: ProbeOptions): Promise<void> {
  if (!existsSync(opts.image)) throw new InputError(`image '${opts.image}' does not exist`);
  const subject = await loadSubject(ref);
  try {
    const probed = subject.parseUnit(unitArg);
    const ablation = opts.ablate === undefined ? undefined : parseAblation(subject, opts.ablate);
    const image = await decodeImage(opts.image);
    const input = subject.preprocess([image]);
    const logitsSite = subject.manifest.output?.logits;
    const reads = [probed.site.name, ...(logitsSite ? [logitsSite] : [])];

    const base = await subject.read(input, reads);
    const unit = summarizeUnit(base.sites[probed.site.name] as Tensor, probed);
    const prediction = readOutput(subject, base.outputs);
    if (opts.out) {
      const placement = subject.placements([image])[0];
      const map = unitMap(base.sites[probed.site.name] as Tensor, probed.site, probed.unit);
      if (placement) await writeFile(opts.out, await encodePng(heatmapOverlay(image, map, placement)));
    }

    let ablated: Record<string, unknown> | undefined;
    let ablatedText = '';
    if (ablation) {
      const edited = await subject.intervene(input, ablation.edits, { read: reads });
      const after = readOutput(subject, edited.outputs);
      const unitAfter = summarizeUnit(edited.sites[probed.site.name] as Tensor, probed);
      const outputName = prediction.output;
      const difference = outputDifference(
        base.outputs[outputName] as Tensor,
        edited.outputs[outputName] as Tensor,
      );
      const logits = logitsSite
        ? logitsChange(logitsSite, base.sites[logitsSite] as Tensor, edited.sites[logitsSite] as Tensor)
        : undefined;
      const topBefore = prediction.kind === 'classes' ? prediction.scores[0]?.label : undefined;
      const topAfter = after.kind === 'classes' ? after.scores[0]?.label : undefined;
      const flipped = topBefore !== undefined && topBefore !== topAfter;
      ablated = {
        units: ablation.refs.map((r) => formatUnit(r.site.name, r.unit)),
        op: 'zero',
        after,
        unitAfter,
        outputChange: difference,
        logits,
        topClass: topBefore === undefined ? undefined : { before: topBefore, after: topAfter, flipped },
      };
      ablatedText = [
        '',
        `ablated (zero): ${ablation.refs.map((r) => formatUnit(r.site.name, r.unit)).join(', ')}`,
        comparisonTable(prediction, after),
        topBefore === undefined
          ? ''
          : `top class: ${topBefore} → ${topAfter}${flipped ? ' (flipped)' : ' (no flip)'}`,
        logits ? logitsText(logits) : '',
        `output change: mean |Δ| ${fmt(difference.meanAbs)}, max |Δ| ${fmt(difference.maxAbs)}`,
        `probed unit after ablation: ${unitText(unitAfter)}`,
      ]
        .filter((line) => line !== '')
        .join('\n');
    }

    const aliases = probed.site.aliases.length ? ` (${probed.site.aliases.join(', ')})` : '';
    printResult(
      opts.json === true,
      {
        subject: subject.name,
        image: opts.image,
        unit,
        prediction,
        heatmap: opts.out,
        ablation: ablated,
      },
      () =>
        [
          `${subject.name}  ${unit.unit}${aliases}  on ${opts.image} (${image.width}×${image.height})`,
          `activation: ${unitText(unit)}`,
          `prediction: ${readingText(prediction)}`,
          opts.out ? `heatmap: ${opts.out}` : '',
          ablatedText,
        ]
          .filter((line) => line !== '')
          .join('\n'),
    );
  } finally {
    await subject.dispose();
  }
}
