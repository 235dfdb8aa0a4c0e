import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import {
  FASHION_MNIST_DEBIAN_DIR,
  loadFashionMnist,
  selectImages,
} from '../../stimuli/datasets/fashion-mnist.ts';
import { oneHot, withSquares } from '../../stimuli/datasets/spurious-square.ts';
import { smallCnn } from '../../subjects/trainer/small-cnn.ts';
import { train } from '../../subjects/trainer/train.ts';
import { projectPath } from '../../util/paths.ts';
import type { PerfGoal, PerfSection } from './types.ts';

/**
 * One training epoch of the spurious pair's small CNN on Fashion-MNIST (batch 64, Adam, cross-entropy,
 * RGB 28×28), and — where Debian's python3-torch is installed — the same epoch in PyTorch on the CPU
 * with as many threads, run right after in the same process tree. AIA_PERF_TRAIN_EXAMPLES trains on
 * fewer examples (the epoch time is then scaled to 60,000), for machines where a full epoch is long.
 */

const FULL_EPOCH = 60000;
const EXAMPLES = Number(process.env.AIA_PERF_TRAIN_EXAMPLES ?? FULL_EPOCH);
const TORCH_PYTHON = '/usr/bin/python3';

function hasTorch(): boolean {
  if (!existsSync(TORCH_PYTHON)) return false;
  return spawnSync(TORCH_PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
}

export const trainerSection: PerfSection = {
  name: 'trainer',
  title: 'Trainer: one Fashion-MNIST epoch of the small CNN',
  async run() {
    const loadBefore = loadavg()[0] ?? NaN;
    const threads = Number(process.env.AIA_ORT_THREADS ?? availableParallelism());
    const scale = FULL_EPOCH / EXAMPLES;
    const full = loadFashionMnist('train');
    const images = withSquares(
      selectImages(
        full,
        Array.from({ length: EXAMPLES }, (_, i) => i),
      ),
      'correlated',
      1,
    );
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await train(
      smallCnn({ input: [3, 28, 28], classes: 10, conv: [16, 32], hidden: 64, seed: 13 }),
      {
        inputs: images.tensor,
        inputShape: [3, 28, 28],
        targets: oneHot(images.labels, 10),
        targetShape: [10],
        count: images.count,
      },
      {
        seed: 13,
        epochs: 1,
        batchSize: 64,
        optimiser: { name: 'adam', learningRate: 1e-3 },
        loss: 'cross-entropy',
        quiet: true,
      },
    );
    const ours = ((performance.now() - t0) / 1000) * scale;
    const cpu = process.cpuUsage(c0);
    const oursCpu = ((cpu.user + cpu.system) / 1e6) * scale;
    const goals: PerfGoal[] = [
      {
        goal: 'one epoch (60,000 images, batch 64, Adam) of the small CNN ≤ 60 s',
        measured: `${ours.toFixed(1)} s (CPU time ${oursCpu.toFixed(1)} s)`,
        pass: ours <= 60,
      },
    ];
    let torchNote = '';
    if (hasTorch()) {
      const result = spawnSync(
        TORCH_PYTHON,
        [projectPath('scripts', 'perf', 'trainer-torch.py'), String(EXAMPLES), String(threads)],
        {
          encoding: 'utf8',
        },
      );
      if (result.status !== 0) throw new Error(`the PyTorch baseline failed: ${result.stderr}`);
      const torch = JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}') as {
        seconds: number;
        cpu: number;
        torch: string;
      };
      const torchSeconds = torch.seconds * scale;
      torchNote =
        `PyTorch ${torch.torch} (Debian python3-torch), ${threads} threads, same model, optimiser, batch and examples. ` +
        `That build's CPU time per epoch is what to compare: a pip wheel with oneDNN kernels may well be faster.`;
      goals.push({
        goal: 'the same epoch vs PyTorch CPU ≤ 2×',
        measured:
          `${(ours / torchSeconds).toFixed(2)}× (${ours.toFixed(1)} s vs ${torchSeconds.toFixed(1)} s; ` +
          `CPU time ${(oursCpu / (torch.cpu * scale)).toFixed(2)}×: ${oursCpu.toFixed(1)} s vs ${(torch.cpu * scale).toFixed(1)} s)`,
        pass: ours <= 2 * torchSeconds,
      });
    } else {
      torchNote = `No PyTorch row: Debian's python3-torch is not installed (${TORCH_PYTHON} cannot import torch).`;
    }
    return {
      setup: [
        `The spurious pair's small CNN (conv 3×3 16 → max-pool → conv 3×3 32 → max-pool → dense 64 → dense 10,`,
        `RGB 28×28 input) trained by \`subjects/trainer/\` for one pass over ${EXAMPLES.toLocaleString('en')} Fashion-MNIST training images`,
        `(${FASHION_MNIST_DEBIAN_DIR}) with Adam (lr 10⁻³), batch 64, cross-entropy; one compiled forward+backward`,
        `onnxruntime session, ${threads} intra-op threads, the weights fed each step and updated in JS.`,
        scale !== 1 ? `Times are scaled ×${scale.toFixed(2)} to a full 60,000-image epoch.` : 'A full epoch.',
        torchNote,
        `CPU time (every thread of the process) is beside wall time: on a shared machine it measures the work done.`,
        `The machine is shared: its 1-minute load average was ${loadBefore.toFixed(1)} before and`,
        `${(loadavg()[0] ?? NaN).toFixed(1)} after this section.`,
      ].join('\n'),
      goals,
    };
  },
};
