/**
 * Run `work` over `items` with at most `concurrency` in flight, starting them in order. Once `signal`
 * aborts no further item starts (those in flight are left to finish or notice the signal themselves).
 * A rejection stops new starts too and is rethrown after the others in flight have settled, so no
 * work is left running behind the caller's back.
 */
export async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async (): Promise<void> => {
    while (next < items.length && !signal?.aborted && failure === undefined) {
      const index = next++;
      try {
        await work(items[index] as T, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const lanes = Math.max(1, Math.min(concurrency, items.length));
  await Promise.all(Array.from({ length: lanes }, lane));
  if (failure !== undefined) throw failure.error;
}
