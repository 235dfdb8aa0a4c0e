import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { ZERO_USAGE } from '../agent/backbone.ts';
import { siblingModule } from '../util/paths.ts';
import type { ChildReply, ChildRequest } from './child-protocol.ts';
import type { TaskExecutor } from './executor.ts';
import type { TaskOutcome, TaskRequest } from './task-run.ts';

/**
 * Tasks in child processes, one task at a time per process, processes reused across tasks (so each
 * pays the TypeScript loader and model loading once). Tool work is synchronous CPU work, so this is
 * what turns --concurrency 2 into two busy cores instead of one core taking turns.
 */

/** The module task processes load by default: investigate + the suite's scorers. */
export const DEFAULT_TASK_MODULE = siblingModule(import.meta.url, 'task-exec');
const CHILD_ENTRY = siblingModule(import.meta.url, 'task-child');

export interface ChildExecutorOptions {
  /** Absolute path of a module exporting `taskFunctions` (default: task-exec.ts). */
  module?: string;
  /** Environment of the task processes (default: this process's, with progress bars off). */
  env?: NodeJS.ProcessEnv;
}

interface Waiter {
  resolve: (outcome: TaskOutcome) => void;
  signal: AbortSignal | undefined;
}

class TaskProcess {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  exited = false;
  private readonly waiters = new Map<number, Waiter>();

  constructor(module: string, env: NodeJS.ProcessEnv) {
    // TypeScript (from source, or a task module of the tests') needs tsx's loader; compiled code does not.
    const typescript = CHILD_ENTRY.endsWith('.ts') || module.endsWith('.ts');
    const tsx = typescript ? pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href : undefined;
    this.child = fork(CHILD_ENTRY, [module], {
      execArgv: tsx ? ['--import', tsx] : [],
      env,
      serialization: 'advanced',
      // The child's stdout must never reach ours: the runner's stdout carries results (--json).
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.child.stdout?.pipe(process.stderr, { end: false });
    // Its stderr is passed on, and its end kept to say why a process that failed to start failed.
    let tail = '';
    this.child.stderr?.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      tail = (tail + chunk.toString()).slice(-4000);
    });
    this.ready = new Promise<void>((resolve, reject) => {
      const onMessage = (message: ChildReply) => {
        if (message.type === 'ready') resolve();
        else this.settle(message);
      };
      this.child.on('message', onMessage);
      this.child.once('exit', (code, signal) => {
        this.exited = true;
        const how = signal !== null ? `signal ${signal}` : `code ${code}`;
        const reason = lastError(tail);
        reject(
          new Error(
            `a benchmark task process failed to start (exited with ${how})${reason ? `: ${reason}` : ''}`,
          ),
        );
        for (const [id, waiter] of this.waiters) {
          this.waiters.delete(id);
          waiter.resolve(exitOutcome(reason ? `${how}: ${reason}` : how, waiter.signal));
        }
      });
    });
    // A start-up failure is reported by the run that awaits `ready`; never as an unhandled rejection.
    this.ready.catch(() => {});
  }

  run(id: number, request: TaskRequest, signal: AbortSignal | undefined): Promise<TaskOutcome> {
    return new Promise<TaskOutcome>((resolve) => {
      const onAbort = () => this.send({ type: 'abort', id });
      // The run's signal outlives its tasks: each task's listener goes when the task settles.
      const settle = (outcome: TaskOutcome) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(outcome);
      };
      this.waiters.set(id, { resolve: settle, signal });
      this.send({ type: 'run', id, request });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private send(message: ChildRequest): void {
    if (!this.exited && this.child.connected) this.child.send(message);
  }

  private settle(message: Exclude<ChildReply, { type: 'ready' }>): void {
    const waiter = this.waiters.get(message.id);
    if (!waiter) return;
    this.waiters.delete(message.id);
    waiter.resolve(
      message.type === 'done'
        ? message.outcome
        : { ...emptyOutcome(), status: 'error', error: `task process: ${message.error}` },
    );
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    if (this.child.connected) this.child.disconnect();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}

/** The last line of a stderr tail that names an error, if any. */
function lastError(tail: string): string | undefined {
  const lines = tail.split('\n').map((line) => line.trim());
  return lines.filter((line) => /\b\w*Error\b/.test(line)).at(-1) ?? lines.filter(Boolean).at(-1);
}

function emptyOutcome(): TaskOutcome {
  return { status: 'error', usage: ZERO_USAGE, steps: 0, toolCalls: 0, scores: {}, wallMs: 0 };
}

/** A process that died mid-task: interrupted if we were stopping anyway, else that task's error. */
function exitOutcome(how: string, signal: AbortSignal | undefined): TaskOutcome {
  if (signal?.aborted) return { ...emptyOutcome(), status: 'interrupted' };
  return { ...emptyOutcome(), error: `the task process exited mid-task (${how})` };
}

export function childExecutor(options: ChildExecutorOptions = {}): TaskExecutor {
  const module = options.module ?? DEFAULT_TASK_MODULE;
  const env = options.env ?? { ...process.env, AIA_NO_PROGRESS: '1' };
  const idle: TaskProcess[] = [];
  const all = new Set<TaskProcess>();
  let nextId = 0;

  return {
    async run(request, signal) {
      let worker = idle.pop();
      while (worker?.exited) worker = idle.pop();
      if (!worker) {
        worker = new TaskProcess(module, env);
        all.add(worker);
      }
      await worker.ready;
      const outcome = await worker.run(++nextId, request, signal);
      if (worker.exited) all.delete(worker);
      else idle.push(worker);
      return outcome;
    },
    async close() {
      await Promise.all([...all].map((worker) => worker.stop()));
      all.clear();
      idle.length = 0;
    },
  };
}
