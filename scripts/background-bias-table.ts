/**
 * The Explanation Alignment table for the background-bias pair (zoo/boats-biased,
 * zoo/boats-balanced) on held-out rendered scenes, one row per model, group (boat on its usual
 * background — water — or on land; no boat on water or on land) and saliency method: accuracy, and
 * EA_IoU / EA_PG of the saliency of the 'boat' logit against the boat's exact mask and against the
 * background's (the pixels no item covers). Saliency: vanilla gradient (max over channels of
 * |∂logit/∂x|) or Grad-CAM at `conv2_relu` (8×8, upsampled), binarised at mean + 1 std as in the
 * paper. Writes docs/organisms.md (between its markers) and prints the table.
 *
 *   npx tsx scripts/background-bias-table.ts
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import ort from 'onnxruntime-node';
import { BIAS_GROUPS, biasTestScenes, type BiasGroup } from '../stimuli/datasets/background-bias.ts';
import { imagesTensor } from '../stimuli/datasets/scene-tensor.ts';
import { renderScene, type RenderedScene } from '../stimuli/render.ts';
import { loadSubject } from '../subjects/load.ts';
import { argmaxRows } from '../subjects/trainer/evaluate.ts';
import { pointingGameHit } from '../tools/metrics/pointing-game.ts';
import { sharedInterest } from '../tools/metrics/shared-interest.ts';
import { gradCam, gradientMap } from '../tools/saliency/gradient.ts';
import { projectPath } from '../util/paths.ts';
import { BIAS_TEST, SCENE_SIZE } from './organisms/background-bias.ts';

const SIZE = SCENE_SIZE;
const PLANE = SIZE * SIZE;
const CAM_SITE = 'conv2_relu';
const METHODS = ['gradient', 'grad-cam'] as const;
const MODELS = ['boats-biased', 'boats-balanced'] as const;
/** A seed apart from the recipes' test set, so the table is not read off the numbers in metrics.json. */
const TABLE_SEED = BIAS_TEST.seed + 1;
const PER_GROUP = 100;

interface Row {
  model: string;
  group: BiasGroup;
  accuracy: number;
  method: string;
  boatIoU: number;
  backgroundIoU: number;
  boatPG: number;
  backgroundPG: number;
}

function upsample(map: Float32Array, h: number, w: number): Float32Array {
  const out = new Float32Array(PLANE);
  for (let y = 0; y < SIZE; y++)
    for (let x = 0; x < SIZE; x++)
      out[y * SIZE + x] = map[Math.floor((y * h) / SIZE) * w + Math.floor((x * w) / SIZE)] as number;
  return out;
}

const scenes = biasTestScenes({ perGroup: PER_GROUP, seed: TABLE_SEED, size: SIZE });
const rendered: RenderedScene[] = [];
for (const spec of scenes.specs) rendered.push(await renderScene(spec));
const tensor = imagesTensor(rendered.map((scene) => scene.image));
const boatMasks = rendered.map((scene) => scene.masks.get('boat') ?? new Uint8Array(PLANE));
const backgroundMasks = rendered.map((scene) =>
  Uint8Array.from(scene.itemMap, (item) => (item === 0 ? 1 : 0)),
);

async function evaluate(name: string): Promise<Row[]> {
  const subject = await loadSubject(name);
  try {
    const input = new ort.Tensor('float32', tensor, [scenes.labels.length, 3, SIZE, SIZE]);
    const logits = (await subject.run(input)).logits?.data as Float32Array;
    const predicted = argmaxRows(logits, 2);
    const objective = { tensor: 'logits', weights: [0, 1] };
    // Two calls: a gradient at the site would stop the input's gradient from flowing through it.
    const inputGrad = (await subject.gradient(input, { objective, wrt: ['image'] })).gradients.image
      ?.data as Float32Array;
    const siteResult = await subject.gradient(input, { objective, wrt: [CAM_SITE], read: [CAM_SITE] });
    const siteGrad = siteResult.gradients[CAM_SITE] as ort.Tensor;
    const activations = siteResult.sites[CAM_SITE]?.data as Float32Array;
    const [, k, h, w] = siteGrad.dims as [number, number, number, number];
    const per = k * h * w;
    const maps = {
      gradient: rendered.map((_, n) =>
        gradientMap(inputGrad.subarray(n * 3 * PLANE, (n + 1) * 3 * PLANE), {
          channels: 3,
          height: SIZE,
          width: SIZE,
        }),
      ),
      'grad-cam': rendered.map((_, n) =>
        upsample(
          gradCam({
            activations: activations.subarray(n * per, (n + 1) * per),
            gradients: (siteGrad.data as Float32Array).subarray(n * per, (n + 1) * per),
            shape: { channels: k, height: h, width: w },
          }),
          h,
          w,
        ),
      ),
    };
    const rows: Row[] = [];
    for (const group of BIAS_GROUPS) {
      const members = scenes.groups.flatMap((g, n) => (g === group ? [n] : []));
      const accuracy = members.filter((n) => predicted[n] === scenes.labels[n]).length / members.length;
      for (const method of METHODS) {
        const sums = { boatIoU: 0, backgroundIoU: 0, boatPG: 0, backgroundPG: 0 };
        for (const n of members) {
          const map = maps[method][n] as Float32Array;
          const boat = boatMasks[n] as Uint8Array;
          const background = backgroundMasks[n] as Uint8Array;
          sums.boatIoU += sharedInterest(map, boat).iou;
          sums.backgroundIoU += sharedInterest(map, background).iou;
          if (pointingGameHit({ map, groundTruth: boat, width: SIZE, height: SIZE }).hit) sums.boatPG++;
          if (pointingGameHit({ map, groundTruth: background, width: SIZE, height: SIZE }).hit)
            sums.backgroundPG++;
        }
        const mean = (v: number) => v / members.length;
        rows.push({
          model: name,
          group,
          accuracy,
          method,
          boatIoU: mean(sums.boatIoU),
          backgroundIoU: mean(sums.backgroundIoU),
          boatPG: mean(sums.boatPG),
          backgroundPG: mean(sums.backgroundPG),
        });
      }
    }
    return rows;
  } finally {
    await subject.dispose();
  }
}

const GROUP_NAMES: Record<BiasGroup, string> = {
  'boat-water': 'boat on water (usual)',
  'boat-land': 'boat on land (unusual)',
  'none-water': 'no boat, water (unusual)',
  'none-land': 'no boat, land (usual)',
};
const rows: Row[] = [];
for (const model of MODELS) rows.push(...(await evaluate(model)));
const f = (v: number) => v.toFixed(2);
// No boat, no boat mask: those groups' boat columns would be 0 by construction.
const boatCell = (r: Row, v: number) => (r.group.startsWith('boat') ? f(v) : '—');
const table = [
  '| model | group | accuracy | saliency | EA_IoU boat | EA_IoU background | EA_PG boat | EA_PG background |',
  '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ...rows.map(
    (r) =>
      `| ${r.model} | ${GROUP_NAMES[r.group]} | ${f(r.accuracy)} | ${r.method} | ${boatCell(r, r.boatIoU)} | ${f(r.backgroundIoU)} | ${boatCell(r, r.boatPG)} | ${f(r.backgroundPG)} |`,
  ),
].join('\n');
process.stdout.write(`${table}\n`);
const doc = projectPath('docs', 'organisms.md');
const block = `<!-- table:background-bias -->\n\n${table}\n\n<!-- /table:background-bias -->`;
if (existsSync(doc)) {
  const text = readFileSync(doc, 'utf8');
  if (text.includes('<!-- table:background-bias -->'))
    writeFileSync(
      doc,
      text.replace(/<!-- table:background-bias -->[\s\S]*?<!-- \/table:background-bias -->/, block),
    );
}
