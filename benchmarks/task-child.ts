/**
 * A benchmark task process: started by child-executor.ts (node --import tsx), it loads the task module
 * named on its command line (by default task-exec.ts: investigate + the suite's scorers) and runs the
 * tasks the runner sends over IPC, one at a time. It exits when the runner goes away, so killing the
 * runner never leaves orphans computing results nobody will record.
 */
import { pathToFileURL } from 'node:url';
import { errorMessage } from '../util/errors.ts';
import type { ChildReply, ChildRequest } from './child-protocol.ts';
import { executeTask, type TaskFunctions } from './task-run.ts';

const send = process.send?.bind(process);
if (!send) throw new Error('task-child.ts must be started with an IPC channel (child_process.fork)');

const modulePath = process.argv[2];
if (!modulePath) throw new Error('task-child.ts: no task module given');
const loaded = (await import(pathToFileURL(modulePath).href)) as { taskFunctions?: TaskFunctions };
const functions = loaded.taskFunctions;
if (!functions) throw new Error(`${modulePath} exports no taskFunctions`);

const controllers = new Map<number, AbortController>();
const reply = (message: ChildReply) => send(message);

process.on('message', (message: ChildRequest) => {
  if (message.type === 'abort') {
    controllers.get(message.id)?.abort();
    return;
  }
  const controller = new AbortController();
  controllers.set(message.id, controller);
  executeTask(functions, message.request, controller.signal)
    .then((outcome) => reply({ type: 'done', id: message.id, outcome }))
    .catch((error: unknown) => reply({ type: 'failed', id: message.id, error: errorMessage(error) }))
    .finally(() => controllers.delete(message.id));
});
process.on('disconnect', () => process.exit(0));
// Ctrl-C reaches the whole process group; the runner decides what an interrupt means (it sends
// 'abort' so the task ends as interrupted and is rerun on resume), so the child must not just die.
process.on('SIGINT', () => {});
reply({ type: 'ready' });
