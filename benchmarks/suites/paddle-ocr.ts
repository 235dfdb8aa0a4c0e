import { parsePhrase } from '../../stimuli/phrase.ts';
import { renderScene, type RenderedScene } from '../../stimuli/render.ts';
import { OnnxProbe } from '../../tools/probe/onnx-probe.ts';
import type { Probe } from '../../tools/probe/types.ts';
import { auroc } from '../scorers/auroc.ts';
import { PREDICTIVE_WORDS } from '../scorers/predictive-scenes.ts';
import { Task, type ScorerName } from '../suite.ts';

/**
 * Tasks on the real PaddleOCR models whose answers their outputs give away, each backed by a check
 * run when the suite is made (scripts/make-suites.ts refuses a task whose check fails):
 *
 * - recogniser (`paddle-ocr-rec`) output units: unit i of the softmax output is dictionary label i,
 *   its activation the label's peak probability along the line. Check: lines containing the
 *   character drive it, lines without it do not.
 * - orientation classifier (`paddle-ocr-cls`) output units '0' and '180'. Check: a line turned
 *   upside down drives '180' and not '0', the same line upright the reverse.
 * - a few internal units with no ground truth, scored by the predictive scorer only.
 */

export const PADDLE_SUITE_NAME = 'paddle-ocr';
export const REC = 'paddle-ocr-rec';
export const CLS = 'paddle-ocr-cls';
/** Softmax outputs: one unit per dictionary label (rec, over time) or class (cls). */
export const REC_OUTPUT = 'softmax_11.tmp_0';
export const CLS_OUTPUT = 'softmax_0.tmp_0';
/** The classifier's last conv block (alias final_block) and the recogniser's neck (alias neck). */
export const CLS_INTERNAL_SITE = 'hardswish_17.tmp_0';
export const REC_INTERNAL_SITE = 'swish_17.tmp_0';

/** The recogniser is slow (about 80 ms a line on 2 cores), so its held-out set is smaller. */
export const REC_HELD_OUT = { seed: 103, n: 300 } as const;
export const CLS_HELD_OUT = { seed: 103, n: 1000 } as const;

/** Characters to ask about, most common first; the first REC_CHAR_COUNT that pass their check are kept. */
export const REC_CHAR_CANDIDATES = [
  'e',
  'o',
  'a',
  's',
  't',
  'r',
  'l',
  'i',
  'n',
  'h',
  'c',
  'p',
  'u',
  'd',
  'y',
  'm',
];
export const REC_CHAR_COUNT = 10;
export const CLS_INTERNAL_COUNT = 4;
export const REC_INTERNAL_COUNT = 2;

const OUTPUT_SCORERS: ScorerName[] = ['concept', 'predictive', 'judge'];

/** Thresholds of the checks. */
export const PADDLE_CHECKS = { minDriven: 0.5, maxQuiet: 0.15, minAuroc: 0.95 };

export interface CheckResult {
  ok: boolean;
  detail: string;
}

function lineScene(
  word: string,
  size: { width: number; height: number },
  seed: number,
  upsideDown: boolean,
): Promise<RenderedScene> {
  const spec = parsePhrase(`the word "${word}" on a plain white background`, { ...size, seed });
  return renderScene(upsideDown ? { ...spec, effects: [{ kind: 'rotate', degrees: 180 }] } : spec);
}

async function unitValues(
  probe: Probe,
  scenes: RenderedScene[],
  site: string,
  index: number,
): Promise<number[]> {
  const values = await probe.sceneValues(scenes, site);
  const units = values.length / scenes.length;
  return scenes.map((_, i) => values[i * units + index] ?? 0);
}

const mean = (values: readonly number[]) => values.reduce((s, v) => s + v, 0) / Math.max(1, values.length);

/** Contrast of a unit between scenes that should drive it and scenes that should not. */
function contrast(driven: number[], quiet: number[], what: string): CheckResult {
  const area = auroc([...driven, ...quiet], [...driven.map(() => true), ...quiet.map(() => false)]);
  const { minDriven, maxQuiet, minAuroc } = PADDLE_CHECKS;
  const ok = mean(driven) >= minDriven && mean(quiet) <= maxQuiet && area >= minAuroc;
  return {
    ok,
    detail: `${what}: mean ${mean(driven).toFixed(3)} vs ${mean(quiet).toFixed(3)}, AUROC ${area.toFixed(3)}`,
  };
}

/** The recogniser's labels, so a unit index names its character. */
export function recLabels(probe: Probe): readonly string[] {
  if (!(probe instanceof OnnxProbe) || !probe.subject.labels)
    throw new Error(`${REC} has no dictionary labels`);
  return probe.subject.labels;
}

/** Check: 8 words containing the character drive its unit; 8 without it do not. */
export async function checkRecChar(probe: Probe, char: string): Promise<CheckResult & { unit: string }> {
  const index = recLabels(probe).indexOf(char);
  if (index < 0) return { ok: false, detail: `'${char}' is not in the dictionary`, unit: '' };
  const words = (test: (w: string) => boolean) =>
    PREDICTIVE_WORDS.filter((w) => /^[a-z]+$/.test(w) && test(w)).slice(0, 8);
  const withChar = words((w) => w.includes(char));
  const without = words((w) => !w.includes(char));
  const scenes = await Promise.all(
    [...withChar, ...without].map((word, i) => lineScene(word, probe.sceneSize, i, false)),
  );
  const values = await unitValues(probe, scenes, REC_OUTPUT, index);
  const result = contrast(
    values.slice(0, withChar.length),
    values.slice(withChar.length),
    `${withChar.length} words with '${char}' vs ${without.length} without`,
  );
  return { ...result, unit: `${REC_OUTPUT}:${index}` };
}

/** Check: the same 8 words, upright and upside down, move the class unit the stated way. */
export async function checkClsOrientation(probe: Probe, label: '0' | '180'): Promise<CheckResult> {
  const words = PREDICTIVE_WORDS.filter((w) => /^[a-z]{4,}$/.test(w)).slice(0, 8);
  const upright = await Promise.all(words.map((w, i) => lineScene(w, probe.sceneSize, i, false)));
  const turned = await Promise.all(words.map((w, i) => lineScene(w, probe.sceneSize, i, true)));
  const index = label === '180' ? 1 : 0;
  const values = await unitValues(probe, [...upright, ...turned], CLS_OUTPUT, index);
  const up = values.slice(0, words.length);
  const down = values.slice(words.length);
  return label === '180'
    ? contrast(down, up, `${words.length} lines upside down vs upright`)
    : contrast(up, down, `${words.length} lines upright vs upside down`);
}

export function recCharTask(char: string, unit: string, check: string): Task {
  return Task.parse({
    id: `paddle-rec-char-${char}`,
    family: 'ocr-char',
    subject: REC,
    unit,
    question: `What does output unit ${unit} of the text recogniser detect?`,
    truth: {
      concepts: [`char:${char}`],
      description: `The character '${char}': the unit is dictionary label '${char}' of the CTC output, and its activation is the probability of '${char}' at its most likely position along the line.`,
    },
    scorers: OUTPUT_SCORERS,
    heldOut: { ...REC_HELD_OUT },
    origin: `dictionary label; checked by scripts/make-suites.ts (${check})`,
  });
}

export function clsOrientationTask(label: '0' | '180', check: string): Task {
  const upsideDown = label === '180';
  const unit = `${CLS_OUTPUT}:${upsideDown ? 1 : 0}`;
  return Task.parse({
    id: `paddle-cls-${upsideDown ? 'upside-down' : 'upright'}`,
    family: 'orientation',
    subject: CLS,
    unit,
    question: `What does output unit ${unit} of the text-orientation classifier detect?`,
    truth: {
      concepts: [upsideDown ? 'orientation:upside-down' : 'orientation:upright', 'text'],
      description: upsideDown
        ? "Text that is upside down (the line rotated by 180°): the classifier's probability of class '180'."
        : "Text that is upright (not rotated): the classifier's probability of class '0'.",
    },
    scorers: OUTPUT_SCORERS,
    heldOut: { ...CLS_HELD_OUT },
    origin: `class label '${label}'; checked by scripts/make-suites.ts (${check})`,
  });
}

export function internalTask(
  subject: string,
  site: string,
  alias: string,
  index: number,
  heldOut: { seed: number; n: number },
  why: string,
): Task {
  const unit = `${site}:${index}`;
  return Task.parse({
    id: `paddle-${subject === CLS ? 'cls' : 'rec'}-${alias}-${index}`,
    family: 'internal',
    subject,
    unit,
    question: `What does unit ${unit} (${alias}) of ${subject} detect?`,
    truth: { description: 'Unknown: no ground truth. Scored by predictive evaluation only.' },
    scorers: ['predictive'],
    heldOut,
    origin: `internal unit chosen by scripts/make-suites.ts (${why})`,
  });
}

/**
 * The internal units to ask about: those whose held-out activations vary most (a unit that barely
 * moves has nothing to describe), `count` of them, from held-out values (N × units, row-major).
 */
export function liveliestUnits(
  values: Float32Array,
  units: number,
  count: number,
): { index: number; std: number }[] {
  const n = values.length / units;
  const stats = Array.from({ length: units }, (_, u) => {
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < n; i++) {
      const v = values[i * units + u] ?? 0;
      sum += v;
      squares += v * v;
    }
    const m = sum / n;
    return { index: u, std: Math.sqrt(Math.max(0, squares / n - m * m)) };
  });
  return stats.sort((a, b) => b.std - a.std || a.index - b.index).slice(0, count);
}
