import { getConcept, lookupConcept, suggestConcepts, type ConceptKind } from '../../stimuli/vocabulary.ts';
import { ToolError } from '../tool.ts';

/**
 * Concept names as tools take them: any case, synonyms and plurals ("Dogs" → 'dog'), and word concepts
 * 'word:<text>'. An unknown name is a ToolError with the nearest vocabulary names.
 */
export function canonicalConcept(name: string, tool: string): string {
  const concept = lookupConcept(name);
  if (concept) return concept.name;
  const near = suggestConcepts(name, 5);
  throw new ToolError(
    `unknown concept '${name}'` +
      (near.length ? `; did you mean ${near.map((n) => `'${n}'`).join(', ')}?` : '') +
      " (concepts are objects, shapes, colours, textures, backgrounds, 'text' and 'word:<text>')",
    tool,
  );
}

/** The kind a concept is grouped under in reports ('other' for names outside the vocabulary). */
export function conceptKind(name: string): ConceptKind | 'other' {
  return getConcept(name)?.kind ?? 'other';
}
