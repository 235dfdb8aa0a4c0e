import { describe, expect, it } from 'vitest';
import { renderScene } from '../../../stimuli/render.ts';
import { colourRgb, conceptsOfKind } from '../../../stimuli/vocabulary.ts';
import {
  colourHue,
  HUE_COLOURS,
  maiaUnitDefinitions,
  SyntheticSubject,
  type AnnotatedScene,
} from '../../../subjects/synthetic/index.ts';
import { rgbHue } from '../../../subjects/synthetic/hues.ts';
import { onPixels } from './fixtures.ts';

// Subjects may not import stimuli, so these checks that the two agree live in the tests.
describe('synthetic units on rendered scenes', () => {
  it('the hue table matches the vocabulary colours', () => {
    const chromatic = conceptsOfKind('colour').filter((name) => rgbHue(colourRgb(name)!) !== undefined);
    for (const name of chromatic) {
      expect(HUE_COLOURS, name).toContain(name);
      expect(colourHue(name), name).toBeCloseTo(rgbHue(colourRgb(name)!)!, 6);
    }
    for (const name of HUE_COLOURS) expect(colourRgb(name), name).toBeDefined();
  });

  it('a rendered scene is an AnnotatedScene and units read its masks and items', async () => {
    const rendered = await renderScene({
      background: 'grass',
      items: [
        { kind: 'object', name: 'dog', x: 0.25, y: 0.5, size: 0.4 },
        { kind: 'object', name: 'cat', x: 0.75, y: 0.5, size: 0.4 },
        { kind: 'word', name: 'Stop', x: 0.5, y: 0.15, size: 0.12, colour: 'red' },
      ],
    });
    const scene: AnnotatedScene = rendered;
    const subject = new SyntheticSubject([
      ...maiaUnitDefinitions(),
      { id: 'left-dog', family: 'spatial', concept: 'dog', half: 'left' },
      { id: 'right-dog', family: 'spatial', concept: 'dog', half: 'right' },
      { id: 'dog-left-of-cat', family: 'relational', concept: 'dog', relation: 'left_of', reference: 'cat' },
      { id: 'cat-left-of-dog', family: 'relational', concept: 'cat', relation: 'left_of', reference: 'dog' },
      { id: 'two-animals', family: 'counting', concept: 'animal', count: 2 },
      { id: 'stop', family: 'word', text: 'stop' },
      { id: 'go', family: 'word', text: 'go' },
    ]);
    const names = [
      'maia-mono-dog',
      'maia-and-grass-dog',
      'maia-and-dog-leash',
      'left-dog',
      'right-dog',
      'dog-left-of-cat',
      'cat-left-of-dog',
      'two-animals',
      'stop',
      'go',
    ];
    const values = Object.fromEntries(
      subject.activations([scene], names).map((r) => [r.unit.slice('synthetic:'.length), r.scenes[0]!.value]),
    );
    expect(onPixels(subject.activations([scene], ['maia-mono-dog'])[0]!.scenes[0]!.map)).toEqual(
      onPixels(rendered.masks.get('dog')!),
    );
    expect(values['maia-mono-dog']).toBe(1);
    expect(values['maia-and-grass-dog']).toBe(1);
    expect(values['maia-and-dog-leash']).toBeLessThan(0.1);
    expect(values['left-dog']).toBe(1);
    expect(values['right-dog']).toBe(0);
    expect(values['dog-left-of-cat']).toBe(1);
    expect(values['cat-left-of-dog']).toBe(0);
    expect(values['two-animals']).toBe(1);
    expect(values.stop).toBeGreaterThan(0.1);
    expect(values.go).toBe(0);
  });
});
