import { existsSync, readFileSync } from 'node:fs';
import { loadSubject, type LoadOptions } from '../../subjects/index.ts';
import { nearNames } from '../../util/names.ts';
import { maiaConceptMapping } from '../../stimuli/maia-mapping.ts';
import { getConcept, lookupConcept, suggestConcepts } from '../../stimuli/vocabulary.ts';
import {
  formulaConcepts,
  maiaUnitDefinitions,
  SyntheticSubject,
  type UnitDefinitionInput,
} from '../../subjects/synthetic/index.ts';
import { InputError } from '../../util/errors.ts';
import { OnnxProbe } from './onnx-probe.ts';
import { SyntheticProbe } from './synthetic-probe.ts';
import type { Probe } from './types.ts';

/**
 * Subject references, as the CLI and the tool context take them:
 *
 *   paddle-ocr-cls                 a zoo subject (any name `aia models` lists)
 *   path/to/model.onnx             an ONNX file (manifest beside it, or none)
 *   path/to/subject.json           a subject manifest naming its model
 *   synthetic:maia                 MAIA's 85 synthetic units (47 mono, 18 OR, 20 AND)
 *   synthetic:maia/mono            MAIA's units of one mode: mono, or, and
 *   synthetic:maia/<id>            one MAIA unit, by id with or without `maia-` (e.g. mono-dog)
 *   synthetic:units.json           unit definitions from a file: an array, or one definition
 *   synthetic:[{...}] / {...}      unit definitions inline, as JSON
 *
 * A synthetic subject is always named `synthetic`, whatever its definitions: its name is shown to the
 * agent, and a name like `maia-mono-dog` would give the answer away.
 */
export interface LoadProbeOptions {
  /** Side of a synthetic unit's map (default 14). */
  grid?: number;
  /** Options for loading an ONNX subject. */
  subject?: LoadOptions;
}

const SYNTHETIC_PREFIX = 'synthetic:';

export async function loadProbe(ref: string, options: LoadProbeOptions = {}): Promise<Probe> {
  const trimmed = ref.trim();
  if (trimmed === '')
    throw new InputError('no subject given: name a zoo subject, an ONNX file or synthetic:…');
  if (!trimmed.startsWith(SYNTHETIC_PREFIX))
    return new OnnxProbe(await loadSubject(trimmed, options.subject));
  const spec = trimmed.slice(SYNTHETIC_PREFIX.length).trim();
  const definitions = syntheticDefinitions(spec);
  if (definitions.length === 0) throw new InputError(`synthetic subject '${ref}' has no units`);
  const subject = new SyntheticSubject(definitions, { grid: options.grid });
  // MAIA's units are mapped onto the vocabulary above; definitions a user wrote are checked here.
  if (!spec.startsWith('maia')) checkDepictable(subject);
  return new SyntheticProbe(subject, { name: 'synthetic' });
}

/**
 * Every concept a synthetic unit names must be one a scene can contain: masks carry the vocabulary's
 * names only, so a unit keyed on 'unicorn' (or on a synonym such as 'dogs') would be silent on every
 * stimulus. Refused with the nearest names, as unknown concepts are everywhere else.
 */
function checkDepictable(subject: SyntheticSubject): void {
  for (const unit of subject.units) {
    for (const concept of formulaConcepts(unit.formula)) {
      if (getConcept(concept) !== undefined) continue;
      const canonical = lookupConcept(concept)?.name;
      const near = canonical !== undefined ? [canonical] : suggestConcepts(concept, 3);
      throw new InputError(
        `synthetic unit '${unit.definition.id}' names concept '${concept}', which no scene contains, so the ` +
          `unit would never fire` +
          (near.length ? `; did you mean ${near.map((n) => `'${n}'`).join(', ')}?` : '') +
          ' (concepts are the scene vocabulary: docs/vocabulary.md)',
      );
    }
  }
}

function syntheticDefinitions(spec: string): UnitDefinitionInput[] {
  if (spec.startsWith('[') || spec.startsWith('{'))
    return asDefinitions(parseJson(spec, 'inline synthetic units'));
  if (spec === 'maia') return depictableMaiaUnits();
  if (spec.startsWith('maia/')) return maiaSelection(spec.slice('maia/'.length));
  if (spec.endsWith('.json')) {
    if (!existsSync(spec)) throw new InputError(`synthetic unit file '${spec}' does not exist`);
    return asDefinitions(parseJson(readFileSync(spec, 'utf8'), `synthetic unit file '${spec}'`));
  }
  throw new InputError(
    `'synthetic:${spec}' is not a synthetic subject: use synthetic:maia, synthetic:maia/<mono|or|and|id>, ` +
      `synthetic:<file.json> or inline JSON definitions`,
  );
}

/**
 * MAIA's units with each concept named as our vocabulary depicts it (maia-mapping: 'hands' → 'hand',
 * 'car window' → 'window', …): scene masks carry only our names, so a unit keyed on MAIA's own word
 * would never fire. Ids keep MAIA's names.
 */
function depictableMaiaUnits(): UnitDefinitionInput[] {
  const depict = (concept: string): string => maiaConceptMapping[concept]?.concept ?? concept;
  return maiaUnitDefinitions().map((definition) => {
    if (definition.family === 'mono') return { ...definition, concept: depict(definition.concept) };
    if (definition.family === 'or') return { ...definition, concepts: definition.concepts.map(depict) };
    if (definition.family === 'and') {
      const [first, second] = definition.concepts;
      return { ...definition, concepts: [depict(first), depict(second)] };
    }
    return definition;
  });
}

function maiaSelection(key: string): UnitDefinitionInput[] {
  const all = depictableMaiaUnits();
  if (key === 'mono' || key === 'or' || key === 'and') return all.filter((d) => d.family === key);
  const id = key.startsWith('maia-') ? key : `maia-${key}`;
  const found = all.find((d) => d.id === id);
  if (found) return [found];
  const near = nearNames(
    id,
    all.map((d) => d.id),
  );
  throw new InputError(
    `no MAIA unit '${key}'` +
      (near.length ? `; did you mean ${near.join(', ')}?` : '') +
      ` (ids look like mono-dog, or-dog-bird, and-cup-handle; or pick a mode: maia/mono, maia/or, maia/and)`,
  );
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${what} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

/** An array of definitions, one definition, or `{ units: [...] }`. Validation is the subject's. */
function asDefinitions(value: unknown): UnitDefinitionInput[] {
  if (Array.isArray(value)) return value as UnitDefinitionInput[];
  if (typeof value === 'object' && value !== null) {
    const units = (value as { units?: unknown }).units;
    if (Array.isArray(units)) return units as UnitDefinitionInput[];
    return [value as UnitDefinitionInput];
  }
  throw new InputError(`synthetic unit definitions must be a JSON array or object, got ${typeof value}`);
}
