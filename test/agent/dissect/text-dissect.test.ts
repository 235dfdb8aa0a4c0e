import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { investigate } from '../../../agent/investigate.ts';
import { verifyRun } from '../../../agent/verify.ts';
import { readRun } from '../../../agent/transcript/read.ts';

/**
 * dissect on a text subject, through the real loop: exemplars, concept statistics, formula search,
 * counterfactual edits predicted by the formula, an answer with the unit's formula; the transcript
 * replays with no divergence. A small text set keeps it quick.
 */
const cacheDir = mkdtempSync(join(tmpdir(), 'aia-text-dissect-'));

async function ask(formula: string) {
  return investigate({
    subject: `synthetic-text:${JSON.stringify([{ id: 'u', family: 'combination', formula }])}`,
    question: 'What does this neuron respond to?',
    backbone: 'dissect',
    probeSetSize: 40,
    cacheDir,
    runsRoot: join(cacheDir, 'runs'),
    progress: false,
  });
}

describe('dissect on synthetic text units', () => {
  it('finds a sequence unit, tests it with edits, and the run replays exactly', async () => {
    const result = await ask('after(animal, colour)');
    expect(result.status).toBe('answered');
    expect(result.answer?.formula).toBe('after(animal, colour)');
    expect(result.answer?.unit).toBe('synthetic:0');
    const supported = result.hypotheses.filter((h) => h.status === 'supported');
    expect(supported).toHaveLength(1);
    const tools = readRun(result.runDir)
      .events.filter((e) => e.type === 'tool_call')
      .map((e) => (e as { tool: string }).tool);
    expect(tools.slice(0, 4)).toEqual([
      'describe_subject',
      'text_exemplars',
      'concept_stats',
      'formula_search',
    ]);
    expect(tools).toContain('edit_texts');
    const verified = await verifyRun(result.runDir, { cacheDir });
    expect(verified.divergences).toEqual([]);
    expect(verified.checked).toBe(tools.length);
  });

  it('answers a unit with an exception (capitals but not sentence starts) with AND NOT', async () => {
    const result = await ask('capitalised AND NOT sentence_start');
    expect(result.answer?.formula).toBe('capitalised AND NOT sentence_start');
  });
});
