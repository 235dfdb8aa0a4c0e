import { zooEntries, type ZooEntry } from '../../subjects/zoo.ts';
import { formatTable, printResult } from '../output.ts';

/**
 * The work of `aia models` (defined in cli/commands/models.ts): the model zoo — subjects known by name,
 * what they do, and whether they are installed.
 */

/** The input as preprocessing makes it: height×width (or the resize rule) and channel order. */
function describeInput(entry: ZooEntry): string {
  const input = entry.manifest.input;
  const order = input?.preprocess?.channelOrder ?? '';
  const resize = input?.preprocess?.resize;
  let size: string;
  switch (resize?.mode) {
    case 'keep-ratio-pad':
      size = `${resize.height}×${resize.dynamicWidth ? '≥' : ''}${resize.width}`;
      break;
    case 'stretch':
      size = `${resize.height}×${resize.width}`;
      break;
    case 'limit-side':
      size = `${resize.limitType === 'max' ? 'longest' : 'shortest'} side ${resize.limitSide}, ×${resize.multiple}`;
      break;
    default:
      size = input?.exampleShape?.slice(2).join('×') ?? '?';
  }
  return `${size} ${order}`.trim();
}

function describeOutput(entry: ZooEntry): string {
  const output = entry.manifest.output;
  if (!output) return '';
  const labels = output.labels;
  const count =
    labels === undefined ? '' : Array.isArray(labels) ? ` (${labels.length} labels)` : ' (labels file)';
  return `${output.kind}${count}`;
}

/** Print the zoo: a table, or --json. */
export function runModels(opts: { json?: boolean }): void {
  const entries = zooEntries();
  const json = entries.map((e) => ({
    name: e.name,
    task: e.manifest.task,
    modality: e.manifest.modality,
    description: e.manifest.description,
    input: e.manifest.input,
    output: e.manifest.output,
    source: e.manifest.source,
    modelPath: e.modelPath,
    installed: e.installed,
  }));
  printResult(opts.json === true, json, () =>
    formatTable(
      ['name', 'task', 'input (H×W)', 'output', 'licence', 'installed'],
      entries.map((e) => [
        e.name,
        e.manifest.task ?? '',
        describeInput(e),
        describeOutput(e),
        e.manifest.source?.licence ?? '',
        e.installed ? 'yes' : 'no (npm install)',
      ]),
    ),
  );
}
