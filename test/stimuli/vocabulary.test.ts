import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CUSTOM_SPRITES } from '../../stimuli/custom-sprites.ts';
import { maiaConceptMapping } from '../../stimuli/maia-mapping.ts';
import { objectSpriteSource } from '../../stimuli/sprites.ts';
import { getTexture } from '../../stimuli/textures.ts';
import { shapeSvg } from '../../stimuli/shapes.ts';
import {
  allConceptNames,
  ancestors,
  colourRgb,
  conceptsOfKind,
  getConcept,
  isA,
  lookupConcept,
  membersOf,
  suggestConcepts,
  wordConceptName,
} from '../../stimuli/vocabulary.ts';
import { MAIA_CONCEPTS_FILE } from '../../subjects/synthetic/maia.ts';

const twemojiDir = dirname(createRequire(import.meta.url).resolve('@twemoji/svg/package.json'));

function maiaConcepts(): string[] {
  const text = readFileSync(MAIA_CONCEPTS_FILE, 'utf8');
  const words = new Set<string>();
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    for (const concept of line.split('\t').slice(1)) words.add(concept.trim());
  }
  return [...words];
}

describe('vocabulary contents', () => {
  it('has at least 80 objects, each with a sprite file that exists', () => {
    const objects = conceptsOfKind('object');
    expect(objects.length).toBeGreaterThanOrEqual(80);
    for (const name of objects) {
      const source = objectSpriteSource(name);
      expect(source, name).toBeDefined();
      if (source?.startsWith('custom:')) expect(CUSTOM_SPRITES[source.slice(7)], name).toBeDefined();
      else expect(existsSync(join(twemojiDir, `${source}.svg`)), `${name} → ${source}`).toBe(true);
    }
  });

  it('has shapes, ~16 colours with RGB, textures and backgrounds, each implemented', () => {
    expect(conceptsOfKind('shape')).toEqual(expect.arrayContaining(['circle', 'square', 'triangle', 'star', 'ring', 'spiral', 'heart', 'cross', 'hexagon']));
    for (const shape of conceptsOfKind('shape')) expect(shapeSvg(shape), shape).toBeDefined();
    const colours = conceptsOfKind('colour');
    expect(colours.length).toBeGreaterThanOrEqual(14);
    for (const colour of colours) expect(colourRgb(colour), colour).toHaveLength(3);
    for (const texture of conceptsOfKind('texture')) expect(getTexture(texture), texture).toBeDefined();
    expect(conceptsOfKind('texture')).toEqual(expect.arrayContaining(['stripes', 'dots', 'checks', 'zigzag', 'brick', 'wood', 'grass', 'water', 'fur']));
    expect(conceptsOfKind('background')).toEqual(expect.arrayContaining(['sky', 'grass', 'sand', 'water', 'snow', 'brick wall', 'road', 'white']));
  }); // prettier-ignore

  it('names are lowercase and every parent is a known concept', () => {
    for (const name of allConceptNames()) {
      expect(name).toBe(name.toLowerCase());
      for (const parent of getConcept(name)?.parents ?? [])
        expect(getConcept(parent), `${name} → ${parent}`).toBeDefined();
    }
  });

  it('maps every concept of the 85 MAIA neurons to a known concept or says why not', () => {
    const concepts = maiaConcepts();
    expect(concepts.length).toBeGreaterThan(80);
    for (const concept of concepts) {
      const mapping = maiaConceptMapping[concept];
      expect(mapping, concept).toBeDefined();
      if (mapping?.concept)
        expect(getConcept(mapping.concept), `${concept} → ${mapping.concept}`).toBeDefined();
      else expect(mapping?.note.length).toBeGreaterThan(0);
    }
    expect(Object.keys(maiaConceptMapping).sort()).toEqual([...concepts].sort());
  });
});

describe('lookupConcept', () => {
  it('finds names, synonyms and plurals, case-insensitively', () => {
    expect(lookupConcept('Dog')?.name).toBe('dog');
    expect(lookupConcept('dogs')?.name).toBe('dog');
    expect(lookupConcept('PUPPIES')?.name).toBe('dog');
    expect(lookupConcept('buses')?.name).toBe('bus');
    expect(lookupConcept('leaves')?.name).toBe('leaf');
    expect(lookupConcept('grey')?.name).toBe('gray');
    expect(lookupConcept('striped')?.name).toBe('stripes');
    expect(lookupConcept('race cars')?.name).toBe('racecar');
    expect(lookupConcept('fire')?.name).toBe('flame');
    expect(lookupConcept('  brick   wall ')?.name).toBe('brick wall');
    expect(lookupConcept('glasses')?.name).toBe('glasses');
    expect(lookupConcept('unicornz')).toBeUndefined();
  });

  it('gives roles: grass is a texture and a background, road a background and an object', () => {
    expect(getConcept('grass')?.roles).toEqual(expect.arrayContaining(['texture', 'background']));
    expect(getConcept('road')?.roles).toEqual(['background', 'object']);
    expect(conceptsOfKind('object')).toContain('road');
    expect(conceptsOfKind('background')).toContain('grass');
  });

  it('word concepts are open-ended children of text', () => {
    expect(wordConceptName('  Hello  World ')).toBe('word:hello world');
    expect(getConcept('word:stop')?.kind).toBe('word');
    expect(ancestors('word:stop')).toEqual(['text']);
  });
});

describe('suggestConcepts', () => {
  it('suggests the nearest names first, transpositions included', () => {
    expect(suggestConcepts('dgo')[0]).toBe('dog');
    expect(suggestConcepts('zebrra')[0]).toBe('zebra');
    expect(suggestConcepts('helicoptre')[0]).toBe('helicopter');
    expect(suggestConcepts('car windw', 3)).toContain('car');
    expect(suggestConcepts('bannana', 1)).toEqual(['banana']);
  });

  it('can be restricted to a role', () => {
    const colours = suggestConcepts('rad', 3, ['colour']);
    expect(colours[0]).toBe('red');
    for (const name of colours) expect(getConcept(name)?.roles).toContain('colour');
  });
});

describe('hierarchy', () => {
  it('lists ancestors nearest first, without duplicates', () => {
    expect(ancestors('dog')).toEqual(['mammal', 'pet', 'animal']);
    expect(ancestors('duck')).toEqual(['bird', 'animal']);
    expect(ancestors('racecar')).toEqual(['car', 'vehicle']);
    expect(ancestors('red')).toEqual(['warm colour', 'colour']);
    expect(ancestors('blue')).toContain('cool colour');
    expect(ancestors('brick wall')).toContain('brick');
    expect(ancestors('unknown thing')).toEqual([]);
  });

  it('isA and membersOf agree with ancestors', () => {
    expect(isA('poodle', 'animal')).toBe(true);
    expect(isA('truck', 'vehicle')).toBe(true);
    expect(isA('truck', 'animal')).toBe(false);
    const instruments = membersOf('instrument');
    expect(instruments).toEqual(expect.arrayContaining(['guitar', 'piano', 'violin']));
    for (const member of instruments) expect(ancestors(member)).toContain('instrument');
    expect(membersOf('bug').length).toBeGreaterThanOrEqual(6);
  });
});
