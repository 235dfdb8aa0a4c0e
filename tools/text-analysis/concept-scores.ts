import { TEXT_CONCEPTS } from '../../stimuli/text/concepts.ts';
import { pearson } from '../metrics/correlation.ts';
import type { TokenTable } from './token-table.ts';

/**
 * How well each token concept (and each frequent firing word, as `word:<w>`) lines up with where a
 * unit fires (`depth:<n>` is the atom for depth(n)): IoU of the firing tokens with the concept's tokens, precision (of the concept's tokens,
 * the share that fire), recall (of the firing tokens, the share with the concept) and Pearson r
 * between the concept's 0/1 value and the activation over every token of the set.
 */
export interface ConceptScore {
  concept: string;
  /** Tokens with the concept. */
  count: number;
  iou: number;
  precision: number;
  recall: number;
  r: number;
}

/** Words among the firing tokens considered as `word:<w>` atoms. */
const FIRING_WORDS = 6;

export function conceptValues(table: TokenTable, concept: string): Float32Array {
  const values = new Float32Array(table.size);
  const word = concept.startsWith('word:') ? concept.slice(5) : undefined;
  const depth = concept.startsWith('depth:') ? Number(concept.slice(6)) : undefined;
  let at = 0;
  for (const text of table.texts) {
    for (const token of text.tokens) {
      const holds =
        word !== undefined
          ? token.text.toLowerCase() === word
          : depth !== undefined
            ? token.bracketDepth >= depth
            : token.concepts.includes(concept);
      values[at++] = holds ? 1 : 0;
    }
  }
  return values;
}

export function scoreConceptValues(table: TokenTable, concept: string, values: Float32Array): ConceptScore {
  let both = 0;
  let firing = 0;
  let count = 0;
  for (let i = 0; i < table.size; i++) {
    const fires = table.activations[i]! > table.threshold;
    const holds = values[i]! > 0.5;
    if (fires) firing++;
    if (holds) count++;
    if (fires && holds) both++;
  }
  const union = firing + count - both;
  return {
    concept,
    count,
    iou: union > 0 ? both / union : 0,
    precision: count > 0 ? both / count : 0,
    recall: firing > 0 ? both / firing : 0,
    r: table.size > 1 ? pearson(values, table.activations) : 0,
  };
}

/** The commonest words among the firing tokens, as `word:<w>` atoms. */
export function firingWords(table: TokenTable, k = FIRING_WORDS): string[] {
  const counts = new Map<string, number>();
  let at = 0;
  for (const text of table.texts) {
    for (const token of text.tokens) {
      if (table.activations[at++]! > table.threshold && /[\p{L}\p{N}]/u.test(token.text)) {
        const word = token.text.toLowerCase();
        counts.set(word, (counts.get(word) ?? 0) + 1);
      }
    }
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, k)
    .map(([word]) => `word:${word}`);
}

/** Every concept and the firing words, scored, best first by `rankBy`. */
export function conceptScores(table: TokenTable, rankBy: 'r' | 'iou' = 'r'): ConceptScore[] {
  const names = [...TEXT_CONCEPTS, ...firingWords(table)];
  return names
    .map((concept) => scoreConceptValues(table, concept, conceptValues(table, concept)))
    .sort((a, b) => b[rankBy] - a[rankBy] || a.concept.localeCompare(b.concept));
}
