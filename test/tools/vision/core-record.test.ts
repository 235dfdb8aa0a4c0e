import { describe, expect, it } from 'vitest';
import { createContextForProbe, createVisionRegistry } from '../../../tools/index.ts';
import { loadProbe } from '../../../tools/probe/load.ts';
import { ToolError } from '../../../tools/tool.ts';
import type { RenderScenesData } from '../../../tools/vision/render-scenes.ts';

/** Hypotheses, answers and stimulus arguments: tools that need no probe set. */

const probe = await loadProbe('synthetic:maia/mono-dog');
const registry = createVisionRegistry();
const fresh = () => createContextForProbe(probe, { cacheDir: '/nonexistent-never-written', progress: false });

describe('record_hypothesis', () => {
  it('numbers hypotheses, keeps status and evidence, and revises only known ones', async () => {
    const ctx = fresh();
    const first = await registry.call('record_hypothesis', { text: 'unit 0 detects animals' }, ctx);
    expect(first.text).toMatch(/^recorded h1 \(proposed\)\./);
    const second = await registry.call(
      'record_hypothesis',
      {
        text: 'unit 0 detects dogs only',
        status: 'supported',
        evidence: ['call-3', 'call-4'],
        revises: 'h1',
      },
      ctx,
    );
    expect(second.data).toMatchObject({ hypothesis: { id: 'h2', status: 'supported', revises: 'h1' } });
    expect(ctx.hypotheses.map((h) => [h.id, h.status, h.evidence])).toEqual([
      ['h1', 'proposed', []],
      ['h2', 'supported', ['call-3', 'call-4']],
    ]);
    expect(second.text).toMatch(/h2 \[supported\] unit 0 detects dogs only \(evidence: call-3, call-4\)/);
    await expect(registry.call('record_hypothesis', { text: 'x', revises: 'h9' }, ctx)).rejects.toThrow(
      /no hypothesis 'h9' to revise \(recorded: h1, h2\)/,
    );
    await expect(registry.call('record_hypothesis', { text: 'x', status: 'maybe' }, ctx)).rejects.toThrow(
      /status: .*"proposed"/,
    );
  });
});

describe('submit_answer', () => {
  it('stores the answer with a canonical formula and a parsed unit; resubmitting replaces it', async () => {
    const ctx = fresh();
    const result = await registry.call(
      'submit_answer',
      { description: 'dogs', formula: 'dog  or   CAT', confidence: 0.8, evidence: ['h2'], unit: 'synthetic:0' },
      ctx,
    );
    expect(ctx.answer).toEqual({ description: 'dogs', formula: 'dog OR cat', confidence: 0.8, evidence: ['h2'], unit: 'synthetic:0' });
    expect(result.text).toMatch(/^answer recorded: dogs\nformula: dog OR cat\nconfidence: 0\.8/);
    const again = await registry.call('submit_answer', { description: 'dogs only', confidence: 0.9 }, ctx);
    expect(again.data).toMatchObject({ replaced: true });
    expect(ctx.answer?.formula).toBeUndefined();
  }); // prettier-ignore

  it('refuses a formula that does not parse, naming the bad token, and bad confidence or units', async () => {
    const ctx = fresh();
    const bad = registry.call(
      'submit_answer',
      { description: 'x', formula: 'dog AND (cat', confidence: 0.5 },
      ctx,
    );
    await expect(bad).rejects.toBeInstanceOf(ToolError);
    await expect(bad).rejects.toThrow(/formula does not parse: .*expected '\)'/);
    await expect(
      registry.call('submit_answer', { description: 'x', formula: 'dog ORR cat', confidence: 0.5 }, ctx),
    ).rejects.toThrow(/ORR/);
    await expect(registry.call('submit_answer', { description: 'x', confidence: 1.5 }, ctx)).rejects.toThrow(
      /confidence: .*1/,
    );
    await expect(
      registry.call('submit_answer', { description: 'x', confidence: 0.5, unit: 'synthetic:3' }, ctx),
    ).rejects.toThrow(/unit 3 is out of range/);
    expect(ctx.answer).toBeUndefined();
  });
});

describe('stimulus arguments', () => {
  it('render phrases and specs at the subject scene size unless the spec gives one', async () => {
    const ctx = fresh();
    const result = await registry.call(
      'render_scenes',
      {
        stimuli: [
          'a dog on grass',
          { background: 'sand', items: [{ kind: 'shape', name: 'circle', colour: 'red' }] },
          { width: 64, height: 32, background: 'white' },
        ],
      },
      ctx,
    );
    const sizes = (result.data as RenderScenesData).scenes.map((s) => {
      const spec = s.spec as { width: number; height: number };
      return [spec.width, spec.height];
    });
    expect(sizes).toEqual([[224, 224], [224, 224], [64, 32]]);
    expect(result.text).toMatch(/\[1\] a small red circle on sand: .*circle/);
    await expect(registry.call('render_scenes', { stimuli: [] }, ctx)).rejects.toThrow(/stimuli: .*1/);
    await expect(
      registry.call('render_scenes', { stimuli: [{ background: 'sand', items: [{ kind: 'object', name: 'dgo' }] }] }, ctx),
    ).rejects.toThrow(/stimulus 0: .*dgo.*dog/);
  }); // prettier-ignore

  it('every tool exposes a JSON Schema with a description written for a model', () => {
    const specs = registry.specs();
    const mine = ['describe_subject', 'list_units', 'call_units', 'dataset_exemplars', 'render_scenes',
      'edit_scenes', 'classify', 'record_hypothesis', 'submit_answer']; // prettier-ignore
    for (const name of mine) {
      const spec = specs.find((s) => s.name === name);
      expect(spec?.inputSchema.type, name).toBe('object');
      expect(spec?.description.length, name).toBeGreaterThan(80);
    }
  });
});
