import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport, writeReport } from '../../../agent/report/index.ts';
import { readBlob, readRun } from '../../../agent/transcript/read.ts';
import { MONO_DOG_SCRIPT, recordRun, type ScriptedStep } from '../helpers/record-run.ts';

/** `aia report`: one self-contained, escaped, secret-free HTML page per run. */

const root = mkdtempSync(join(tmpdir(), 'aia-report-'));
const runDir = join(root, 'run');
const FAKE_KEY = 'sk-ant-fake-7f3a9c1e5b2d4f6a8c0e';
const HOSTILE = '<script>alert("pwned")</script> & \'friends\'';
let previousKey: string | undefined;

const SCRIPT: ScriptedStep[] = [
  ...MONO_DOG_SCRIPT.slice(0, 2),
  {
    text: `Thinking aloud: the key is ${FAKE_KEY} (a model must never see one, but if it echoes one…), tail ${FAKE_KEY.slice(-9)}`,
    calls: [
      {
        name: 'record_hypothesis',
        args: { text: HOSTILE, status: 'refuted', evidence: ['c2'], revises: 'h1' },
      },
      { name: '<img src=x onerror=alert(1)>', args: {} },
    ],
  },
  ...MONO_DOG_SCRIPT.slice(-1),
];

beforeAll(async () => {
  previousKey = process.env.ANTHROPIC_API_KEY;
  // Recorded where the key was unknown (the writer scrubs known ones), then reported where it is set.
  delete process.env.ANTHROPIC_API_KEY;
  await recordRun({
    dir: runDir,
    subject: 'synthetic:maia/mono-dog',
    cacheDir: join(root, 'cache'),
    steps: SCRIPT,
    unit: 'synthetic:0',
    question: 'What does synthetic:0 detect?',
  });
  process.env.ANTHROPIC_API_KEY = FAKE_KEY;
});
afterAll(() => {
  if (previousKey === undefined) delete process.env.ANTHROPIC_API_KEY;
  else process.env.ANTHROPIC_API_KEY = previousKey;
  rmSync(root, { recursive: true, force: true });
});

describe('renderReport', () => {
  it('is one self-contained page: images inline as data URLs, no scripts, no external requests', () => {
    const run = readRun(runDir);
    const html = renderReport(run);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    const sources = [...html.matchAll(/<img src="([^"]*)"/g)].map((m) => m[1] ?? '');
    const images = run.events.flatMap((e) => (e.type === 'tool_call' ? e.images : []));
    expect(images.length).toBe(2);
    expect(sources).toHaveLength(images.length);
    sources.forEach((src, i) => {
      expect(src.startsWith('data:image/png;base64,')).toBe(true);
      const bytes = Buffer.from(src.slice('data:image/png;base64,'.length), 'base64');
      expect(bytes.equals(readBlob(runDir, images[i]?.sha256 ?? ''))).toBe(true);
    });
    expect(html).not.toMatch(/<script|<link|src="(?!data:)|href="(?!#)/i);
  });

  it('shows the question, subject, unit, backbone, status and the answer with evidence links', () => {
    const html = renderReport(readRun(runDir));
    expect(html).toContain('<h1>What does synthetic:0 detect?</h1>');
    expect(html).toContain('<code>synthetic:maia/mono-dog</code>');
    expect(html).toContain('<code>synthetic:0</code>');
    expect(html).toContain('scripted · <code>scripted-model</code>');
    expect(html).toContain('<span class="badge badge-answered">answered</span>');
    const answer = html.slice(
      html.indexOf('<section id="answer">'),
      html.indexOf('<section id="hypotheses">'),
    );
    expect(answer).toContain('<p class="description">the unit detects dogs</p>');
    expect(answer).toContain('formula: <code>dog</code>');
    expect(answer).toContain('0.90');
    // The cited call and hypothesis link to anchors that exist.
    expect(answer).toContain('<a class="evidence" href="#call-c2">c2</a>');
    expect(answer).toContain('<a class="evidence" href="#hyp-h2">h2</a>');
    expect(html).toContain('id="call-c2"');
    expect(html).toContain('id="hyp-h2"');
  });

  it('lists hypotheses in order with status, revision and evidence, and escapes hostile text', () => {
    const html = renderReport(readRun(runDir));
    const section = html.slice(
      html.indexOf('<section id="hypotheses">'),
      html.indexOf('<section id="experiments">'),
    );
    const ids = [...section.matchAll(/<li id="hyp-(h\d)" class="(\w+)">/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(ids).toEqual(['h1 proposed', 'h2 refuted']);
    expect(section).toContain('<span class="badge badge-refuted">refuted</span>');
    expect(section).toMatch(/revises<\/span> <a class="evidence" href="#hyp-h1">h1<\/a>/);
    expect(section).toContain(
      '&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &amp; &#39;friends&#39;',
    );
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('shows each experiment with arguments, result, errors marked, and the model text collapsed', () => {
    const html = renderReport(readRun(runDir));
    const calls = [...html.matchAll(/<div class="call( failed)?" id="call-(c\d+)">/g)].map(
      (m) => `${m[2]}${m[1] ? ' failed' : ''}`,
    );
    expect(calls).toEqual(['c1', 'c2', 'c3', 'c4', 'c5 failed', 'c6']);
    expect(html).toContain('&quot;stimuli&quot;: [\n    &quot;a dog on grass&quot;');
    expect(html).toMatch(/<pre class="result">\[0\] a dog on grass: /);
    expect(html).toContain('unknown tool &#39;&lt;img src=x onerror=alert(1)&gt;&#39;');
    expect(html).toMatch(
      /<details><summary>model: describe_subject .*<\/summary><pre>Let me look at the subject first\.<\/pre><\/details>/,
    );
    const steps = [...html.matchAll(/<div class="step" id="step-(\d+)">/g)].map((m) => m[1]);
    expect(steps).toEqual(['1', '2', '3', '4']);
  });

  it('shows usage and cost, totals and one row per model call', () => {
    const run = readRun(runDir);
    const html = renderReport(run);
    const usage = html.slice(html.indexOf('<section id="usage">'));
    const end = run.events.find((e) => e.type === 'run_end');
    expect(end?.type === 'run_end' && end.usage.inputTokens).toBe(1400 + 1800 + 2200 + 2600);
    expect(usage).toMatch(/input tokens<\/td><td class="num"><span class="num">8,000</);
    expect(usage).toMatch(/cost<\/td><td class="num">\$0\.04</);
    expect(usage).toMatch(/tool calls<\/td><td class="num"><span class="num">6</);
    expect(usage).toContain('<summary>4 model calls</summary>');
    expect(usage.match(/<code>scripted-model-20250101<\/code>/g)).toHaveLength(4);
  });

  it('never contains a secret from the environment, even one a model echoed', () => {
    const html = renderReport(readRun(runDir));
    expect(readFileSync(join(runDir, 'events.jsonl'), 'utf8')).toContain(FAKE_KEY);
    expect(html).not.toContain(FAKE_KEY);
    expect(html).toContain('the key is [redacted]');
    // A piece of the key is removed too (the last nine characters, as a provider error may echo them).
    expect(html).not.toContain(FAKE_KEY.slice(-9));
    expect(html).toContain('tail [redacted]');
  });

  it('renders a damaged run: missing images and an unfinished log are shown, not fatal', () => {
    const dir = join(root, 'damaged');
    cpSync(runDir, dir, { recursive: true });
    const images = readRun(dir).events.flatMap((e) => (e.type === 'tool_call' ? e.images : []));
    rmSync(join(dir, 'blobs', `${images[0]?.sha256}.png`));
    const events = readFileSync(join(dir, 'events.jsonl'), 'utf8');
    writeFileSync(join(dir, 'events.jsonl'), events.slice(0, events.length - 30));
    const path = writeReport(readRun(dir));
    expect(path).toBe(join(dir, 'report.html'));
    const html = readFileSync(path, 'utf8');
    expect(html).toMatch(/image missing: blob missing from the run/);
    expect(html).toMatch(/<div class="warnings">.*line \d+ is incomplete/s);
    expect(html.match(/<img src="data:image\/png;base64,/g)).toHaveLength(1);
    const elsewhere = join(root, 'elsewhere.html');
    expect(writeReport(readRun(dir), elsewhere)).toBe(elsewhere);
    expect(readFileSync(elsewhere, 'utf8')).toBe(html);
  });
});
