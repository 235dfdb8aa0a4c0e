import { InputError } from '../../util/errors.ts';

/**
 * For a text recogniser, the answer is the decoded string, not a top label: how an intervention
 * changed what the subject reads on each stimulus.
 */

export interface TextChange {
  scene: number;
  before: string;
  after: string;
}

export interface TextChanges {
  /** Stimuli whose decoded text changed. */
  changed: number;
  stimuli: number;
  changes: TextChange[];
}

export function summarizeTextChanges(before: readonly string[], after: readonly string[]): TextChanges {
  if (before.length !== after.length) {
    throw new InputError(`cannot compare ${before.length} decoded texts with ${after.length}`);
  }
  const changes = before
    .map((text, scene) => ({ scene, before: text, after: after[scene] ?? '' }))
    .filter((c) => c.before !== c.after);
  return { changed: changes.length, stimuli: before.length, changes };
}

export function describeTextChanges(summary: TextChanges, limit = 3): string {
  const shown = summary.changes.slice(0, limit).map((c) => `'${c.before}' → '${c.after}'`);
  const more = summary.changes.length > limit ? ', …' : '';
  return (
    `decoded text changed on ${summary.changed}/${summary.stimuli} stimuli` +
    (shown.length ? ` (${shown.join(', ')}${more})` : '')
  );
}
