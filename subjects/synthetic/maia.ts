import { readFileSync } from 'node:fs';
import { projectPath } from '../../util/paths.ts';
import type { UnitDefinitionInput } from './definition.ts';

/**
 * MAIA's synthetic-neuron benchmark (Shaham et al., "A Multimodal Automated Interpretability Agent",
 * ICML 2024): 47 mono, 18 OR and 20 AND neurons, read from the project's copy of the benchmark's data
 * file (data/maia_synthetic_concepts.txt: `MODE<TAB>CONCEPT[<TAB>CONCEPT]`, `#` comments).
 * Concept names are MAIA's; some (e.g. 'shoulders') may have no sprite in our renderer, and a unit
 * whose concept is never drawn simply never fires. Suites pick the ones the vocabulary can depict.
 */
export const MAIA_CONCEPTS_FILE = projectPath('data', 'maia_synthetic_concepts.txt');

export interface MaiaNeuron {
  mode: 'mono' | 'or' | 'and';
  concepts: string[];
}

export function readMaiaNeurons(path = MAIA_CONCEPTS_FILE): MaiaNeuron[] {
  const neurons: MaiaNeuron[] = [];
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [mode, ...concepts] = line.split('\t').map((field) => field.trim());
    if (
      (mode !== 'mono' && mode !== 'or' && mode !== 'and') ||
      concepts.length !== (mode === 'mono' ? 1 : 2)
    ) {
      throw new Error(`${path}: malformed MAIA neuron line '${line}'`);
    }
    neurons.push({ mode, concepts });
  }
  return neurons;
}

/** The MAIA synthetic neurons as unit definitions, ids like `maia-or-dog-horse`. */
export function maiaUnitDefinitions(): UnitDefinitionInput[] {
  return readMaiaNeurons().map(({ mode, concepts }): UnitDefinitionInput => {
    const id = `maia-${mode}-${concepts.join('-').replace(/ /g, '_')}`;
    const [first = '', second = ''] = concepts;
    if (mode === 'mono') return { id, family: 'mono', concept: first };
    if (mode === 'or') return { id, family: 'or', concepts: [first, second] };
    return { id, family: 'and', concepts: [first, second] };
  });
}
