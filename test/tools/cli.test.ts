import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliRunner } from '../helpers/cli.ts';

/** `aia tools list | call`, run as a person or another program would. */

const { dir, aia } = cliRunner('aia-tools-cli-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.concurrent('aia tools', () => {
  it('list --json gives every tool with its description and JSON Schema', async () => {
    const { code, stdout } = await aia('tools', 'list', '--json');
    expect(code).toBe(0);
    const specs = JSON.parse(stdout) as {
      name: string;
      description: string;
      inputSchema: { type: string };
    }[];
    const names = specs.map((s) => s.name);
    for (const name of ['describe_subject', 'list_units', 'call_units', 'dataset_exemplars', 'render_scenes',
      'edit_scenes', 'classify', 'record_hypothesis', 'submit_answer']) expect(names).toContain(name); // prettier-ignore
    expect(specs.every((s) => s.inputSchema.type === 'object' && s.description.length > 40)).toBe(true);
  });

  it("list --subject gives that subject's tools: a text subject's differ from the vision ones", async () => {
    const { code, stdout } = await aia('tools', 'list', '--subject', 'synthetic-text:bank', '--json');
    expect(code).toBe(0);
    const names = (JSON.parse(stdout) as { name: string }[]).map((s) => s.name);
    expect(names).toContain('text_exemplars');
    expect(names).not.toContain('render_scenes');
    expect(names.at(-1)).toBe('submit_answer');
  });

  it("call prints a tool's text, or its JSON result", async () => {
    const human = await aia('tools', 'call', 'describe_subject', '--subject', 'synthetic:maia/mono-dog');
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^Subject synthetic: 1 synthetic unit at one site, 'synthetic'/);
    const json = await aia('tools', 'call', 'submit_answer', '{"description": "dogs", "formula": "dog or cat", "confidence": 0.7}',
      '--subject', 'synthetic:maia/mono-dog', '--json'); // prettier-ignore
    expect(json.code).toBe(0);
    const result = JSON.parse(json.stdout) as {
      tool: string;
      data: { answer: { formula: string } };
      images: unknown[];
    };
    expect(result.tool).toBe('submit_answer');
    expect(result.data.answer.formula).toBe('dog OR cat');
    expect(result.images).toEqual([]);
  });

  it('call writes the result images as PNG files into --out', async () => {
    const out = join(dir, 'render');
    const { code, stdout } = await aia('tools', 'call', 'render_scenes', '{"stimuli": ["a dog on grass", "a red circle"]}',
      '--subject', 'synthetic:maia', '--out', out); // prettier-ignore
    expect(code).toBe(0);
    const files = readdirSync(out).sort();
    expect(files).toHaveLength(2);
    expect(files[0]).toBe('00-stimulus-0-a-dog-on-grass.png');
    expect(files[1]).toMatch(/^01-stimulus-1-a-.*red-circle.*\.png$/);
    expect(readFileSync(join(out, files[0]!)).subarray(1, 4).toString()).toBe('PNG');
    expect(stdout).toMatch(/\[0\] a dog on grass: .*dog/);
    expect(stdout).toContain(`image: ${join(out, files[0]!)}`);
  }); // prettier-ignore

  it('runs an experiment on the ONNX classifier: classify an upright and an upside-down line', async () => {
    const upright = {
      background: 'white',
      items: [{ kind: 'word', name: 'hello world', size: 0.6, colour: 'black' }],
    };
    const args = JSON.stringify({
      stimuli: [upright, { ...upright, effects: [{ kind: 'rotate', degrees: 180 }] }],
    });
    const { code, stdout } = await aia(
      'tools',
      'call',
      'classify',
      args,
      '--subject',
      'paddle-ocr-cls',
      '--json',
    );
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { data: { results: { top: { label: string }[] }[] } };
    expect(result.data.results.map((r) => r.top[0]?.label)).toEqual(['0', '180']);
  });

  it('malformed JSON, an unknown tool and bad arguments each give one clear error line and exit 1', async () => {
    const cases: [string[], RegExp][] = [
      [['render_scenes', '{"stimuli": ["a dog"'], /^error: arguments for render_scenes are not valid JSON \(.*\); quote them/],
      [['renderscenes', '{}'], /^error: unknown tool 'renderscenes'; did you mean render_scenes\?/],
      [['render_scenes', '{"stimuli": 3}'], /^error: invalid arguments for render_scenes: stimuli: .*expected array/],
    ]; // prettier-ignore
    const results = await Promise.all(
      cases.map(([args]) => aia('tools', 'call', ...args, '--subject', 'synthetic:maia/mono-dog')),
    );
    for (const [i, [args, message]] of cases.entries()) {
      const { code, stdout, stderr } = results[i]!;
      expect(code, args.join(' ')).toBe(1);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(stderr).toMatch(message);
    }
  }, 60_000);
});
