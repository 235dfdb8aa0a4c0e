import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PerfGoal, PerfSection } from './types.ts';

/**
 * How soon the `aia` command answers, as a person or an agent driving it pays for it: each command a
 * whole `node bin/aia.js …` process on the compiled CLI in dist/ (built first), from spawn to exit,
 * against `node -e 0` timed in the same rounds. Rounds interleave the four processes so a burst of
 * load on the shared machine hits them alike; the figure is the median wall time. Each process also
 * reports the CPU time it used (user + system, through a one-line `--import` hook given to every
 * process, the baseline included), which load on the machine moves much less than wall time.
 */

const ROUNDS = 11;
const WARMUP_ROUNDS = 1;

interface Case {
  label: string;
  args: string[];
  /** Goal in seconds of wall time; none for the baseline. */
  goalSeconds?: number;
  /** What stdout must show for the run to count (a command that fails fast is not fast). */
  check: (stdout: string) => boolean;
}

const CASES: Case[] = [
  { label: '`node -e 0`', args: ['-e', '0'], check: () => true },
  {
    label: '`aia --help`',
    args: ['bin/aia.js', '--help'],
    goalSeconds: 0.3,
    check: (out) => out.startsWith('Usage: aia'),
  },
  {
    label: '`aia tools list --json`',
    args: ['bin/aia.js', 'tools', 'list', '--json'],
    goalSeconds: 1,
    check: (out) => Array.isArray(JSON.parse(out)),
  },
  {
    label: "`aia tools call describe_subject --subject synthetic:maia/mono-dog '{}'`",
    args: ['bin/aia.js', 'tools', 'call', 'describe_subject', '--subject', 'synthetic:maia/mono-dog', '{}'],
    goalSeconds: 1.5,
    check: (out) => out.includes('synthetic'),
  },
];

/** Writes the process's CPU time (µs, user + system) to fd 3 as it exits. */
const CPU_HOOK =
  'data:text/javascript,' +
  encodeURIComponent(
    "import { writeSync } from 'node:fs';" +
      "process.on('exit', () => { const u = process.cpuUsage(); writeSync(3, String(u.user + u.system)); });",
  );

interface Timing {
  wallMs: number;
  cpuMs: number;
}

function runOnce(c: Case, env: NodeJS.ProcessEnv): Promise<Timing> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--import', CPU_HOOK, ...c.args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let cpu = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => (cpu += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - t0;
      let ok = code === 0;
      try {
        ok &&= c.check(stdout);
      } catch {
        ok = false;
      }
      if (!ok)
        return reject(new Error(`${c.label} failed (exit code ${code}): ${stderr.trim().slice(0, 500)}`));
      resolve({ wallMs, cpuMs: Number(cpu) / 1000 });
    });
  });
}

/** Packages worth naming when a command loads them: native bindings, rendering, logging, schemas. */
const NOTABLE = ['onnxruntime-node', 'sharp', 'opentype.js', 'protobufjs', 'pino', 'zod'];

/**
 * What one run of a command loads, through the import recorder of test/cli/lazy.test.ts: how many
 * modules (ours and packages') and which notable packages.
 */
function loadedModules(c: Case, env: NodeJS.ProcessEnv, log: string): string {
  const run = spawnSync(process.execPath, ['--import', './test/cli/record-imports.mjs', ...c.args], {
    env: { ...env, AIA_IMPORT_LOG: log },
    stdio: 'ignore',
  });
  if (run.status !== 0) return 'not recorded';
  const urls = new Set(
    readFileSync(log, 'utf8')
      .split('\n')
      .filter((url) => url.startsWith('file:') && !url.includes('/test/cli/record-imports')),
  );
  const packages = new Set(
    [...urls].flatMap((url) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1] ?? []),
  );
  const ours = [...urls].filter((url) => !url.includes('/node_modules/')).length;
  const notable = NOTABLE.filter((name) => packages.has(name));
  return (
    `${urls.size} modules (${ours} of ours, ${packages.size} package${packages.size === 1 ? '' : 's'}` +
    `${notable.length ? `, among them ${notable.join(', ')}` : ''})`
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export const cliSection: PerfSection = {
  name: 'cli',
  title: 'CLI: start-up of the aia command',
  async run() {
    // The figures are for the compiled CLI: bring dist/ up to date (incremental, quick when it is).
    const build = spawnSync(
      process.execPath,
      ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'],
      {
        stdio: 'inherit',
      },
    );
    if (build.status !== 0) throw new Error('npm run build failed; the CLI section measures dist/');

    const cacheRoot = mkdtempSync(join(tmpdir(), 'aia-perf-cli-'));
    const env = {
      ...process.env,
      AIA_CACHE_DIR: cacheRoot,
      AIA_NO_PROGRESS: '1',
      AIA_FROM_SOURCE: undefined,
    };
    const loadBefore = loadavg()[0] ?? NaN;
    const timings = CASES.map((): Timing[] => []);
    let loaded: string[] = [];
    try {
      for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
        for (const [i, c] of CASES.entries()) {
          const timing = await runOnce(c, env);
          if (round >= WARMUP_ROUNDS) timings[i]!.push(timing);
        }
      }
      loaded = CASES.slice(1).map(
        (c, i) => `${c.label}: ${loadedModules(c, env, join(cacheRoot, `imports-${i}`))}`,
      );
    } finally {
      rmSync(cacheRoot, { recursive: true, force: true });
    }
    const loadAfter = loadavg()[0] ?? NaN;

    const wall = timings.map((runs) => median(runs.map((t) => t.wallMs)));
    const cpu = timings.map((runs) => median(runs.map((t) => t.cpuMs)));
    const baseWall = wall[0] ?? NaN;
    const baseCpu = cpu[0] ?? NaN;
    const goals: PerfGoal[] = [];
    for (const [i, c] of CASES.entries()) {
      if (c.goalSeconds === undefined) continue;
      const w = wall[i] ?? NaN;
      const fastest = Math.min(...timings[i]!.map((t) => t.wallMs));
      goals.push({
        goal: `${c.label} ≤ ${c.goalSeconds} s`,
        measured:
          `${seconds(w)} (${(w / baseWall).toFixed(1)}× \`node -e 0\`); fastest ${seconds(fastest)}; ` +
          `CPU ${seconds(cpu[i] ?? NaN)} (${((cpu[i] ?? NaN) / baseCpu).toFixed(1)}×)`,
        pass: w <= c.goalSeconds * 1000,
      });
    }
    return {
      setup: [
        `Each command a whole process (\`node bin/aia.js …\` on the compiled CLI in dist/, built first), timed`,
        `from spawn to exit: medians of ${ROUNDS} interleaved rounds after ${WARMUP_ROUNDS} warm-up round, with an`,
        `empty cache folder. Baseline \`node -e 0\` in the same rounds: ${seconds(baseWall)} wall,`,
        `${seconds(baseCpu)} CPU. CPU = user + system time the process reports as it exits.`,
        `The machine is shared (${availableParallelism()} cores): 1-minute load average ${loadBefore.toFixed(1)}`,
        `before and ${loadAfter.toFixed(1)} after this section` +
          (Math.max(loadBefore, loadAfter) >= 1
            ? ': other processes were running, so wall times include waiting for a core (CPU times much less so).'
            : '.'),
        '',
        `What each command loads (one more run under the import recorder of test/cli/lazy.test.ts):`,
        ...loaded.map((line) => `- ${line}`),
      ].join('\n'),
      goals,
    };
  },
};
