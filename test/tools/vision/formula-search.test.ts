import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToolContext, createVisionRegistry, type ToolContext } from '../../../tools/index.ts';
import type { FormulaSearchData } from '../../../tools/vision/formula-search.ts';
import type { ConceptStatsData } from '../../../tools/vision/concept-stats.ts';
import { sameFormula } from '../../agent/dissect/agreement.ts';

/**
 * formula_search on synthetic units whose formula is known, over a 400-scene probe set. The set is
 * content-addressed, so it lives in a shared temporary cache and is drawn once across runs.
 */

const UNITS = [
  { family: 'or', id: 'dog-or-bird', concepts: ['dog', 'bird'] },
  { family: 'negation', id: 'dog-not-grass', concept: 'dog', unless: 'grass' },
  { family: 'and', id: 'fish-and-water', concepts: ['fish', 'water'] },
  // A contradiction: this unit never fires on any scene. (A concept no scene has is refused on load.)
  { family: 'formula', id: 'never', formula: 'dog AND NOT dog' },
];
const TRUTH = ['dog OR bird', 'dog AND NOT grass', 'fish AND water'];

const registry = createVisionRegistry();
let ctx: ToolContext;

beforeAll(async () => {
  const cacheDir = join(tmpdir(), 'aia-test-cache-dissect');
  mkdirSync(cacheDir, { recursive: true });
  ctx = await createToolContext(`synthetic:${JSON.stringify(UNITS)}`, {
    cacheDir,
    probeSetSize: 400,
    seed: 3,
    progress: false,
    workers: 0,
  });
});
afterAll(() => ctx.dispose());

async function search(args: Record<string, unknown>): Promise<FormulaSearchData> {
  return (await registry.call('formula_search', args, ctx)).data as FormulaSearchData;
}

describe('formula_search', () => {
  it.each(TRUTH.map((truth, i) => [truth, i] as const))(
    'finds %s, scoring it as the unit',
    async (truth, index) => {
      const data = await search({ unit: `synthetic:${index}`, rank_by: 'r', formulas: [truth] });
      const best = data.formulas[0];
      // The truth scores r = 1 (it is the unit, noise aside); the search finds it or an equal.
      expect(data.scored[0]?.score?.r).toBeGreaterThan(0.97);
      expect(best?.r).toBeGreaterThan(0.97);
      expect(sameFormula(best?.formula ?? '', truth)).toBe(true);
      expect(best?.description.length).toBeGreaterThan(3);
    },
  );

  it('ranks by IoU as Mu & Andreas and reports the NetDissect ranking of single concepts', async () => {
    const data = await search({ unit: 'synthetic:0' });
    expect(data.rankBy).toBe('iou');
    expect(sameFormula(data.formulas[0]?.formula ?? '', 'dog OR bird')).toBe(true);
    const stats = (await registry.call('concept_stats', { unit: 'synthetic:0', top_k: 3 }, ctx))
      .data as ConceptStatsData;
    // Single concepts score exactly as concept_stats scores them.
    for (const c of stats.top) {
      const same = data.concepts.find((s) => s.formula === c.concept);
      if (same) expect(same.iou).toBeCloseTo(c.iou, 3);
    }
    expect(data.threshold).toBeCloseTo(stats.threshold, 6);
    // Only the scenes that could reach the threshold had their maps computed.
    expect(data.mappedScenes).toBeLessThan(data.scenes);
    expect(data.formulas.every((f) => f.iou >= 0 && f.iou <= 1 && Math.abs(f.r) <= 1)).toBe(true);
  });

  it('says a unit that never fires has nothing to explain', async () => {
    const result = await registry.call('formula_search', { unit: 'synthetic:3' }, ctx);
    const data = result.data as FormulaSearchData;
    expect(data.activeFraction).toBe(0);
    expect(data.formulas).toEqual([]);
    expect(result.text).toMatch(/never exceeds its threshold/);
  });

  it('refuses unknown concepts and formulas that do not parse', async () => {
    await expect(
      registry.call('formula_search', { unit: 'synthetic:0', candidates: ['dgo'] }, ctx),
    ).rejects.toThrow(/unknown concept 'dgo'; did you mean 'dog'/);
    await expect(
      registry.call('formula_search', { unit: 'synthetic:0', formulas: ['dog OR'] }, ctx),
    ).rejects.toThrow(/does not parse/);
    const data = await search({ unit: 'synthetic:0', formulas: ['Dogs OR bird'], max_length: 1 });
    expect(data.scored[0]?.formula).toBe('dog OR bird');
    expect(data.scored[0]?.score?.r).toBeGreaterThan(0.97);
  });

  it('scores formulas the table cannot express by evaluating them, with the same meaning', async () => {
    // Expressible formulas are scored by the table; the same formula wrapped in a no-op size band
    // (area(x, 0, 1) keeps every item that is x) must be evaluated instead and give the same numbers.
    const plain = ['dog OR bird', 'dog AND NOT grass', 'bird AND sky'];
    const wrapped = plain.map((f) => `area(${f}, 0, 1)`);
    const data = await search({ unit: 'synthetic:0', formulas: [...plain, ...wrapped], max_length: 1 });
    for (let i = 0; i < plain.length; i++) {
      const table = data.scored[i]!.score!;
      const evaluated = data.scored[i + plain.length]!.score!;
      expect(evaluated.r, plain[i]).toBeCloseTo(table.r, 3);
      expect(evaluated.iou, plain[i]).toBeCloseTo(table.iou, 3);
      expect(evaluated.scenes, plain[i]).toBe(table.scenes);
    }
    // A size band the unit does not have scores below the unit's own formula.
    const sized = await search({
      unit: 'synthetic:0',
      formulas: ['small(dog) OR small(bird)'],
      max_length: 1,
    });
    expect(sized.scored[0]?.score?.r).toBeLessThan(data.scored[0]!.score!.r - 0.1);
  });
});
