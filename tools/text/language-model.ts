import { z } from 'zod';
import type { LanguageModel } from '../../subjects/language-model/index.ts';
import type { Edit } from '../../subjects/subject.ts';
import { errorMessage } from '../../util/errors.ts';
import type { TextToolContext } from '../text-context.ts';
import { LanguageModelProbe } from '../text-probe/language-model-probe.ts';
import { ToolError } from '../tool.ts';

/** What the language-model tools share: the model behind the probe, and interventions as arguments. */

/** Most tokens a tool generates: calls stay a second or two on a CPU. */
export const MAX_NEW_TOKENS = 64;

/** The language model a tool runs on. The registry offers these tools only for one; the check is a backstop. */
export function languageModelOf(ctx: TextToolContext, tool: string): LanguageModel {
  if (!(ctx.probe instanceof LanguageModelProbe))
    throw new ToolError(`${tool} needs a language model subject; this subject is ${ctx.probe.kind}`, tool);
  return ctx.probe.model;
}

/** Runs a subject call, turning what the model did wrong (a bad site, a head out of range) into a ToolError. */
export async function asToolError<T>(tool: string, run: () => Promise<T> | T): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ToolError) throw error;
    throw new ToolError(`${tool}: ${errorMessage(error)}`, tool);
  }
}

export const Intervention = z.strictObject({
  site: z
    .string()
    .trim()
    .min(1)
    .describe(
      'site to edit, e.g. blocks.0.mlp.hook_post, blocks.1.hook_resid_post, blocks.0.attn.hook_pattern (units are heads)',
    ),
  units: z
    .array(z.number().int().min(0))
    .min(1)
    .max(64)
    .optional()
    .describe('unit indices to edit (default: every unit of the site)'),
  op: z.enum(['zero', 'set', 'scale', 'add']).describe('zero, set to value, scale by value, add value'),
  value: z
    .union([z.number(), z.array(z.number()).min(1).max(4096)])
    .optional()
    .describe('one number for every unit edited, or one per unit (set, scale, add)'),
});
export type Intervention = z.output<typeof Intervention>;

export const Interventions = z
  .array(Intervention)
  .max(8)
  .default([])
  .describe('edits applied at every position of every forward pass (at most 8)');

/** Interventions as subject Edits, checked against the model's sites. */
export function toEdits(model: LanguageModel, tool: string, given: readonly Intervention[]): Edit[] {
  return given.map((edit) => {
    let site;
    try {
      site = model.site(edit.site);
    } catch (error) {
      throw new ToolError(`${tool}: ${errorMessage(error)}`, tool);
    }
    const units = edit.units ? [...new Set(edit.units)] : undefined;
    for (const unit of units ?? [])
      if (unit >= site.units)
        throw new ToolError(
          `${tool}: unit ${unit} is out of range for '${edit.site}' (0–${site.units - 1})`,
          tool,
        );
    const count = units?.length ?? site.units;
    if (edit.op === 'zero') return { site: site.name, units, op: 'zero' };
    if (edit.value === undefined)
      throw new ToolError(`${tool}: op '${edit.op}' on '${edit.site}' needs a value`, tool);
    if (Array.isArray(edit.value) && edit.value.length !== count)
      throw new ToolError(
        `${tool}: '${edit.site}' edits ${count} unit${count === 1 ? '' : 's'} but value has ${edit.value.length} numbers; give one number or ${count}`,
        tool,
      );
    const value = edit.value;
    if (edit.op === 'set') return { site: site.name, units, op: 'set', value };
    if (edit.op === 'scale') return { site: site.name, units, op: 'scale', factor: value };
    return { site: site.name, units, op: 'add', delta: value };
  });
}

/** Generation arguments every generating tool takes. */
export const GenerationArgs = {
  prompt: z.string().min(1).max(2000).describe('the text to continue'),
  max_new_tokens: z
    .number()
    .int()
    .min(1)
    .max(MAX_NEW_TOKENS)
    .default(20)
    .describe(`tokens to add (1–${MAX_NEW_TOKENS})`),
  temperature: z.number().min(0).max(2).default(0).describe('0 is greedy; above 0 samples'),
  top_k: z.number().int().min(1).max(100).optional().describe('sample among the k likeliest tokens'),
  seed: z.number().int().min(0).default(0).describe('seed of the sampler: the same seed gives the same text'),
};

/** A token as the agent reads it: quoted, whitespace visible. */
export function showToken(token: string): string {
  return JSON.stringify(token);
}
