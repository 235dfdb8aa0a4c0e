import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createToolContext, createVisionRegistry, type ToolContext } from '../../tools/index.ts';
import type { ToolResult } from '../../tools/tool.ts';
import { printResult } from '../output.ts';

/**
 * The work of `aia demo` (defined in cli/commands/demo.ts): a worked, offline investigation through the
 * same typed tools an agent uses. First a synthetic unit with a known answer — exemplars and NetDissect concept IoU should
 * name its concept — then the real PaddleOCR orientation classifier: what it predicts on an upright and
 * an upside-down line, where it looks (occlusion saliency), and what zeroing its last conv does.
 */

interface DemoStep {
  subject: string;
  tool: string;
  args: Record<string, unknown>;
}

const UPRIGHT = {
  background: 'white',
  items: [{ kind: 'word', name: 'interpretability', size: 0.55, colour: 'black' }],
};
const UPSIDE_DOWN = { ...UPRIGHT, effects: [{ kind: 'rotate', degrees: 180 }] };

const SYNTHETIC = 'synthetic:maia/mono-dog';
const CLASSIFIER = 'paddle-ocr-cls';

const STEPS: DemoStep[] = [
  { subject: SYNTHETIC, tool: 'describe_subject', args: {} },
  { subject: SYNTHETIC, tool: 'dataset_exemplars', args: { unit: 'synthetic:0', k: 6, bottom: 2 } },
  { subject: SYNTHETIC, tool: 'concept_stats', args: { unit: 'synthetic:0' } },
  {
    subject: SYNTHETIC,
    tool: 'edit_scenes',
    args: { stimuli: ['a dog on grass'], edits: ['replace the dog with a cat'], units: ['synthetic:0'] },
  },
  { subject: CLASSIFIER, tool: 'describe_subject', args: {} },
  { subject: CLASSIFIER, tool: 'classify', args: { stimuli: [UPRIGHT, UPSIDE_DOWN] } },
  { subject: CLASSIFIER, tool: 'saliency', args: { stimuli: [UPRIGHT], label: '0', method: 'occlusion' } },
  {
    subject: CLASSIFIER,
    tool: 'ablate_units',
    args: { units: ['final_conv:*'], mode: 'zero', stimuli: [UPRIGHT, UPSIDE_DOWN] },
  },
];

interface StepRecord extends DemoStep {
  text: string;
  images: string[];
  error?: string;
}

function slug(text: string): string {
  return text.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '');
}

/** Run every step, write its images and demo.json, print what each step found. */
export async function runDemo(opts: { out?: string; json?: boolean }): Promise<void> {
  const out = resolve(opts.out ?? join('runs', `demo-${new Date().toISOString().replace(/[:.]/g, '-')}`));
  mkdirSync(out, { recursive: true });
  const registry = createVisionRegistry();
  const contexts = new Map<string, ToolContext>();
  const records: StepRecord[] = [];
  try {
    for (const [i, step] of STEPS.entries()) {
      let ctx = contexts.get(step.subject);
      if (!ctx) {
        ctx = await createToolContext(step.subject);
        contexts.set(step.subject, ctx);
      }
      process.stderr.write(`demo: [${i + 1}/${STEPS.length}] ${step.tool} on ${step.subject}\n`);
      let result: ToolResult;
      try {
        result = await registry.call(step.tool, step.args, ctx);
      } catch (error) {
        // A failing step is reported and the demo goes on: it shows what works.
        records.push({ ...step, text: '', images: [], error: (error as Error).message });
        continue;
      }
      const images = result.images.map((image, k) => {
        const file = join(
          out,
          `${String(i + 1).padStart(2, '0')}-${step.tool}-${k + 1}-${slug(image.caption).slice(0, 40)}.png`,
        );
        writeFileSync(file, image.png);
        return file;
      });
      records.push({ ...step, text: result.text, images });
      if (!opts.json) {
        process.stdout.write(`\n## ${i + 1}. ${step.tool} — ${step.subject}\n${result.text}\n`);
        if (images.length)
          process.stdout.write(`(${images.length} image${images.length > 1 ? 's' : ''} in ${out})\n`);
      }
    }
  } finally {
    for (const ctx of contexts.values()) await ctx.dispose();
  }
  writeFileSync(join(out, 'demo.json'), `${JSON.stringify(records, null, 2)}\n`);
  const failed = records.filter((r) => r.error !== undefined);
  printResult(opts.json === true, { out, steps: records }, () =>
    [
      ...failed.map((r) => `step ${r.tool} on ${r.subject} failed: ${r.error}`),
      `\n${records.length - failed.length}/${records.length} steps ran; images and demo.json in ${out}`,
    ].join('\n'),
  );
  if (failed.length) process.exitCode = 1;
}
