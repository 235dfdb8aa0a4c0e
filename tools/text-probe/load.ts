import { existsSync, readFileSync } from 'node:fs';
import { findById, SyntheticTextSubject, TEXT_UNIT_BANK } from '../../subjects/synthetic-text/index.ts';
import { InputError } from '../../util/errors.ts';
import { SyntheticTextProbe } from './synthetic-text-probe.ts';
import type { TextProbe } from './types.ts';

/**
 * Text subject references:
 *
 *   synthetic-text:<id>            one unit of the built-in bank (e.g. synthetic-text:pos-noun)
 *   synthetic-text:bank            every unit of the bank
 *   synthetic-text:units.json      unit definitions from a file: an array, or one definition
 *   synthetic-text:[{...}] / {...} unit definitions inline, as JSON
 *
 * The subject is always named `synthetic-text`: the agent sees the name, and an id would give the
 * answer away. (A language model subject will load here too, beside these.)
 */
export const SYNTHETIC_TEXT_PREFIX = 'synthetic-text:';

export function isTextSubjectRef(ref: string): boolean {
  return ref.trim().startsWith(SYNTHETIC_TEXT_PREFIX);
}

export async function loadTextProbe(ref: string): Promise<TextProbe> {
  const spec = ref.trim().slice(SYNTHETIC_TEXT_PREFIX.length).trim();
  if (!isTextSubjectRef(ref) || spec === '')
    throw new InputError(
      `'${ref}' is not a text subject: use synthetic-text:<id>, synthetic-text:bank, a .json file or inline JSON`,
    );
  return new SyntheticTextProbe(new SyntheticTextSubject(definitions(spec)));
}

function definitions(spec: string): unknown {
  if (spec.startsWith('[') || spec.startsWith('{')) return parseJson(spec, 'inline synthetic text units');
  if (spec === 'bank') return TEXT_UNIT_BANK;
  if (spec.endsWith('.json')) {
    if (!existsSync(spec)) throw new InputError(`synthetic text unit file '${spec}' does not exist`);
    return parseJson(readFileSync(spec, 'utf8'), `synthetic text unit file '${spec}'`);
  }
  return [findById(TEXT_UNIT_BANK, spec, 'built-in synthetic text unit')];
}

function parseJson(text: string, what: string): unknown {
  try {
    const value: unknown = JSON.parse(text);
    const units =
      typeof value === 'object' && value !== null && !Array.isArray(value)
        ? (value as { units?: unknown }).units
        : undefined;
    return Array.isArray(units) ? units : value;
  } catch (error) {
    throw new InputError(`${what} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}
