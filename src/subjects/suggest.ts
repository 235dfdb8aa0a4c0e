/** "Did you mean" for names: the known names closest to a mistyped one. */
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

/** Levenshtein distance. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
