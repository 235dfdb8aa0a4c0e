import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createToolContext, type ToolContext } from '../../../tools/index.ts';

/**
 * Contexts for the analysis tools' tests: a synthetic subject with a mono 'dog' unit (synthetic:0) and an
 * OR 'dog | bird' unit (synthetic:1), and the PaddleOCR classifier, each with a small probe set in a
 * fresh cache directory (removed by `dispose`).
 */

export const SYNTHETIC_UNITS = [
  { family: 'mono', id: 'dog-unit', concept: 'dog' },
  { family: 'or', id: 'dog-or-bird', concepts: ['dog', 'bird'] },
];

export interface TestContext {
  ctx: ToolContext;
  dispose(): Promise<void>;
}

export async function analysisContext(
  subject: 'synthetic' | 'paddle-ocr-cls',
  probeSetSize: number,
): Promise<TestContext> {
  const cacheDir = mkdtempSync(join(tmpdir(), `aia-analysis-${subject}-`));
  const ref = subject === 'synthetic' ? `synthetic:${JSON.stringify(SYNTHETIC_UNITS)}` : subject;
  // Rendering in this thread: worker start-up costs more than these small probe sets take to draw.
  const ctx = await createToolContext(ref, { cacheDir, probeSetSize, progress: false, seed: 3, workers: 0 });
  return {
    ctx,
    dispose: async () => {
      await ctx.dispose();
      rmSync(cacheDir, { recursive: true, force: true });
    },
  };
}

/** Every number in a JSON-like value, to check that none is NaN or infinite. */
export function allNumbers(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
  if (Array.isArray(value)) return value.flatMap(allNumbers);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(allNumbers);
  return [];
}
