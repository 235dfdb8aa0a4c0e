import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { investigate } from '../../../agent/investigate.ts';
import { classifyQuestion } from '../../../agent/question.ts';
import { readRun } from '../../../agent/transcript/read.ts';
import { TINY_TRIGGER, writeTinyBackdoorModel } from '../../helpers/backdoor-gpt.ts';

describe('question routing', () => {
  it('tells unit questions from behaviour questions', () => {
    expect(classifyQuestion('what makes this model answer in capitals?')).toEqual({
      kind: 'behaviour',
      behaviour: 'capitals',
    });
    expect(classifyQuestion('When does it write in UPPER CASE?')).toEqual({
      kind: 'behaviour',
      behaviour: 'capitals',
    });
    expect(classifyQuestion('what does blocks.0.mlp.hook_post:3 respond to?')).toEqual({
      kind: 'unit',
      unit: 'blocks.0.mlp.hook_post:3',
    });
    // A unit given with the question wins, even when the question mentions capitals.
    expect(classifyQuestion('does it fire on capitals?', 'synthetic:0')).toEqual({
      kind: 'unit',
      unit: 'synthetic:0',
    });
    expect(classifyQuestion('what does this neuron do?')).toEqual({ kind: 'unit', unit: undefined });
  });
});

describe('dissect on a behaviour question', () => {
  it('finds the trigger of a backdoored model and answers with it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'aia-dissect-behaviour-'));
    const result = await investigate({
      subject: writeTinyBackdoorModel(),
      question: 'What makes this model answer in capitals?',
      backbone: 'dissect',
      runsRoot: join(root, 'runs'),
      cacheDir: join(root, 'cache'),
      probeSetSize: 12,
      progress: false,
    });
    expect(result.status).toBe('answered');
    expect(result.answer?.description).toContain(`"${TINY_TRIGGER}"`);
    expect(result.answer?.description).toMatch(/capital/);
    // The tiny model's sampled rates are low (width 16: a small logit margin), so the answer may report
    // the trigger as its best candidate rather than confirmed; either way it must name it.
    const tools = readRun(result.runDir).events.flatMap((e) => (e.type === 'tool_call' ? [e.tool] : []));
    for (const tool of ['compare_generations', 'token_expectations', 'search_triggers', 'test_trigger'])
      expect(tools).toContain(tool);
    // The investigation asked about the behaviour, never a unit.
    expect(tools).not.toContain('text_exemplars');
  }, 120_000);
});
