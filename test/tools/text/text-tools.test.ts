import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyntheticTextSubject } from '../../../subjects/synthetic-text/index.ts';
import { createTextRegistry } from '../../../tools/index.ts';
import { createContextForTextProbe, type TextToolContext } from '../../../tools/text-context.ts';
import { SyntheticTextProbe } from '../../../tools/text-probe/synthetic-text-probe.ts';
import { loadTextProbe } from '../../../tools/text-probe/load.ts';
import type { TextExemplarsData } from '../../../tools/text/text-exemplars.ts';
import type { TextConceptStatsData } from '../../../tools/text/concept-stats.ts';
import type { TextFormulaSearchData } from '../../../tools/text/formula-search.ts';
import type { EditTextsData } from '../../../tools/text/edit-texts.ts';
import type { CallTextUnitsData } from '../../../tools/text/call-units.ts';

// Stories only (storyShare defaults to 0.3, but 30 texts of stories and Brown annotate in about a second).
const registry = createTextRegistry();
let ctx: TextToolContext;

beforeAll(() => {
  const subject = new SyntheticTextSubject([
    { id: 'colour-animal', family: 'sequence', formula: 'after(animal, colour)' },
    { id: 'quoted', family: 'brackets', formula: 'in_quotes' },
  ]);
  ctx = createContextForTextProbe(new SyntheticTextProbe(subject), {
    cacheDir: mkdtempSync(join(tmpdir(), 'aia-text-tools-')),
    textSetSize: 30,
    progress: false,
  });
});
afterAll(() => ctx.dispose());

describe('text tools on synthetic text units', () => {
  it('text_exemplars ranks texts by their strongest token and marks the firing tokens', async () => {
    const result = await registry.call('text_exemplars', { unit: 'synthetic:0', k: 3, bottom: 1 }, ctx);
    const data = result.data as TextExemplarsData;
    const top = data.exemplars.filter((e) => e.rank === 'top');
    expect(top).toHaveLength(3);
    expect(top[0]!.activation).toBe(1);
    for (const token of top[0]!.firing) expect(token.concepts).toContain('animal');
    expect(top[0]!.marked).toMatch(/\[\[\w+\]\]\(1\.00\)/);
    expect(data.exemplars.at(-1)!.rank).toBe('bottom');
    expect(data.exemplars.at(-1)!.activation).toBe(0);
    expect(result.images).toHaveLength(1);
    expect(result.images[0]!.png.subarray(1, 4).toString()).toBe('PNG');
  });

  it('concept_stats and formula_search recover the rule from held-out tokens', async () => {
    const stats = (await registry.call('concept_stats', { unit: 'synthetic:1', top_k: 3 }, ctx))
      .data as TextConceptStatsData;
    expect(stats.top[0]!.concept).toBe('in_quotes');
    expect(stats.top[0]!.r).toBe(1);
    const search = (
      await registry.call(
        'formula_search',
        { unit: 'synthetic:0', formulas: ['animal', 'colour OR animal'] },
        ctx,
      )
    ).data as TextFormulaSearchData;
    expect(search.formulas[0]!.formula).toBe('after(animal, colour)');
    expect(search.formulas[0]!.r).toBe(1);
    expect(search.scored.map((s) => s.formula)).toEqual(['animal', 'colour OR animal']);
    expect(search.scored[0]!.r).toBeLessThan(1);
    await expect(
      registry.call('formula_search', { unit: 'synthetic:0', formulas: ['anmal'] }, ctx),
    ).rejects.toThrow(/'anmal' is not a token concept \(did you mean animal\?\)/);
    await expect(
      registry.call('formula_search', { unit: 'synthetic:0', candidates: ['colr'] }, ctx),
    ).rejects.toThrow(/'colr' is not a token concept \(did you mean colour\?\)/);
  });

  it('call_units reads every token of texts it is given', async () => {
    const data = (
      await registry.call(
        'call_units',
        { units: ['synthetic:0', 'synthetic:1'], texts: ['A red fox met a fox.', 'She said "hi there".'] },
        ctx,
      )
    ).data as CallTextUnitsData;
    expect(data.activations[0]![0]).toEqual([0, 0, 1, 0, 0, 0, 0]);
    expect(data.maxima[0]).toEqual([1, 0]);
    expect(data.activations[1]![1]).toEqual([0, 0, 0, 1, 1, 0, 0]);
    await expect(registry.call('call_units', { units: ['synthetic:5'], texts: ['x'] }, ctx)).rejects.toThrow(
      /call_units: unit synthetic:5 is out of range/,
    );
  });

  it('edit_texts shows which edits silence the unit', async () => {
    const data = (
      await registry.call(
        'edit_texts',
        {
          unit: 'synthetic:0',
          text: 'A red fox ran.',
          edits: [
            { op: 'delete', token: 1 },
            { op: 'swap', token: 1, category: 'colour' },
            { op: 'swap', token: 2, category: 'food' },
            { op: 'insert', token: 2, word: 'big' },
          ],
        },
        ctx,
      )
    ).data as EditTextsData;
    expect(data.original.max).toBe(1);
    expect(data.variants.map((v) => [v.text, v.max])).toEqual([
      ['A fox ran.', 0],
      ['A blue fox ran.', 1],
      ['A red bread ran.', 0],
      ['A red big fox ran.', 0],
    ]);
    await expect(
      registry.call(
        'edit_texts',
        { unit: 'synthetic:0', text: 'A fox.', edits: [{ op: 'delete', token: 9 }] },
        ctx,
      ),
    ).rejects.toThrow(/token 9 is out of range/);
  });

  it('submit_answer keeps a canonical text formula and refuses an unknown concept', async () => {
    await registry.call(
      'submit_answer',
      { description: 'animals after colours', formula: 'after(animal,colour)', confidence: 0.9 },
      ctx,
    );
    expect(ctx.answer?.formula).toBe('after(animal, colour)');
    await expect(
      registry.call('submit_answer', { description: 'x', formula: 'colur', confidence: 0.5 }, ctx),
    ).rejects.toThrow(/'colur' is not a token concept \(did you mean colour\?\)/);
  });

  it('loads text subject references and names what is wrong with a bad one', async () => {
    const probe = await loadTextProbe('synthetic-text:pos-noun');
    expect(probe.name).toBe('synthetic-text');
    expect(probe.describe().text).not.toContain('noun');
    await expect(loadTextProbe('synthetic-text:pos-nuon')).rejects.toThrow(/did you mean pos-noun/);
    await expect(loadTextProbe('synthetic-text:missing.json')).rejects.toThrow(/does not exist/);
  });
});
