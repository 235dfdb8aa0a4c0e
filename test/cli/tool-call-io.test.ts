import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { parseZoom, readToolArguments, zoomPng } from '../../cli/tool-call/io.ts';
import { cliRunner } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'aia-tool-args-'));
const { dir: cliDir, aia } = cliRunner('aia-tool-call-io-');
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(cliDir, { recursive: true, force: true });
});

describe('aia tools call arguments from a file', () => {
  it('reads nested JSON from the file, exactly as given inline', () => {
    const args = { unit: 'final_conv:3', edits: [{ phrase: 'turn it "upside down"' }] };
    const file = join(dir, 'args.json');
    writeFileSync(file, JSON.stringify(args));
    expect(readToolArguments(undefined, file, 'edit_scenes')).toEqual(args);
    expect(readToolArguments(JSON.stringify(args), undefined, 'edit_scenes')).toEqual(args);
    expect(readToolArguments(undefined, undefined, 'describe_subject')).toEqual({});
  });

  it('names the problem: both given, unreadable file, bad JSON, not an object', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{"unit": ');
    expect(() => readToolArguments('{}', file, 'call_units')).toThrow(/inline or with --args-file, not both/);
    expect(() => readToolArguments(undefined, join(dir, 'missing.json'), 'call_units')).toThrow(
      /cannot read --args-file .*missing\.json/,
    );
    expect(() => readToolArguments(undefined, file, 'call_units')).toThrow(
      /call_units in --args-file .* not valid JSON/,
    );
    expect(() => readToolArguments('[1, 2]', undefined, 'call_units')).toThrow(/must be a JSON object/);
  });

  it('runs a tool from the CLI with --args-file', async () => {
    const file = join(dir, 'answer.json');
    writeFileSync(file, JSON.stringify({ description: 'dogs', formula: 'dog or cat', confidence: 0.7 }));
    const { code, stdout } = await aia('tools', 'call', 'submit_answer', '--args-file', file,
      '--subject', 'synthetic:maia/mono-dog', '--json'); // prettier-ignore
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { data: { answer: { formula: string } } }).data.answer.formula).toBe(
      'dog OR cat',
    );
  });
});

describe('zoomed tool images', () => {
  it('enlarges by a whole factor with every source pixel kept exactly', async () => {
    const raw = Buffer.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]); // 2×2 RGB
    const png = await sharp(raw, { raw: { width: 2, height: 2, channels: 3 } })
      .png()
      .toBuffer();
    const zoomed = await zoomPng(png, 4);
    const { data, info } = await sharp(zoomed).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([8, 8]);
    const at = (x: number, y: number) => [
      ...data.subarray((y * 8 + x) * info.channels, (y * 8 + x) * info.channels + 3),
    ];
    expect(at(0, 0)).toEqual([255, 0, 0]);
    expect(at(3, 3)).toEqual([255, 0, 0]);
    expect(at(4, 0)).toEqual([0, 255, 0]);
    expect(at(7, 7)).toEqual([255, 255, 255]);
    expect(await zoomPng(png, 1)).toEqual(png);
  });

  it('accepts zoom 1 to 8 only', () => {
    expect(parseZoom(undefined)).toBe(1);
    expect(parseZoom('4')).toBe(4);
    expect(() => parseZoom('0')).toThrow(/--zoom must be a whole number from 1 to 8, got '0'/);
    expect(() => parseZoom('2.5')).toThrow(/--zoom/);
  });
});
