import { describe, expect, it } from 'vitest';
import type { Message, ModelRequest, ModelResponse, ToolResultPart } from '../../../agent/backbone.ts';
import {
  createBenchBackbone,
  ExemplarsOnlyBackbone,
  RandomBackbone,
  commonestConcept,
} from '../../../benchmarks/baselines/index.ts';
import { drawableConcepts, randomConcept } from '../../../benchmarks/baselines/concepts.ts';
import { parseFormula, printFormula } from '../../../subjects/synthetic/index.ts';
import type { Exemplar } from '../../../tools/vision/dataset-exemplars.ts';

/** The scripted baselines: what they call, what they answer, and how they read exemplars. */

function request(messages: Message[], toolChoice: ModelRequest['toolChoice'] = 'auto'): ModelRequest {
  return { system: '', messages, tools: [], maxOutputTokens: 100, toolChoice };
}

const question: Message = {
  role: 'user',
  content: [{ type: 'text', text: 'What does synthetic:0 detect?' }],
};

function args(response: ModelResponse): Record<string, unknown> {
  expect(response.toolCalls).toHaveLength(1);
  return JSON.parse(response.toolCalls[0]!.arguments) as Record<string, unknown>;
}

/** The conversation after a turn: its call and the given result. */
function after(
  messages: Message[],
  response: ModelResponse,
  result: Omit<ToolResultPart, 'callId' | 'name'>,
): Message[] {
  const call = response.toolCalls[0]!;
  return [
    ...messages,
    { role: 'assistant', text: response.text, toolCalls: response.toolCalls },
    { role: 'tool', results: [{ callId: call.id, name: call.name, ...result }] },
  ];
}

function exemplar(
  rank: 'top' | 'bottom',
  activation: number,
  concepts: string[],
  firesOn: string[] = [],
): Exemplar {
  return {
    probeScene: 0,
    activation,
    rank,
    concepts: concepts.map((concept) => ({ concept, area: 0.1 })),
    firesOn: firesOn.map((concept) => ({ concept, coverage: 0.5 })),
    description: concepts.join(', '),
  };
}

describe('random baseline', () => {
  it('draws a drawable concept seeded by the task id: the same for the same id, varied across ids', () => {
    expect(randomConcept('maia-mono-dog')).toBe(randomConcept('maia-mono-dog'));
    const drawn = new Set(Array.from({ length: 40 }, (_, i) => randomConcept(`task-${i}`)));
    expect(drawn.size).toBeGreaterThan(25);
    const pool = new Set(drawableConcepts());
    for (const concept of drawn) expect(pool.has(concept)).toBe(true);
    expect(pool.has('animal')).toBe(false); // categories are not things a scene draws
    expect(pool.has('dog')).toBe(true);
  });

  it('submits its concept at once, as description and parseable formula, then ends; no experiments', async () => {
    const backbone = new RandomBackbone({ id: 'maia-mono-dog', unit: 'synthetic:0' });
    const first = await backbone.next(request([question]));
    expect(first.toolCalls[0]?.name).toBe('submit_answer');
    expect(first.usage).toEqual({ inputTokens: 0, outputTokens: 0 });
    const submitted = args(first);
    const concept = randomConcept('maia-mono-dog');
    expect(submitted).toMatchObject({ description: concept, unit: 'synthetic:0', evidence: [] });
    expect(printFormula(parseFormula(submitted.formula as string))).toBe(submitted.formula);

    const accepted = after([question], first, { text: '[c1] answer recorded', images: [], isError: false });
    const done = await backbone.next(request(accepted));
    expect(done.toolCalls).toEqual([]);
    expect(done.stopReason).toBe('end_turn');
  });

  it('a refused answer is retried once as a bare description, then it gives up', async () => {
    const backbone = new RandomBackbone({ id: 't', unit: 'bad:unit' });
    const first = await backbone.next(request([question]));
    const refused = after([question], first, { text: '[c1] error: no such unit', images: [], isError: true });
    const retry = args(await backbone.next(request(refused)));
    expect(retry).not.toHaveProperty('formula');
    expect(retry).not.toHaveProperty('unit');
    const retried = await backbone.next(request(refused));
    const twice = after(refused, retried, { text: '[c2] error: still no', images: [], isError: true });
    expect((await backbone.next(request(twice))).toolCalls).toEqual([]);
  });
});

describe('exemplars-only baseline', () => {
  const data = {
    unit: 'synthetic:0',
    probeSet: 'p',
    scenes: 100,
    stats: { mean: 0.1, max: 1, min: 0 },
    exemplars: [
      exemplar('top', 1, ['dog', 'grass'], ['dog']),
      exemplar('top', 0.9, ['dog', 'sky'], ['dog']),
      exemplar('top', 0.8, ['dog', 'car'], ['dog']),
      exemplar('bottom', 0, ['grass', 'cat']),
    ],
  };

  it('looks once at the exemplars, then submits their concept citing that call; nothing else', async () => {
    const backbone = new ExemplarsOnlyBackbone({ id: 't', unit: 'synthetic:0' });
    const look = await backbone.next(request([question]));
    expect(look.toolCalls[0]?.name).toBe('dataset_exemplars');
    expect(args(look)).toEqual({ unit: 'synthetic:0', k: 12, bottom: 6 });

    const looked = after([question], look, {
      text: '[c1] synthetic:0 over probe set …',
      images: [],
      isError: false,
      data,
    });
    const answer = await backbone.next(request(looked));
    expect(answer.toolCalls[0]?.name).toBe('submit_answer');
    expect(args(answer)).toMatchObject({
      description: 'dog',
      formula: 'dog',
      evidence: ['c1'],
      unit: 'synthetic:0',
    });
  });

  it('with no unit to look at, or a forced final turn before looking, it can only guess', async () => {
    const noUnit = await new ExemplarsOnlyBackbone({ id: 'q' }).next(request([question]));
    expect(noUnit.toolCalls[0]?.name).toBe('submit_answer');
    expect(args(noUnit).description).toBe(randomConcept('q'));
    const forced = await new ExemplarsOnlyBackbone({ id: 'q', unit: 'synthetic:0' }).next(
      request([question], { name: 'submit_answer' }),
    );
    expect(forced.toolCalls[0]?.name).toBe('submit_answer');
  });

  it('reads only the top exemplars where the unit fires, and prefers what the bottom ones lack', () => {
    // Five firing scenes show a jigsaw; seven "top" scenes at zero (the unit is silent there) show toys.
    const silentToys = Array.from({ length: 7 }, () => exemplar('top', 0, ['ball', 'green']));
    const jigsaws = Array.from({ length: 5 }, () => exemplar('top', 1, ['jigsaw', 'green'], ['jigsaw']));
    const bottom = [exemplar('bottom', 0, ['green', 'sky']), exemplar('bottom', 0, ['green'])];
    expect(commonestConcept([...jigsaws, ...silentToys, ...bottom])).toBe('jigsaw');
  });

  it('names a category when its members share the exemplars, its member when one dominates', () => {
    const birds = ['parrot', 'duck', 'owl', 'eagle'].map((b) => exemplar('top', 1, [b, 'blue'], [b]));
    const bottom = [exemplar('bottom', 0, ['blue', 'car'])];
    expect(commonestConcept([...birds, ...bottom])).toBe('bird');
    const dogs = [
      ...Array.from({ length: 9 }, () => exemplar('top', 1, ['dog'], ['dog'])),
      exemplar('top', 1, ['horse'], ['horse']),
    ];
    expect(commonestConcept([...dogs, ...bottom])).toBe('dog');
    expect(commonestConcept([])).toBeUndefined();
  });

  it('the registry hands baselines to the loop as instances and every other name through as is', () => {
    expect(createBenchBackbone('random', { id: 'a' })).toBeInstanceOf(RandomBackbone);
    expect(createBenchBackbone('exemplars-only', { id: 'a', unit: 'u:1' })).toBeInstanceOf(
      ExemplarsOnlyBackbone,
    );
    expect(createBenchBackbone('dissect', { id: 'a' })).toBe('dissect');
    expect(createBenchBackbone('anthropic', { id: 'a' })).toBe('anthropic');
  });
});
