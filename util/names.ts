/**
 * "Did you mean" for every layer: unknown sites, units, concepts, tools and formula keywords all get the
 * nearest known names, measured the same way.
 */

/** Optimal-string-alignment distance: edits plus adjacent transpositions ("dgo" is one step from "dog"). */
export function editDistance(a: string, b: string): number {
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, (beforePrevious[j - 2] ?? 0) + 1);
      }
      current[j] = d;
    }
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The known names closest to a mistyped one, nearest first (a name containing the typed text counts as near). */
export function nearNames(wanted: string, known: Iterable<string>, limit = 3): string[] {
  const target = wanted.toLowerCase();
  const scored: { name: string; score: number }[] = [];
  for (const name of known) {
    const lower = name.toLowerCase();
    const distance = editDistance(target, lower);
    // A name containing the typed text (or contained in it) is a good guess even when long.
    const contains = lower.includes(target) || target.includes(lower);
    const threshold = Math.max(2, Math.floor(Math.max(target.length, lower.length) / 3));
    if (distance <= threshold || contains)
      scored.push({ name, score: contains ? Math.min(distance, 1) : distance });
  }
  scored.sort((a, b) => a.score - b.score || a.name.length - b.name.length || a.name.localeCompare(b.name));
  return scored.slice(0, limit).map((s) => s.name);
}
