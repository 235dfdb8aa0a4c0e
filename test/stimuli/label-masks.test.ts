import { describe, expect, it } from 'vitest';
import { deriveMasks, LabelMasks } from '../../stimuli/masks.ts';

// Three labels: background 'grass', a dog (animal), a cat (animal); runs of each along one row.
const labels = Uint8Array.from([0, 0, 1, 1, 1, 0, 2, 2]);
const labelConcepts = [['grass'], ['dog', 'animal'], ['cat', 'animal']];

const entries = (map: Map<string, Uint8Array>) => [...map].map(([name, mask]) => [name, [...mask]]);

describe('LabelMasks', () => {
  it('derives a mask on first read, equal to deriveMasks', () => {
    const lazy = new LabelMasks(labelConcepts, labels);
    const eager = deriveMasks(labels, labelConcepts);
    expect([...lazy.get('animal')!]).toEqual([...eager.get('animal')!]);
    expect(lazy.get('horse')).toBeUndefined();
    expect(lazy.has('cat')).toBe(true);
    expect(lazy.has('horse')).toBe(false);
    expect(lazy.size).toBe(eager.size);
  });

  it('decodes the label map only when a mask is first read', () => {
    let decodes = 0;
    const lazy = new LabelMasks(labelConcepts, () => (decodes++, labels));
    expect(lazy.has('dog') && !lazy.has('horse') && lazy.size === 4).toBe(true);
    expect(decodes).toBe(0);
    lazy.get('dog');
    lazy.get('cat');
    expect(decodes).toBe(1);
  });

  it('iterates every mask in deriveMasks order, whatever was read first', () => {
    const lazy = new LabelMasks(labelConcepts, labels);
    lazy.get('cat');
    lazy.get('grass');
    expect(entries(lazy)).toEqual(entries(deriveMasks(labels, labelConcepts)));
    expect([...lazy.keys()]).toEqual(['grass', 'dog', 'animal', 'cat']);
  });

  it('keeps a mask set by hand over the derived one, and forgets deleted ones', () => {
    const lazy = new LabelMasks(labelConcepts, labels);
    const custom = new Uint8Array(8).fill(1);
    lazy.set('dog', custom);
    expect(lazy.delete('cat')).toBe(true);
    expect(lazy.get('dog')).toBe(custom);
    expect(lazy.has('cat')).toBe(false);
    expect([...lazy.keys()]).toEqual(['grass', 'dog', 'animal']);
    expect(lazy.size).toBe(3);
  });
});
