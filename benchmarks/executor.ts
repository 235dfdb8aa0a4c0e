import { executeTask, type TaskFunctions, type TaskOutcome, type TaskRequest } from './task-run.ts';

/**
 * Where tasks run. Tool work is CPU-bound and synchronous, so tasks sharing one Node process take
 * turns on one core: real parallelism needs processes (child-executor.ts). In-process running is
 * for injected fakes and for concurrency 1 where a child buys nothing but its start-up.
 */
export interface TaskExecutor {
  /** Resolves with the task's outcome; never rejects for a failing task (that is an `error` outcome). */
  run(request: TaskRequest, signal?: AbortSignal): Promise<TaskOutcome>;
  close(): Promise<void>;
}

export function inlineExecutor(functions: TaskFunctions): TaskExecutor {
  return {
    run: (request, signal) => executeTask(functions, request, signal),
    close: async () => {},
  };
}
