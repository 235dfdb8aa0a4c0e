import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { nearNames } from '../../util/names.ts';
import { createVisionRegistry } from '../../tools/vision-tools.ts';
import { InputError } from '../../util/errors.ts';
import { printResult } from '../output.ts';
import { parseZoom, readToolArguments, zoomPng } from '../tool-call/io.ts';

/**
 * The work of `aia tools list | call` (defined in cli/commands/tools.ts): the agent's tools, run by
 * hand. `list` shows every tool with its description and (with --json) its JSON Schema; `call` runs one tool on a subject with JSON arguments, prints its
 * text (or, with --json, text, data and image files) and writes its images as PNG files, so a person
 * or another program can run any experiment the agent can.
 */

export interface CallOptions {
  subject: string;
  out?: string;
  json?: boolean;
  seed: string;
  probeSetSize?: string;
  argsFile?: string;
  zoom?: string;
}

function integerOption(value: string, name: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new InputError(`${name} must be an integer from ${min} to ${max}, got '${value}'`);
  return n;
}

/** File name of a result image: its position and a slug of its caption. */
function imageFileName(index: number, caption: string): string {
  const slug = caption
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${String(index).padStart(2, '0')}${slug ? `-${slug}` : ''}.png`;
}

function timestamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}

/**
 * `aia tools list`: every tool's name and first sentence (--json: with its input JSON Schema). The
 * vision tools by default (loading nothing else, so it starts at once); with --subject, the tools that
 * subject gets (a language model's, a synthetic text subject's), found without loading it.
 */
export async function runToolsList(opts: { json?: boolean; subject?: string }): Promise<void> {
  const specs =
    opts.subject === undefined
      ? createVisionRegistry().specs()
      : (await import('../../tools/session.ts')).toolSpecsFor(opts.subject);
  printResult(opts.json === true, specs, () =>
    specs.map((s) => `${s.name}\n  ${s.description.split(/(?<=\.)\s/)[0] ?? s.description}`).join('\n'),
  );
}

/** `aia tools call <tool> [args]`: run one tool on a subject, write its images, print its result. */
export async function runToolsCall(
  name: string,
  rawArgs: string | undefined,
  opts: CallOptions,
): Promise<void> {
  // Sessions of either modality (and their packages) load only for a call, not for `tools list`.
  const { openSubject, toolNamesFor } = await import('../../tools/session.ts');
  const names = toolNamesFor(opts.subject);
  if (!names.includes(name)) {
    // Fail before loading the subject, with the nearest names.
    const near = nearNames(name, names);
    throw new InputError(
      `unknown tool '${name}'` +
        (near.length ? `; did you mean ${near.join(', ')}?` : '') +
        ` (this subject has ${names.length} tools: ${names.join(', ')})`,
    );
  }
  const args = readToolArguments(rawArgs, opts.argsFile, name);
  const zoom = parseZoom(opts.zoom);
  const session = await openSubject(opts.subject, {
    seed: integerOption(opts.seed, '--seed', 0, 0xffffffff),
    ...(opts.probeSetSize !== undefined
      ? { stimuli: integerOption(opts.probeSetSize, '--probe-set-size', 1, 100_000) }
      : {}),
  });
  try {
    const result = await session.withTools((registry, context) => registry.call(name, args, context));
    const files: { file: string; caption: string }[] = [];
    if (result.images.length > 0) {
      const dir = resolve(opts.out ?? join('runs', 'tools', timestamp()));
      mkdirSync(dir, { recursive: true });
      for (const [i, image] of result.images.entries()) {
        const file = join(dir, imageFileName(i, image.caption));
        writeFileSync(file, await zoomPng(image.png, zoom));
        files.push({ file, caption: image.caption });
      }
    }
    printResult(opts.json === true, { tool: name, text: result.text, data: result.data, images: files }, () =>
      [result.text, ...files.map((f) => `image: ${f.file}\n  ${f.caption}`)].join('\n'),
    );
  } finally {
    await session.context.dispose();
  }
}
