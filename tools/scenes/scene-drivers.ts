import type { SceneSpec } from '../../stimuli/spec.ts';
import type { SpecScorer } from './scene-search.ts';

/**
 * Counterfactual edits of one scene: what happens to the unit when each thing in it is taken away
 * (every copy of an item, one copy, the background) or one more copy is added. What the drop says:
 * a thing whose removal silences the unit is needed; a count that changes the response when one copy
 * goes or comes is a count; nothing changing means the unit does not depend on it.
 */

export interface DriverReading {
  /** The edit, in words ("remove every cat", "one more cat", "background sand → white"). */
  change: string;
  activation: number;
  /** Activation of the scene minus activation after the edit (positive: the edit lowered the unit). */
  drop: number;
}

export interface SceneDrivers {
  activation: number;
  readings: DriverReading[];
}

/** Names of a scene's distinct items, in order of first appearance. */
function itemNames(spec: SceneSpec): string[] {
  return [...new Set(spec.items.map((it) => it.name))];
}

export function driverEdits(spec: SceneSpec): { change: string; spec: SceneSpec }[] {
  const edits: { change: string; spec: SceneSpec }[] = [];
  for (const name of itemNames(spec)) {
    const copies = spec.items.filter((it) => it.name === name).length;
    edits.push({ change: `remove every ${name}`, spec: { ...spec, items: spec.items.filter((it) => it.name !== name) } });
    if (copies > 1) {
      const at = spec.items.findIndex((it) => it.name === name);
      edits.push({ change: `remove one ${name} (${copies} → ${copies - 1})`, spec: { ...spec, items: spec.items.filter((_, i) => i !== at) } });
    }
    const first = spec.items.find((it) => it.name === name);
    if (first && spec.items.length < 16) {
      const extra = { ...first, x: first.x > 0.5 ? first.x - 0.3 : first.x + 0.3, y: Math.min(0.9, first.y + 0.1) };
      edits.push({ change: `one more ${name} (${copies} → ${copies + 1})`, spec: { ...spec, items: [...spec.items, extra] } });
    }
  }
  if (spec.background !== 'white') {
    edits.push({ change: `background ${spec.background} → white`, spec: { ...spec, background: 'white' } });
  }
  return edits;
} // prettier-ignore

export async function sceneDrivers(score: SpecScorer, spec: SceneSpec): Promise<SceneDrivers> {
  const edits = driverEdits(spec);
  const values = await score([spec, ...edits.map((e) => e.spec)]);
  const activation = Number(values[0] ?? NaN);
  const readings = edits.map((edit, k) => {
    const after = Number(values[k + 1] ?? NaN);
    return { change: edit.change, activation: after, drop: activation - after };
  });
  return { activation, readings };
}
