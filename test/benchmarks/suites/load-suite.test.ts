import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSuite, parseSuite } from '../../../benchmarks/suite.ts';
import { InputError } from '../../../util/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'aia-suite-test-'));

function task(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'dog-unit',
    family: 'mono',
    subject: 'synthetic:[{"id":"dog-unit","family":"mono","concept":"dog"}]',
    question: 'What does unit synthetic:0 detect?',
    truth: { formula: 'dog', concepts: ['dog'], description: 'Fires on dogs.' },
    scorers: ['formula', 'concept'],
    heldOut: { seed: 7, n: 500 },
    ...overrides,
  };
}

function suiteFile(name: string, tasks: unknown[], extra: Record<string, unknown> = {}): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify({ name, description: 'a test suite', version: 1, tasks, ...extra }));
  return path;
}

function errorOf(load: () => unknown): string {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

describe('loadSuite', () => {
  it('reads a user suite file', () => {
    const suite = loadSuite(suiteFile('good', [task()]));
    expect(suite.tasks[0]?.truth.concepts).toEqual(['dog']);
  });

  it('names the field of a malformed task, with the task id', () => {
    const message = errorOf(() => loadSuite(suiteFile('bad-truth', [task({ truth: { formula: 'dog' } })])));
    expect(message).toContain('bad-truth.json');
    expect(message).toContain('tasks[0] (dog-unit).truth.description');
  });

  it('rejects the agent’s probe-set seed, unknown scorers, broken formulas and unknown concepts', () => {
    expect(errorOf(() => loadSuite(suiteFile('seed', [task({ heldOut: { seed: 1, n: 500 } })])))).toMatch(
      /tasks\[0\] \(dog-unit\)\.heldOut\.seed: the held-out seed must differ/,
    );
    expect(
      errorOf(() => loadSuite(suiteFile('scorer', [task({ scorers: ['formula', 'vibes'] })]))),
    ).toContain('tasks[0] (dog-unit).scorers[1]');
    expect(
      errorOf(() =>
        loadSuite(suiteFile('formula', [task({ truth: { formula: 'dog AND (', description: 'x' } })])),
      ),
    ).toContain('truth.formula: not a formula');
    expect(
      errorOf(() =>
        loadSuite(suiteFile('concepts', [task({ truth: { concepts: ['zorblax'], description: 'x' } })])),
      ),
    ).toContain('truth.concepts[0]');
  });

  it('checks cross-field rules: a unit for ONNX subjects, concepts for the concept scorer, unique ids', () => {
    expect(errorOf(() => loadSuite(suiteFile('onnx', [task({ subject: 'paddle-ocr-cls' })])))).toContain(
      'tasks[0] (dog-unit).unit: a task on an ONNX subject must name its unit',
    );
    expect(
      errorOf(() =>
        loadSuite(suiteFile('no-concepts', [task({ truth: { description: 'x' }, scorers: ['concept'] })])),
      ),
    ).toContain('truth.concepts: the concept scorer needs truth.concepts');
    expect(errorOf(() => loadSuite(suiteFile('twice', [task(), task()])))).toContain(
      "tasks[1] (dog-unit).id: id 'dog-unit' is also task 0's",
    );
  });

  it('checks inline synthetic unit definitions when the suite loads', () => {
    const subject = 'synthetic:[{"id":"u","family":"mono","concpet":"dog"}]';
    expect(errorOf(() => loadSuite(suiteFile('inline', [task({ subject })])))).toContain(
      'tasks[0] (dog-unit).subject: inline synthetic units are invalid',
    );
  });

  it('explains missing suites, bad JSON and a missing top-level field', () => {
    expect(errorOf(() => loadSuite('maia-synthtic'))).toMatch(
      /no suite 'maia-synthtic'.*did you mean maia-synthetic/,
    );
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ "name": ');
    expect(errorOf(() => loadSuite(broken))).toContain('is not valid JSON');
    expect(errorOf(() => parseSuite({ name: 'x', description: 'y', tasks: [task()] }, 'mine'))).toContain(
      'version',
    );
  });
});
