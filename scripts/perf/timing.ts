/** Median wall time in ms of `fn` over `reps` runs after `warmup` untimed runs. */
export async function medianMs(fn: () => Promise<unknown> | unknown, reps = 7, warmup = 2): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? NaN;
}

export function ratio(value: number, baseline: number): string {
  return `${(value / baseline).toFixed(3)}×`;
}
