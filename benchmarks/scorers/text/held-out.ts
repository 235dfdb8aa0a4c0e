import { resolve } from 'node:path';
import { makeTextSet, type TextSet } from '../../../stimuli/text/textset.ts';
import { tokenTable, type TokenTable } from '../../../tools/text-analysis/token-table.ts';
import { loadTextProbe } from '../../../tools/text-probe/load.ts';
import { taskUnit, type Task } from '../../suite.ts';

/**
 * The held-out texts of a text task and the unit's true activation on every token: a text set from
 * the corpus's `test` split (documents the agent's tools never read) with the task's seed and size,
 * and the unit read through the same text probe the tools use (noise included). Sets are cached on
 * disk by the text-set code; sets and tables are kept in this process, so a second answer costs nothing.
 */
const sets = new Map<string, TextSet>();
const tables = new Map<string, Promise<TokenTable>>();

export function heldOutTexts(task: Task, cacheDir: string): TextSet {
  const root = resolve(cacheDir);
  const key = `${root}\n${task.heldOut.seed}\n${task.heldOut.n}`;
  let set = sets.get(key);
  if (!set) {
    set = makeTextSet({ split: 'test', seed: task.heldOut.seed, n: task.heldOut.n }, { cacheDir: root });
    sets.set(key, set);
  }
  return set;
}

export function heldOutTable(task: Task, cacheDir: string): Promise<TokenTable> {
  const key = `${resolve(cacheDir)}\n${task.id}\n${task.subject}\n${task.heldOut.seed}\n${task.heldOut.n}`;
  let table = tables.get(key);
  if (!table) {
    table = (async () => {
      const set = heldOutTexts(task, cacheDir);
      const probe = await loadTextProbe(task.subject);
      const unit = probe.parseUnit(taskUnit(task));
      const [rows] = await probe.tokenActivations(set.texts, [unit]);
      return tokenTable(set.texts, rows!);
    })();
    tables.set(key, table);
    table.catch(() => tables.delete(key));
  }
  return table;
}
