import { afterAll, describe, expect, it } from 'vitest';
import { renderScene, type RenderedScene } from '../../../stimuli/render.ts';
import type { SceneSpecInput } from '../../../stimuli/spec.ts';
import { loadProbe } from '../../../tools/probe/load.ts';
import type { OnnxProbe } from '../../../tools/probe/onnx-probe.ts';

/** The ONNX adapter on the PaddleOCR orientation classifier (input 3×48×192, final_conv 200×2×96). */

const probe = (await loadProbe('paddle-ocr-cls')) as OnnxProbe;
afterAll(() => probe.dispose());

const line = (text: string, upsideDown: boolean, width = 192): SceneSpecInput => ({
  width,
  height: 48,
  background: 'white',
  items: [{ kind: 'word', name: text, x: 0.5, y: 0.5, size: 0.6, colour: 'black' }],
  effects: upsideDown ? [{ kind: 'rotate', degrees: 180 }] : [],
});
const scenes: RenderedScene[] = await Promise.all([
  renderScene(line('hello world', false)),
  renderScene(line('hello world', true)),
  renderScene(line('stop', false)),
  renderScene(line('stop', true)),
]);
const final = probe.parseUnit('final_conv:3');

describe('ONNX probe', () => {
  it('renders scenes at the native input size and describes the subject', () => {
    expect(probe.kind).toBe('onnx');
    expect(probe.sceneSize).toEqual({ width: 192, height: 48 });
    const { text, data } = probe.describe();
    expect(text).toMatch(/Output: probabilities over 2 labels: 0, 180/);
    expect(text).toMatch(/final_conv, conv53 = conv2d_94\.tmp_0 \(Conv, 200 units/);
    expect(data).toMatchObject({
      kind: 'onnx',
      name: 'paddle-ocr-cls',
      sceneSize: { width: 192, height: 48 },
    });
  });

  it('parses units by alias to canonical ids, with clear errors', () => {
    expect(final).toEqual({ id: 'conv2d_94.tmp_0:3', site: 'conv2d_94.tmp_0', index: 3 });
    expect(probe.parseUnit('conv2d_94.tmp_0:3')).toEqual(final);
    expect(() => probe.parseUnit('final_cnv:3')).toThrow(
      /unknown site 'final_cnv'.*did you mean 'final_conv'/,
    );
    expect(() => probe.parseUnit('final_conv:200')).toThrow(
      /unit 200 is out of range.*200 units \(units 0–199\)/,
    );
    expect(() => probe.parseUnit('final_conv')).toThrow(/not a unit: write site:index/);
  });

  it('reads the labelled output: upright lines are 0, upside-down lines 180', async () => {
    const outputs = await probe.outputs(scenes);
    expect(outputs.kind).toBe('probabilities');
    expect(outputs.labels).toEqual(['0', '180']);
    for (const row of outputs.scores) expect((row[0] ?? 0) + (row[1] ?? 0)).toBeCloseTo(1, 5);
    expect(outputs.scores.map((row) => ((row[0] ?? 0) > 0.5 ? '0' : '180'))).toEqual([
      '0',
      '180',
      '0',
      '180',
    ]);
    // The label scorer reports the same probabilities.
    const p0 = await probe.scorer({ label: '0' })(scenes.map((s) => s.image));
    expect(Array.from(p0)).toEqual(outputs.scores.map((row) => row[0]));
    expect(() => probe.scorer({ label: '90' })).toThrow(/no output label '90'.*labels: 0, 180/);
  });

  it('gives maps of the site spatial size over the image, cropped to the image region', async () => {
    const narrow = await renderScene(line('stop', false, 96)); // lands in the left half of the input
    const [maps = []] = await probe.unitMaps([scenes[0]!, narrow], [final]);
    expect([maps[0]?.width, maps[0]?.height]).toEqual([96, 2]);
    expect([maps[1]?.width, maps[1]?.height]).toEqual([48, 2]);
    // The crop is the left 48 columns of the site's raw map for that input.
    const raw = (await probe.subject.read(probe.subject.preprocess([narrow.image]), ['final_conv'])).sites.final_conv!;
    const data = raw.data as Float32Array;
    const plane = 2 * 96;
    const expected = [0, 1].flatMap((y) => Array.from(data.subarray(3 * plane + y * 96, 3 * plane + y * 96 + 48)));
    expect(Array.from(maps[1]!.map)).toEqual(expected);
    expect(maps[1]?.value).toBe(Math.max(...expected));
  }); // prettier-ignore

  it('site values, unit maps, the unit scorer and batch stats agree', async () => {
    const images = scenes.map((s) => s.image);
    const values = await probe.siteValues(images, 'final_conv');
    expect(values).toHaveLength(4 * 200);
    const [maps = []] = await probe.unitMaps(scenes, [final]);
    expect(Array.from({ length: 4 }, (_, n) => values[n * 200 + 3])).toEqual(maps.map((m) => m.value));
    expect(Array.from(await probe.scorer({ unit: final })(images))).toEqual(maps.map((m) => m.value));
    const stats = await probe.batchStats(images, 'final_conv');
    expect(stats.values).toEqual(values);
    expect(stats.positions).toBe(2 * 96);
    const means = await probe.subject.unitMeans(probe.subject.preprocess(images), 'final_conv');
    expect(stats.sums[3]! / (4 * stats.positions)).toBeCloseTo(means[3]!, 3);
  });

  it('edits units: zeroing final_conv changes the answer; mean uses the reference means', async () => {
    const all = Array.from({ length: 200 }, (_, i) => probe.parseUnit(`final_conv:${i}`));
    const before = await probe.outputs(scenes);
    const zeroed = await probe.outputs(scenes, [{ units: all, op: 'zero' }]);
    expect(zeroed.scores[0]?.[0]).not.toBeCloseTo(before.scores[0]?.[0] ?? 0, 3);
    // Every scene gives the same answer once its whole final_conv is zero.
    expect(zeroed.scores[1]?.[0]).toBeCloseTo(zeroed.scores[0]?.[0] ?? 0, 5);
    const [setMaps = []] = await probe.unitMaps(scenes, [final], [{ units: [final], op: 'set', value: 2.5 }]);
    expect(setMaps.every((m) => m.map.every((v) => Math.abs(v - 2.5) < 1e-6))).toBe(true);
    probe.setReferenceMeans(async () => new Float32Array(200).fill(1.25));
    const [meanMaps = []] = await probe.unitMaps(scenes, [final], [{ units: [final], op: 'mean' }]);
    expect(meanMaps[0]?.value).toBeCloseTo(1.25, 6);
    await expect(probe.outputs(scenes, [{ units: [final], op: 'add' }])).rejects.toThrow(
      /needs a finite value/,
    );
  });
});
