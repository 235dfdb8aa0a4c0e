/**
 * npx tsx scripts/saliency-randomization.ts — Adebayo et al.'s cascading model-parameter randomisation
 * ("Sanity Checks for Saliency Maps", NeurIPS 2018) on the PaddleOCR orientation classifier, for the
 * gradient, gradient × input and Grad-CAM maps: the weight layers are randomised from the output down
 * (subjects/onnx/randomize.ts, seed 1) and each method's map of the logit of '0' on the randomised model
 * is compared with its map on the trained model by Spearman rank correlation over pixels, averaged over
 * a few rendered text lines. Writes the table into docs/saliency.md (between markers) and the figures
 * as JSON on stdout.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import { loadSubject, randomizeWeights } from '../subjects/index.ts';
import { weightLayers } from '../subjects/onnx/randomize.ts';
import type { OnnxSubject } from '../subjects/onnx/onnx-subject.ts';
import { renderScene } from '../stimuli/render.ts';
import { gradientSaliency, type GradientMethod } from '../tools/analysis/saliency-gradient.ts';
import { spearman } from '../tools/metrics/index.ts';
import { OnnxProbe } from '../tools/probe/index.ts';
import type { RgbImage } from '../util/image.ts';

const DOC = 'docs/saliency.md';
const SEED = 1;
const WORDS = ['hello', 'Sale 42', 'open', 'river', 'TAXI', 'north 7'];
const METHODS: { method: GradientMethod; name: string; absolute: boolean }[] = [
  { method: 'gradient', name: 'gradient', absolute: false },
  { method: 'gradient_x_input', name: 'gradient × input (absolute)', absolute: true },
  { method: 'gradcam', name: 'Grad-CAM', absolute: false },
];
/** Layers randomised, counted from the output (the last entry becomes every layer). */
const CASCADE = [1, 2, 4, 8, 16, 32];

async function mapsOf(subject: OnnxSubject, images: RgbImage[], site: string): Promise<Float32Array[][]> {
  const probe = new OnnxProbe(subject);
  const maps: Float32Array[][] = [];
  for (const { method, absolute } of METHODS) {
    const perImage: Float32Array[] = [];
    for (const image of images) {
      const { map } = await gradientSaliency(probe, { kind: 'label', label: '0' }, image, method, {
        baseline: 'black',
        steps: 32,
        noise: 0.15,
        samples: 25,
        seed: SEED,
        site,
        pooling: 'mean',
      });
      perImage.push(absolute ? map.map.map(Math.abs) : map.map);
    }
    maps.push(perImage);
  }
  return maps;
}

const trained = await loadSubject('paddle-ocr-cls');
const layers = weightLayers(trained.decodedModel());
const images: RgbImage[] = [];
for (const word of WORDS) {
  const scene = await renderScene({
    width: 192,
    height: 48,
    background: 'white',
    items: [{ kind: 'word', name: word, x: 0.5, y: 0.5, size: 0.7 }],
  });
  images.push(scene.image);
}
// Grad-CAM at the features the classifier head pools (the default site of the trained model).
const site = 'p2o.MaxPool.1';
const reference = await mapsOf(trained, images, site);
const cascade = [...CASCADE.filter((k) => k < layers.length), layers.length];
const rows: { top: number; layer: string; rho: number[] }[] = [];
for (const top of cascade) {
  process.stderr.write(`randomising the top ${top} of ${layers.length} layers…\n`);
  const { subject, report } = await randomizeWeights(trained, { seed: SEED, scope: { top } });
  try {
    const maps = await mapsOf(subject, images, site);
    const rho = METHODS.map((_, m) => {
      const values = images.map((_, i) =>
        spearman(reference[m]?.[i] as Float32Array, maps[m]?.[i] as Float32Array),
      );
      return values.reduce((a, b) => a + b, 0) / values.length;
    });
    rows.push({ top, layer: report.layers[0] ?? '', rho });
  } finally {
    await subject.dispose();
  }
}
await trained.dispose();

const table = [
  `| layers randomised (from the output) | deepest randomised layer | ${METHODS.map((m) => m.name).join(' | ')} |`,
  `| --- | --- | ${METHODS.map(() => '---').join(' | ')} |`,
  ...rows.map(
    (r) =>
      `| ${r.top === layers.length ? `all ${r.top}` : r.top} | ${r.layer} | ${r.rho.map((v) => v.toFixed(3)).join(' | ')} |`,
  ),
].join('\n');
const block = [
  '<!-- randomization -->',
  `Measured ${new Date().toISOString().slice(0, 10)} by \`npx tsx scripts/saliency-randomization.ts\` (seed ${SEED};`,
  `${WORDS.length} rendered text lines: ${WORDS.map((w) => `'${w}'`).join(', ')}; target: the logit of '0';`,
  `Grad-CAM at \`${site}\`, the features the head pools). Mean Spearman ρ between each method's map on the`,
  `trained model and on the model with the top k of its ${layers.length} weight layers randomised:`,
  '',
  table,
  '<!-- /randomization -->',
].join('\n');
let doc = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '# Saliency\n';
const pattern = /<!-- randomization -->[\s\S]*?<!-- \/randomization -->/;
doc = pattern.test(doc) ? doc.replace(pattern, block) : `${doc.trimEnd()}\n\n${block}\n`;
writeFileSync(DOC, await format(doc, { ...(await resolveConfig(DOC)), parser: 'markdown' }));
process.stdout.write(
  `${JSON.stringify({ layers: layers.length, methods: METHODS.map((m) => m.name), rows }, null, 2)}\n`,
);
