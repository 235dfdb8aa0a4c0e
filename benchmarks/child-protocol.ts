import type { TaskOutcome, TaskRequest } from './task-run.ts';

/** Messages between the runner and its task processes (task-child.ts), over the fork IPC channel. */
export type ChildRequest = { type: 'run'; id: number; request: TaskRequest } | { type: 'abort'; id: number };

export type ChildReply =
  | { type: 'ready' }
  | { type: 'done'; id: number; outcome: TaskOutcome }
  | { type: 'failed'; id: number; error: string };
