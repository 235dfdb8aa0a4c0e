/**
 * Which (unit, stimulus) pairs get a picture when a call measures several units and the pictures are
 * capped (MAX_IMAGES a call). Taking them in order gave every picture to the first unit's first
 * stimuli and none to the others; instead each unit gets an equal share (the first units one each when
 * there are more units than pictures), spent on its most activating stimuli first (what a reader wants
 * to see of a unit), and what a unit with fewer stimuli cannot use goes round to the others.
 */
export function sharePictures(activations: readonly (readonly number[])[], budget: number): boolean[][] {
  const chosen = activations.map((row) => row.map(() => false));
  const queues = activations.map((row) =>
    row
      .map((value, s) => ({ value: Number.isNaN(value) ? -Infinity : value, s }))
      .sort((a, b) => b.value - a.value || a.s - b.s)
      .map((e) => e.s),
  );
  let left = Math.max(0, Math.floor(budget));
  // Round robin: one picture per unit per round, so shares differ by at most one.
  while (left > 0 && queues.some((q) => q.length > 0)) {
    for (let u = 0; u < queues.length && left > 0; u++) {
      const s = queues[u]?.shift();
      if (s === undefined) continue;
      (chosen[u] as boolean[])[s] = true;
      left--;
    }
  }
  return chosen;
}
