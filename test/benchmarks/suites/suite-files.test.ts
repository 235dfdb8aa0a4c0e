import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_SUITES, loadSuite, type Task } from '../../../benchmarks/suite.ts';
import { maiaSyntheticSuite } from '../../../benchmarks/suites/maia-synthetic.ts';
import { backgroundBiasSuite } from '../../../benchmarks/suites/background-bias.ts';
import { plantedCnnSuite, readPlantedMetrics } from '../../../benchmarks/suites/planted-cnn.ts';
import { parseFormula, UnitDefinition, unitTruth } from '../../../subjects/synthetic/index.ts';
import { getConcept } from '../../../stimuli/vocabulary.ts';
import { loadProbe } from '../../../tools/probe/load.ts';
import { OnnxProbe } from '../../../tools/probe/onnx-probe.ts';

const count = (tasks: Task[], family: string) => tasks.filter((t) => t.family === family).length;

/** The one inline unit definition of a synthetic task. */
function definitionOf(task: Task): UnitDefinition {
  const [definition] = JSON.parse(task.subject.slice('synthetic:'.length)) as unknown[];
  return UnitDefinition.parse(definition);
}

describe('built-in suites', () => {
  it('all load and validate, with held-out seeds other than the agent’s', () => {
    for (const name of BUILT_IN_SUITES) {
      const suite = loadSuite(name);
      expect(suite.name).toBe(name);
      for (const task of suite.tasks) expect(task.heldOut.seed).not.toBe(1);
    }
  });

  it("maia-synthetic: MAIA's 85 neurons, 47 mono + 18 OR + 20 AND, each truth formula its unit's", () => {
    const { tasks } = loadSuite('maia-synthetic');
    expect(tasks).toHaveLength(85);
    expect([count(tasks, 'mono'), count(tasks, 'or'), count(tasks, 'and')]).toEqual([47, 18, 20]);
    for (const task of tasks) {
      parseFormula(task.truth.formula ?? '');
      expect(unitTruth(definitionOf(task)).formula).toBe(task.truth.formula);
      // Every concept the unit uses is one the renderer draws, so the unit can fire.
      for (const concept of task.truth.concepts ?? []) expect(getConcept(concept), concept).toBeDefined();
    }
    // The file is the generator's output, given the held-out sizes make-suites chose.
    const sizes = new Map(
      tasks.map((t) => [
        t.id,
        { n: t.heldOut.n, positives: Number(/fires on (\d+)/.exec(t.origin ?? '')?.[1]) },
      ]),
    );
    expect(loadSuite('maia-synthetic')).toEqual(maiaSyntheticSuite(sizes));
    expect(new Set(tasks.map((t) => t.heldOut.n))).toEqual(new Set([1000, 2000, 4000]));
  });

  it('maia-synthetic lists each substitution in its task and in docs/benchmarks.md', () => {
    const substituted = loadSuite('maia-synthetic').tasks.filter((t) => t.truth.substitution);
    expect(substituted.map((t) => [t.truth.substitution?.from, t.truth.substitution?.to])).toEqual([
      ['shoulders', 'person'],
      ['neck', 'giraffe'],
      ['car window', 'window'],
      ['pool', 'swimmer'],
    ]);
    const docs = readFileSync(new URL('../../../docs/benchmarks.md', import.meta.url), 'utf8');
    for (const task of substituted) {
      const { from, to } = task.truth.substitution!;
      expect(docs).toMatch(new RegExp(`\\|\\s*\`${task.id}\`\\s*\\|\\s*${from}\\s*\\|\\s*${to}\\s*\\|`));
      expect(task.truth.concepts).toContain(to);
    }
  });

  it('synthetic-hard: at least 60 units of the harder families, every truth formula its unit’s', () => {
    const { tasks } = loadSuite('synthetic-hard');
    expect(tasks.length).toBeGreaterThanOrEqual(60);
    for (const family of [
      'spatial',
      'size',
      'graded',
      'negation',
      'relational',
      'counting',
      'word',
      'noisy-mono',
      'noisy-or',
    ])
      expect(count(tasks, family), family).toBeGreaterThan(0);
    for (const task of tasks) {
      parseFormula(task.truth.formula ?? '');
      expect(unitTruth(definitionOf(task)).formula).toBe(task.truth.formula);
    }
  });

  it('paddle-ocr: output units are the dictionary labels and classes they claim, internal units predictive only', async () => {
    const { tasks } = loadSuite('paddle-ocr');
    const chars = tasks.filter((t) => t.family === 'ocr-char');
    expect(chars.length).toBeGreaterThanOrEqual(8);
    const rec = await loadProbe('paddle-ocr-rec');
    try {
      const labels = rec instanceof OnnxProbe ? (rec.subject.labels ?? []) : [];
      for (const task of chars) {
        const unit = rec.parseUnit(task.unit ?? '');
        const char = task.truth.concepts?.[0]?.slice('char:'.length);
        expect(labels[unit.index], task.id).toBe(char);
      }
    } finally {
      await rec.dispose();
    }
    const orientation = tasks.filter((t) => t.family === 'orientation');
    expect(orientation.map((t) => [t.unit, t.truth.concepts?.[0]]).sort()).toEqual([
      ['softmax_0.tmp_0:0', 'orientation:upright'],
      ['softmax_0.tmp_0:1', 'orientation:upside-down'],
    ]);
    const internal = tasks.filter((t) => t.family === 'internal');
    expect(internal.length).toBeGreaterThan(0);
    for (const task of internal) expect(task.scorers).toEqual(['predictive']);
  });

  it('planted-cnn: one task per kept planted unit of the organism, none for the dropped ones', () => {
    const metrics = readPlantedMetrics();
    const suite = loadSuite('planted-cnn');
    expect(suite).toEqual(plantedCnnSuite(metrics));
    expect(suite.tasks.map((t) => t.unit)).toEqual(metrics.units.filter((u) => u.kept).map((u) => u.unit));
    for (const task of suite.tasks) expect(task.subject).toBe('planted-cnn');
  });

  it('background-bias: the biased model relies on water, its control does not', () => {
    const suite = loadSuite('background-bias');
    expect(suite).toEqual(backgroundBiasSuite());
    expect(suite.tasks.map((t) => [t.subject, t.truth.reliance?.relies])).toEqual([
      ['boats-biased', true],
      ['boats-balanced', false],
    ]);
  });
});
