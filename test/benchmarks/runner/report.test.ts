import { mkdtempSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { baselineDir } from '../../../benchmarks/bench-dir.ts';
import {
  buildReport,
  loadBaselines,
  loadRun,
  renderHtml,
  renderMarkdown,
  writeReports,
} from '../../../benchmarks/report/index.ts';
import { runBench, type BenchOptions } from '../../../benchmarks/runner.ts';
import type { ScoreMap, TaskFunctions } from '../../../benchmarks/task-run.ts';
import { fakeRunTask, fakeTasks } from './fixtures/fake-tasks.ts';

/** Reports: built from result files alone, baselines side by side with margins, failures named. */

const root = mkdtempSync(join(tmpdir(), 'aia-bench-report-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const tasks = fakeTasks(6).map((task, i) =>
  i === 1
    ? {
        ...task,
        truth: { concept: 'concept1', description: 'fires on <b>dogs</b> & "cats" | birds', formula: 'dog' },
      }
    : task,
);

/** A backbone whose scores are a fixed number per task, so margins are known exactly. */
function flat(value: number): TaskFunctions['score'] {
  return async () => ({ formula: { score: value, chance: 0 }, concept: { score: value, chance: 0.1 } });
}

const options = (out: string, backbone: string, score: TaskFunctions['score']): BenchOptions => ({
  suite: { name: 'fake', ref: 'fake', tasks },
  out,
  backbone,
  runTask: fakeRunTask,
  score,
  randomBaseline: async () => ({ formula: { score: 0.05 } }),
});

describe('benchmark reports', () => {
  it('puts baseline runs beside the main one with margins, on the tasks both finished', async () => {
    const out = join(root, 'main');
    await runBench(options(out, 'agent', flat(0.75)));
    await runBench({ ...options(baselineDir(out, 'random'), 'random', flat(0.25)), limit: 3 });
    await runBench(options(baselineDir(out, 'exemplars-only'), 'exemplars-only', flat(0.5)));
    const main = loadRun(out);
    const baselines = loadBaselines(main);
    expect(baselines.map((b) => b.header.backbone).sort()).toEqual(['exemplars-only', 'random']);
    const markdown = renderMarkdown(buildReport(main, baselines));
    expect(markdown).toMatch(/\| all \| 6 \| 0\.75 \| (0\.25 \| 0\.50|0\.50 \| 0\.25) \| 0\.00 \| 0\.05 \|/);
    expect(markdown).toMatch(/Whole suite: agent beats \w[\w-]* by 0\.\d\d/);
    expect(markdown).toContain('beats exemplars-only by 0.25 (0.75 vs 0.50)');
    expect(markdown).toContain('beats random by 0.50 (0.75 vs 0.25)');
    expect(markdown).toContain(
      'Ranking over the whole suite: agent 0.75 > exemplars-only 0.50 > random 0.25.',
    );
    // The random run finished only 3 tasks: its family 'and' (tasks 2 and 5) has 1 shared task.
    expect(markdown).toMatch(/\| margin vs (random|exemplars-only) \|/);
  });

  it('says where it fails: the worst tasks with truth and answer, errors first; HTML escapes', async () => {
    const out = join(root, 'failing');
    const scores: TaskFunctions['score'] = async (task, answer): Promise<ScoreMap> =>
      answer ? { formula: { score: task.id === 'task-01' ? 0.01 : 0.9, detail: 'r 0.010' } } : {};
    const crashing: TaskFunctions['runTask'] = async (request, signal) => {
      if (request.task.id === 'task-04') throw new Error('model refused <twice>');
      return fakeRunTask(request, signal);
    };
    await runBench({ ...options(out, 'agent', scores), runTask: crashing });
    const document = buildReport(loadRun(out));
    const failures = document.sections.find((s) => s.heading === 'Where it fails');
    const rows = failures?.tables[0]?.table.rows ?? [];
    expect(rows.slice(0, 2).map((r) => r[0])).toEqual(['task-04', 'task-01']);
    expect(rows[0]).toContain('error: model refused <twice>');
    expect(rows[1]?.[3]).toContain('fires on <b>dogs</b>');
    expect(rows[1]?.[4]).toBe('fires on concept1 [concept1]');
    expect(failures?.paragraphs.join(' ')).toMatch(/1 of 6 tasks ended without a usable answer: 1 error/);

    const html = renderHtml(document);
    expect(html).toContain('fires on &lt;b&gt;dogs&lt;/b&gt; &amp; &quot;cats&quot; | birds');
    expect(html).not.toContain('<b>dogs');
    const markdown = renderMarkdown(document);
    expect(markdown).toContain('fires on &lt;b>dogs&lt;/b> & "cats" \\| birds');
  });

  it('lists no task as a failure when every task has the top score', async () => {
    const out = join(root, 'perfect');
    await runBench({ ...options(out, 'agent', flat(1)), report: false });
    const failures = buildReport(loadRun(out)).sections.find((s) => s.heading === 'Where it fails');
    expect(failures?.paragraphs.at(-1)).toBe('Nowhere on this suite: every task has the top primary score.');
    expect(failures?.paragraphs.join(' ')).not.toMatch(/without a usable answer|no better than/);
    expect(failures?.tables).toEqual([]);
  });

  it('can be rebuilt from the run directory alone, identically', async () => {
    const out = join(root, 'main');
    const before = readFileSync(join(out, 'report.md'), 'utf8');
    unlinkSync(join(out, 'report.md'));
    unlinkSync(join(out, 'report.html'));
    const paths = writeReports(out);
    // The first report was written before the baselines existed; the rebuilt one has them.
    const after = readFileSync(paths.markdown, 'utf8');
    expect(before).toContain('| family | tasks | agent | chance | random description |');
    expect(after).toContain(
      '| family | tasks | agent | random | exemplars-only | chance | random description |',
    );
    expect(readFileSync(paths.html, 'utf8')).toMatch(/^<!doctype html>/);
    writeReports(out);
    expect(readFileSync(paths.markdown, 'utf8')).toBe(after);
  });
});
