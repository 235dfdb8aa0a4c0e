/**
 * The Explanation Alignment table for the spurious pair (zoo/fashion-normal, zoo/fashion-spurious)
 * on the committed Fashion-MNIST test subset, with the square's colour correlated with the label
 * and broken: accuracy, and EA_IoU / EA_PG of each model's saliency against the garment and against
 * the square, for vanilla-gradient saliency and Grad-CAM, each binarised at mean + 1 std of the
 * normalised map (Bang, Boggust & Satyanarayan's setting). Saliency is for the predicted class.
 * Writes docs/organisms.md (the part between its markers) and prints the table.
 *
 *   npx tsx scripts/spurious-pair-table.ts
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import ort from 'onnxruntime-node';
import { loadFashionMnistSubset } from '../stimuli/datasets/fashion-mnist.ts';
import { TEST_SQUARE_SEEDS, withSquares, type SquareImageSet } from '../stimuli/datasets/spurious-square.ts';
import { loadSubject } from '../subjects/load.ts';
import { argmaxRows } from '../subjects/trainer/evaluate.ts';
import { sharedInterest } from '../tools/metrics/shared-interest.ts';
import { pointingGameHit } from '../tools/metrics/pointing-game.ts';
import { gradCam, gradientMap } from '../tools/saliency/gradient.ts';
import { projectPath } from '../util/paths.ts';

const SIZE = 28;
const PLANE = SIZE * SIZE;
const CAM_SITE = 'conv2_relu';
const METHODS = ['gradient', 'grad-cam'] as const;

interface Row {
  model: string;
  set: string;
  accuracy: number;
  method: string;
  garmentIoU: number;
  squareIoU: number;
  garmentPG: number;
  squarePG: number;
}

/** Nearest-neighbour upsampling of a [h, w] map to 28×28. */
function upsample(map: Float32Array, h: number, w: number): Float32Array {
  const out = new Float32Array(PLANE);
  for (let y = 0; y < SIZE; y++)
    for (let x = 0; x < SIZE; x++)
      out[y * SIZE + x] = map[Math.floor((y * h) / SIZE) * w + Math.floor((x * w) / SIZE)] as number;
  return out;
}

async function evaluate(name: string, setName: string, set: SquareImageSet): Promise<Row[]> {
  const subject = await loadSubject(name);
  try {
    const logits = (await subject.run(new ort.Tensor('float32', set.tensor, [set.count, 3, SIZE, SIZE])))
      .logits;
    const predicted = argmaxRows(logits?.data as Float32Array, 10);
    const accuracy = predicted.filter((p, n) => p === set.labels[n]).length / set.count;
    const maps: Record<(typeof METHODS)[number], Float32Array[]> = { gradient: [], 'grad-cam': [] };
    for (const m of METHODS) maps[m] = new Array<Float32Array>(set.count);
    // One gradient call per predicted class: the objective's class weights are per call.
    for (let c = 0; c < 10; c++) {
      const members = predicted.flatMap((p, n) => (p === c ? [n] : []));
      if (members.length === 0) continue;
      const batch = new Float32Array(members.length * 3 * PLANE);
      members.forEach((n, k) =>
        batch.set(set.tensor.subarray(n * 3 * PLANE, (n + 1) * 3 * PLANE), k * 3 * PLANE),
      );
      const weights = Array.from({ length: 10 }, (_, k) => (k === c ? 1 : 0));
      const input = new ort.Tensor('float32', batch, [members.length, 3, SIZE, SIZE]);
      const objective = { tensor: 'logits', weights };
      // Two calls: the autodiff treats every wrt tensor as a leaf, so a gradient at the site would
      // stop the input's gradient from flowing through it.
      const inputResult = await subject.gradient(input, { objective, wrt: ['image'] });
      const siteResult = await subject.gradient(input, { objective, wrt: [CAM_SITE], read: [CAM_SITE] });
      const inputGrad = inputResult.gradients.image?.data as Float32Array;
      const siteGrad = siteResult.gradients[CAM_SITE] as ort.Tensor;
      const activations = siteResult.sites[CAM_SITE]?.data as Float32Array;
      const [, k, h, w] = siteGrad.dims as [number, number, number, number];
      members.forEach((n, i) => {
        maps.gradient[n] = gradientMap(inputGrad.subarray(i * 3 * PLANE, (i + 1) * 3 * PLANE), {
          channels: 3,
          height: SIZE,
          width: SIZE,
        });
        const per = k * h * w;
        const cam = gradCam({
          activations: activations.subarray(i * per, (i + 1) * per),
          gradients: (siteGrad.data as Float32Array).subarray(i * per, (i + 1) * per),
          shape: { channels: k, height: h, width: w },
        });
        maps['grad-cam'][n] = upsample(cam, h, w);
      });
    }
    return METHODS.map((method) => {
      let garmentIoU = 0;
      let squareIoU = 0;
      let garmentPG = 0;
      let squarePG = 0;
      for (let n = 0; n < set.count; n++) {
        const map = maps[method][n] as Float32Array;
        const garment = set.garmentMasks.subarray(n * PLANE, (n + 1) * PLANE);
        const square = set.squareMasks.subarray(n * PLANE, (n + 1) * PLANE);
        garmentIoU += sharedInterest(map, garment).iou;
        squareIoU += sharedInterest(map, square).iou;
        if (pointingGameHit({ map, groundTruth: garment, width: SIZE, height: SIZE }).hit) garmentPG++;
        if (pointingGameHit({ map, groundTruth: square, width: SIZE, height: SIZE }).hit) squarePG++;
      }
      const mean = (v: number) => v / set.count;
      return {
        model: name,
        set: setName,
        accuracy,
        method,
        garmentIoU: mean(garmentIoU),
        squareIoU: mean(squareIoU),
        garmentPG: mean(garmentPG),
        squarePG: mean(squarePG),
      };
    });
  } finally {
    await subject.dispose();
  }
}

const subset = loadFashionMnistSubset();
const sets = {
  'correlation holds': withSquares(subset, 'correlated', TEST_SQUARE_SEEDS.correlated),
  'correlation broken': withSquares(subset, 'broken', TEST_SQUARE_SEEDS.broken),
};
const rows: Row[] = [];
for (const model of ['fashion-normal', 'fashion-spurious']) {
  for (const [setName, set] of Object.entries(sets)) rows.push(...(await evaluate(model, setName, set)));
}
const f = (v: number) => v.toFixed(2);
const table = [
  '| model | test set | accuracy | saliency | EA_IoU garment | EA_IoU square | EA_PG garment | EA_PG square |',
  '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ...rows.map(
    (r) =>
      `| ${r.model} | ${r.set} | ${f(r.accuracy)} | ${r.method} | ${f(r.garmentIoU)} | ${f(r.squareIoU)} | ${f(r.garmentPG)} | ${f(r.squarePG)} |`,
  ),
].join('\n');
process.stdout.write(`${table}\n`);
const doc = projectPath('docs', 'organisms.md');
const block = `<!-- table:spurious-pair -->\n\n${table}\n\n<!-- /table:spurious-pair -->`;
if (existsSync(doc)) {
  const text = readFileSync(doc, 'utf8');
  writeFileSync(
    doc,
    text.replace(/<!-- table:spurious-pair -->[\s\S]*?<!-- \/table:spurious-pair -->/, block),
  );
}
