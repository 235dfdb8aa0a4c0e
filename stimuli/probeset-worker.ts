/**
 * Worker thread for probe-set generation: renders the batches of scene indices it is sent and posts
 * back their encoded form (buffers transferred, not copied).
 */
import { parentPort } from 'node:worker_threads';
import { renderProbeScene, type ProbeSetDistribution } from './probeset-render.ts';

export interface WorkerBatch {
  seed: number;
  size: number;
  height?: number;
  distribution?: ProbeSetDistribution;
  start: number;
  end: number;
}

const port = parentPort;
if (!port) throw new Error('probeset-worker.ts must run in a worker thread');
port.on('message', (batch: WorkerBatch) => {
  void (async () => {
    try {
      const scenes = [];
      for (let i = batch.start; i < batch.end; i++)
        scenes.push(await renderProbeScene(batch.seed, i, batch.size, batch.height, batch.distribution));
      const transfer = scenes.flatMap((s) => [s.image.buffer, s.labels.buffer]) as ArrayBuffer[];
      port.postMessage({ ok: true, scenes }, transfer);
    } catch (error) {
      port.postMessage({
        ok: false,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
    }
  })();
});
