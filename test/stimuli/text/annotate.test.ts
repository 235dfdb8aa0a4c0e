import { describe, expect, it } from 'vitest';
import { annotateText } from '../../../stimuli/text/annotate.ts';
import { universalTags } from '../../../stimuli/text/brown-tags.ts';
import { brownText, readBrownDocument } from '../../../stimuli/text/brown.ts';
import { applyTextEdit, TextEdit } from '../../../stimuli/text/edits.ts';
import { lexicalCategories } from '../../../stimuli/text/lexicon.ts';
import { generateStory } from '../../../stimuli/text/stories.ts';

const concepts = (text: string, options = { entities: false }) => {
  const annotated = annotateText(text, { id: 't', source: 'given', ...options });
  return new Map(annotated.tokens.map((t, i) => [`${i}:${t.text}`, t.concepts]));
};

describe('token annotation', () => {
  it('marks sentence starts, capitals, quotes, brackets with depth, repetition and lexical categories', () => {
    const annotated = annotateText('Anna saw a red fox (near the (old) river). "The fox ran," said Anna.', {
      id: 'a',
      source: 'given',
      entities: false,
    });
    const byText = (text: string, nth = 0) => annotated.tokens.filter((t) => t.text === text)[nth]!;
    expect(byText('Anna').concepts).toEqual(expect.arrayContaining(['sentence_start', 'capitalised']));
    expect(byText('Anna').concepts).not.toContain('repeated');
    expect(byText('Anna', 1).concepts).toContain('repeated');
    expect(byText('red').concepts).toEqual(expect.arrayContaining(['colour', 'adjective']));
    expect(byText('near').concepts).toContain('in_brackets');
    expect(byText('near').bracketDepth).toBe(1);
    expect(byText('old').bracketDepth).toBe(2);
    expect(byText('river').bracketDepth).toBe(1);
    expect(byText('saw').concepts).not.toContain('in_brackets');
    // The quote opens a new sentence: its first word starts it and is quoted.
    expect(byText('The').concepts).toEqual(expect.arrayContaining(['sentence_start', 'in_quotes']));
    expect(byText('said').concepts).not.toContain('in_quotes');
    for (const token of annotated.tokens)
      expect(annotated.text.slice(token.start, token.end)).toBe(token.text);
  });

  it('adds compromise people, places and values when entities are on', () => {
    const on = concepts('Yesterday Marguerite flew to Lisbon with 42 crates.', { entities: true });
    expect(on.get('1:Marguerite')).toContain('person');
    expect(on.get('4:Lisbon')).toContain('place');
    expect(on.get('6:42')).toContain('number');
  });

  it('generates stories whose filled slots the annotator labels with their category', () => {
    for (const seed of [1, 2, 3]) {
      const story = generateStory(seed, 4);
      const annotated = annotateText(story.text, { id: `s${seed}`, source: 'story', entities: false });
      for (const slot of story.slots) {
        const token = annotated.tokens.find((t) => t.start === slot.start);
        expect(token, `${slot.word} in "${story.text}"`).toBeDefined();
        expect(lexicalCategories(token!.text)).toContain(slot.category);
        expect(token!.concepts).toContain(slot.category);
      }
    }
    expect(generateStory(7).text).toBe(generateStory(7).text);
    expect(generateStory(7).text).not.toBe(generateStory(8).text);
  });
});

describe('Brown corpus', () => {
  it('reads gold tags and lays sentences out as text with exact spans', () => {
    const document = readBrownDocument('ca01');
    expect(document.sentences[0]!.slice(0, 2)).toEqual([
      { word: 'The', tag: 'at' },
      { word: 'Fulton', tag: 'np-tl' },
    ]);
    const { text, spans } = brownText(document.sentences.slice(0, 1));
    expect(text.startsWith('The Fulton County Grand Jury said Friday')).toBe(true);
    expect(text).toContain('produced “no evidence” that');
    for (const [i, span] of spans.entries()) {
      const word = document.sentences[0]![i]!.word;
      expect(text.slice(span.start, span.end)).toBe(word === '``' ? '“' : word === "''" ? '”' : word);
    }
    expect(() => readBrownDocument('zz99')).toThrow(/not a Brown document/);
  });

  it('maps Brown tags to universal tags, suffixes and joins included', () => {
    expect(universalTags('np-tl')).toEqual(['PROPN']);
    expect(universalTags('nns')).toEqual(['NOUN']);
    expect(universalTags('bedz')).toEqual(['AUX', 'VERB']);
    expect(universalTags('pps+bez')).toEqual(['PRON']);
    expect(universalTags('jj-hl')).toEqual(['ADJ']);
    expect(universalTags('fw-nn')).toBeUndefined();
  });
});

describe('text edits', () => {
  const text = annotateText('The red fox ran home.', { id: 'e', source: 'given', entities: false });
  const edit = (raw: unknown) => applyTextEdit(text, TextEdit.parse(raw)).text;

  it('replaces, inserts, deletes and swaps words exactly', () => {
    expect(edit({ op: 'replace', token: 2, word: 'dog' })).toBe('The red dog ran home.');
    expect(edit({ op: 'insert', token: 1, word: 'very' })).toBe('The very red fox ran home.');
    expect(edit({ op: 'insert', token: 6, word: 'now' })).toBe('The red fox ran home. now');
    expect(edit({ op: 'delete', token: 1 })).toBe('The fox ran home.');
    expect(edit({ op: 'swap', token: 1, category: 'colour' })).toBe('The blue fox ran home.');
    expect(edit({ op: 'swap', token: 1, category: 'animal', choice: 1 })).toBe('The cat fox ran home.');
  });

  it('refuses a token out of range and an unknown category, naming them', () => {
    expect(() => edit({ op: 'delete', token: 6 })).toThrow(/token 6 is out of range: the text has 6 tokens/);
    expect(() => TextEdit.parse({ op: 'swap', token: 1, category: 'vehicle' })).toThrow(
      /a category is one of/,
    );
  });
});
