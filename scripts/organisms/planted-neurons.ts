/**
 * The planted-neuron organism's recipe (zoo/lm-planted): chosen MLP neurons of a trained GPT (zoo/lm-clean)
 * rewired, by editing weights, to fire on chosen token categories. For each concept (a formula in the
 * text concept language) a class-balanced logistic probe is fitted on the normalised residual stream each
 * block's MLP reads, over the corpus's train split; the block whose probe separates a validation set best
 * is chosen, and the least important neuron of that block (mean |activation| × output norm) gets the
 * probe's direction as its input weights and a zero output row (scripts/../plant-neuron.ts). Each planted
 * neuron is then read like any unit — per word, through the text probe — on held-out text (the test split
 * the suites score on): Pearson r with the concept, AUROC, mean activation on and off the concept,
 * precision of its top activations. Neurons that miss the bar are not planted in the final model.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { auroc } from '../../benchmarks/scorers/auroc.ts';
import { makeTextSet, type TextSet } from '../../stimuli/text/textset.ts';
import type { AnnotatedText } from '../../stimuli/text/types.ts';
import { loadLanguageModel, type LanguageModel } from '../../subjects/language-model/index.ts';
import { fitLinearProbe, probeLogits, type LinearProbe } from '../../subjects/language-model/linear-probe.ts';
import {
  meanTokenLoss,
  mlpInputFeatures,
  neuronImportance,
  plantNeuron,
} from '../../subjects/language-model/plant-neuron.ts';
import { locateSubject } from '../../subjects/load.ts';
import { decodeModel, encodeModel, type ModelProto } from '../../subjects/onnx/proto.ts';
import { evaluateTextFormula, parseTextFormula } from '../../subjects/synthetic-text/index.ts';
import { pearson } from '../../tools/metrics/correlation.ts';
import { createRandom } from '../../util/random.ts';
import { LanguageModelProbe } from '../../tools/text-probe/language-model-probe.ts';

export interface PlantedConcept {
  /** Short id: the task id in the lm-planted suite. */
  id: string;
  /** The concept in the text concept language: what the neuron is made to fire on. */
  formula: string;
  description: string;
}

export interface PlantedRecipe {
  name: string;
  /** The model planted into: a zoo name or subject.json of a text subject. */
  source: string;
  /** Output folder. */
  outDir: string;
  concepts: PlantedConcept[];
  /** Blocks to try for each concept (default: all). */
  layers?: number[];
  /** Texts the probes are fitted on (train split) and validated on. */
  fitTexts?: number;
  /** Held-out texts the selectivity is measured on (test split, the lm-planted suite's set). */
  heldOut?: { seed: number; n: number };
  /** The bar a planted neuron must pass on held-out text to be kept. */
  keep?: { r: number; auroc: number; precision: number };
  /** Cache root for the text sets. */
  cacheDir?: string;
}

export interface Selectivity {
  r: number;
  auroc: number;
  meanOn: number;
  meanOff: number;
  /** Share of the top-k word tokens by activation that have the concept (k = min(50, positives)). */
  precisionTop: number;
  positives: number;
  tokens: number;
}

const SEED = 11;
/** Negative rows a probe is fitted on (all positives are kept). */
const NEGATIVES = 6000;

/** Indices of every positive row and a seeded sample of `negatives` negative rows, in order. */
function sampleRows(labels: Uint8Array, negatives: number, seed: number): number[] {
  const random = createRandom(seed);
  const neg = labels.reduce((n, l) => n + (l === 0 ? 1 : 0), 0);
  const keep = Math.min(1, negatives / Math.max(1, neg));
  const out: number[] = [];
  labels.forEach((l, i) => {
    if (l === 1 || random() < keep) out.push(i);
  });
  return out;
}

function pickRows(features: Float32Array, width: number, rows: readonly number[]): Float32Array {
  const out = new Float32Array(rows.length * width);
  rows.forEach((r, k) => out.set(features.subarray(r * width, (r + 1) * width), k * width));
  return out;
}
const PLANTED_PRE = 4; // the probe's median logit on the category maps to this pre-activation

function progress(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Model tokens of each text (cut to the context), labelled by the formula's value on the word(s) each overlaps. */
function tokenLabels(lm: LanguageModel, texts: readonly AnnotatedText[], formula: string) {
  const tree = parseTextFormula(formula);
  const labels: number[] = [];
  for (const text of texts) {
    const words = evaluateTextFormula(tree, text);
    const { offsets } = lm.tokenize(text.text);
    offsets.slice(0, lm.contextLength).forEach(([start, end]) => {
      let value = 0;
      text.tokens.forEach((word, w) => {
        if (end > start && start < word.end && end > word.start) value = Math.max(value, words[w] as number);
      });
      labels.push(value >= 0.5 ? 1 : 0);
    });
  }
  return Uint8Array.from(labels);
}

const sequencesOf = (lm: LanguageModel, set: TextSet) =>
  set.texts.map((t) => lm.tokenize(t.text).ids.slice(0, lm.contextLength)).filter((ids) => ids.length > 0);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Selectivity of word activations against a formula over annotated texts. */
export function selectivity(
  texts: readonly AnnotatedText[],
  activations: Float32Array[],
  formula: string,
): Selectivity {
  const tree = parseTextFormula(formula);
  const values: number[] = [];
  const acts: number[] = [];
  texts.forEach((text, i) => {
    evaluateTextFormula(tree, text).forEach((v) => values.push(v));
    (activations[i] ?? new Float32Array()).forEach((a) => acts.push(a));
  });
  const positive = values.map((v) => v >= 0.5);
  const positives = positive.filter(Boolean).length;
  const on = acts.filter((_, i) => positive[i]);
  const off = acts.filter((_, i) => !positive[i]);
  const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / Math.max(1, xs.length);
  const k = Math.max(1, Math.min(50, positives));
  const top = acts
    .map((a, i) => [a, i] as const)
    .sort((x, y) => y[0] - x[0] || x[1] - y[1])
    .slice(0, k);
  return {
    r: pearson(Float32Array.from(values), Float32Array.from(acts)),
    auroc: auroc(acts, positive),
    meanOn: mean(on),
    meanOff: mean(off),
    precisionTop: top.filter(([, i]) => positive[i]).length / k,
    positives,
    tokens: acts.length,
  };
}

interface Plan {
  concept: PlantedConcept;
  layer: number;
  neuron: number;
  probe: LinearProbe;
  gain: number;
  validationAuroc: number;
  trainPositives: number;
}

async function writeSubject(recipe: PlantedRecipe, model: ModelProto, sourceDir: string, plans: Plan[]) {
  mkdirSync(recipe.outDir, { recursive: true });
  writeFileSync(join(recipe.outDir, 'model.onnx'), encodeModel(model));
  for (const file of ['tokenizer.json', 'tokenizer_config.json'])
    copyFileSync(join(sourceDir, file), join(recipe.outDir, file));
  const manifest = {
    name: recipe.name,
    description:
      `A small GPT (${recipe.source}) with ${plans.length} MLP neurons rewired by editing weights to fire on ` +
      'chosen token categories; their output rows are zero, so its predictions are nearly unchanged.',
    modality: 'text',
    task: 'next-token prediction',
    model: 'model.onnx',
    text: { tokenizer: 'tokenizer.json' },
    source: { url: `zoo/${recipe.name}/recipe.ts`, licence: 'MIT' },
  };
  writeFileSync(join(recipe.outDir, 'subject.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

export async function runPlantedRecipe(recipe: PlantedRecipe): Promise<void> {
  const started = performance.now();
  const cacheDir = recipe.cacheDir ?? process.env.AIA_CACHE_DIR ?? '.cache';
  const located = locateSubject(recipe.source);
  const sourceDir = dirname(located.modelPath);
  const bytes = readFileSync(located.modelPath);
  const original = decodeModel(bytes, located.modelPath);
  const lm = await loadLanguageModel(recipe.source, { cacheDir: false });
  const layers = recipe.layers ?? Array.from({ length: lm.layers }, (_, l) => l);
  const fitN = recipe.fitTexts ?? 1200;
  const held = recipe.heldOut ?? { seed: 101, n: 400 };
  const keep = recipe.keep ?? { r: 0.5, auroc: 0.9, precision: 0.5 };

  progress(
    `${recipe.name}: annotating ${fitN} + ${Math.round(fitN / 4)} train texts and ${held.n} test texts`,
  );
  const fit = makeTextSet({ split: 'train', seed: SEED, n: fitN }, { cacheDir });
  const validation = makeTextSet({ split: 'train', seed: SEED + 1, n: Math.round(fitN / 4) }, { cacheDir });
  const test = makeTextSet({ split: 'test', seed: held.seed, n: held.n }, { cacheDir });
  const fitSeqs = sequencesOf(lm, fit);
  const validationSeqs = sequencesOf(lm, validation);
  const testSeqs = sequencesOf(lm, test);

  // Features per block, once; a probe per concept and block; the block that validates best wins.
  const features = new Map<number, { fit: Float32Array; validation: Float32Array; width: number }>();
  for (const layer of layers) {
    const a = await mlpInputFeatures(lm, original, fitSeqs, layer);
    const b = await mlpInputFeatures(lm, original, validationSeqs, layer);
    features.set(layer, { fit: a.features, validation: b.features, width: a.width });
  }
  const importance = new Map<number, Float64Array>();
  for (const layer of layers) importance.set(layer, await neuronImportance(lm, original, fitSeqs, layer));
  const used = new Set<string>();
  const plans: Plan[] = [];
  for (const concept of recipe.concepts) {
    const fitLabels = tokenLabels(lm, fit.texts, concept.formula);
    const validationLabels = tokenLabels(lm, validation.texts, concept.formula);
    const trainPositives = fitLabels.reduce((a, l) => a + l, 0);
    if (trainPositives < 5) {
      progress(`${concept.id}: only ${trainPositives} training tokens; skipped`);
      continue;
    }
    // Every positive and a seeded sample of the rest: the fit costs rows × width × steps.
    const rows = sampleRows(fitLabels, NEGATIVES, SEED);
    let best: { layer: number; probe: LinearProbe; area: number } | undefined;
    for (const layer of layers) {
      const f = features.get(layer)!;
      const probe = fitLinearProbe(
        pickRows(f.fit, f.width, rows),
        f.width,
        Uint8Array.from(rows, (r) => fitLabels[r] as number),
        { steps: 150 },
      );
      const logits = probeLogits(probe, f.validation, f.width);
      const area = auroc(
        logits,
        Array.from(validationLabels, (l) => l === 1),
      );
      if (!best || area > best.area + 1e-3) best = { layer, probe, area };
    }
    if (!best) continue;
    const f = features.get(best.layer)!;
    const logits = probeLogits(best.probe, f.fit, f.width);
    const onLogits = Array.from(logits).filter((_, i) => fitLabels[i] === 1);
    const gain = PLANTED_PRE / Math.max(0.5, median(onLogits));
    const scores = importance.get(best.layer)!;
    const order = Array.from(scores.keys()).sort(
      (a, b) => (scores[a] as number) - (scores[b] as number) || a - b,
    );
    const neuron = order.find((n) => !used.has(`${best.layer}:${n}`)) as number;
    used.add(`${best.layer}:${neuron}`);
    plans.push({
      concept,
      layer: best.layer,
      neuron,
      probe: best.probe,
      gain,
      validationAuroc: best.area,
      trainPositives,
    });
    progress(`${concept.id}: block ${best.layer} neuron ${neuron}, validation AUROC ${best.area.toFixed(3)}`);
  }

  const plantAll = (chosen: Plan[]) =>
    chosen.reduce<ModelProto>(
      (model, p) => plantNeuron(model, { layer: p.layer, neuron: p.neuron, probe: p.probe, gain: p.gain }),
      original,
    );
  const measure = async (chosen: Plan[]) => {
    await writeSubject(recipe, plantAll(chosen), sourceDir, chosen);
    const planted = await loadLanguageModel(join(recipe.outDir, 'subject.json'), { cacheDir: false });
    try {
      const probe = new LanguageModelProbe(planted, recipe.outDir);
      const units = chosen.map((p) => probe.parseUnit(`blocks.${p.layer}.mlp.hook_post:${p.neuron}`));
      const rows = await probe.tokenActivations(test.texts, units);
      const loss = await meanTokenLoss(planted, testSeqs);
      return {
        selectivity: chosen.map((p, i) => selectivity(test.texts, rows[i]!, p.concept.formula)),
        loss,
      };
    } finally {
      await planted.dispose();
    }
  };
  const lossBefore = await meanTokenLoss(lm, testSeqs);
  const first = await measure(plans);
  const passes = (s: Selectivity) =>
    s.r >= keep.r && s.auroc >= keep.auroc && s.precisionTop >= keep.precision;
  const kept = plans.filter((_, i) => passes(first.selectivity[i]!));
  // The dropped neurons are left as they were: the final model plants only the kept ones.
  const final = await measure(kept);
  await lm.dispose();

  const neurons = plans.map((p, i) => {
    const k = kept.indexOf(p);
    return {
      id: p.concept.id,
      unit: `blocks.${p.layer}.mlp.hook_post:${p.neuron}`,
      formula: p.concept.formula,
      description: p.concept.description,
      kept: k >= 0,
      trainPositives: p.trainPositives,
      validationAuroc: p.validationAuroc,
      gain: p.gain,
      selectivity: k >= 0 ? final.selectivity[k] : first.selectivity[i],
    };
  });
  const metrics = {
    recipe: `zoo/${recipe.name}/recipe.ts`,
    source: {
      subject: recipe.source,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    },
    method:
      'class-balanced logistic probe on the block’s ln_2-normalised resid_mid, written into c_fc (gain: the median category logit → pre-activation 4); c_proj row set to 0',
    fit: { split: 'train', seed: SEED, texts: fitN, validationTexts: Math.round(fitN / 4) },
    heldOut: {
      split: 'test',
      ...held,
      note: 'selectivity per word token, read through the text probe (max over model tokens)',
    },
    keepBar: keep,
    planted: plans.length,
    kept: kept.length,
    dropped: plans.length - kept.length,
    neurons,
    loss: { set: `test split, seed ${held.seed}, ${held.n} texts`, before: lossBefore, after: final.loss },
    seconds: Math.round((performance.now() - started) / 1000),
  };
  const path = join(recipe.outDir, 'metrics.json');
  writeFileSync(path, `${JSON.stringify(metrics, null, 2)}\n`);
  for (const file of ['subject.json', 'metrics.json']) {
    const p = join(recipe.outDir, file);
    writeFileSync(p, await format(readFileSync(p, 'utf8'), { ...(await resolveConfig(p)), parser: 'json' }));
  }
  for (const n of neurons)
    progress(
      `${n.kept ? 'kept   ' : 'dropped'} ${n.id.padEnd(16)} ${n.unit.padEnd(26)} r ${n.selectivity?.r.toFixed(3)} ` +
        `AUROC ${n.selectivity?.auroc.toFixed(3)} top-precision ${n.selectivity?.precisionTop.toFixed(2)}`,
    );
  progress(
    `${recipe.name}: kept ${kept.length} of ${plans.length}; loss ${lossBefore.toFixed(4)} → ${final.loss.toFixed(4)}`,
  );
}
