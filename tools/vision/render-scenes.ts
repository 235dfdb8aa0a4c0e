import { z } from 'zod';
import { describeScene } from '../../stimuli/describe-effects.ts';
import { maskOutline } from '../../stimuli/overlays.ts';
import { probeSetDistribution, type ToolContext } from '../context.ts';
import { describeOptionsFor } from '../scenes/describe-options.ts';
import { defineTool, type ToolImage } from '../tool.ts';
import { resolveStimuli, StimuliArg } from '../scenes/stimulus-arg.ts';
import { formatConcepts, sceneConcepts } from '../scenes/scene-concepts.ts';
import { withToolErrors } from '../common/errors.ts';
import { MAX_IMAGES, toolImage } from '../scenes/tool-images.ts';
import { canonicalConcept } from '../analysis/concept-args.ts';
import { stimuliCost } from '../scenes/cost.ts';

const Input = z.strictObject({
  stimuli: StimuliArg,
  outline: z
    .string()
    .trim()
    .min(1)
    .optional()
    .describe('a concept whose exact mask to outline in red on each image, e.g. "dog"'),
});

export interface RenderScenesData {
  scenes: {
    label: string;
    probeScene?: number;
    description: string;
    spec: unknown;
    concepts: { concept: string; area: number }[];
  }[];
}

/** render_scenes: draw stimuli and say exactly what is in them. */
export const renderScenesTool = defineTool({
  name: 'render_scenes',
  description:
    'Render stimuli (phrases such as "two red circles on sand", scene specs, or {"probe_scene": i}) and ' +
    'return the images with what each contains: its canonical description, the scene spec, and every ' +
    'concept with the share of the image it covers (masks are exact). Optionally outline one concept. ' +
    'Use it to check what a phrase draws before measuring units on it; it does not run the subject.',
  input: Input,
  cost: (args, ctx: ToolContext) => stimuliCost(args.stimuli, ctx, 0),
  async execute(args: z.output<typeof Input>, ctx: ToolContext, { signal }) {
    return withToolErrors('render_scenes', async () => {
      // An unknown concept is refused before rendering, with the nearest names, as other tools do.
      const outline =
        args.outline !== undefined ? canonicalConcept(args.outline, 'render_scenes') : undefined;
      const stimuli = await resolveStimuli(args.stimuli, ctx, 'render_scenes', signal);
      const lines: string[] = [];
      const images: ToolImage[] = [];
      const scenes: RenderScenesData['scenes'] = [];
      for (const [i, { label, scene, probeScene }] of stimuli.entries()) {
        const description = describeScene(scene.spec, describeOptionsFor(probeSetDistribution(ctx.probe)));
        const concepts = sceneConcepts(scene, 12);
        scenes.push({
          label,
          ...(probeScene !== undefined ? { probeScene } : {}),
          description,
          spec: scene.spec,
          concepts,
        });
        lines.push(
          `[${i}] ${label === description ? label : `${label} → ${description}`}: ${formatConcepts(concepts)}`,
        );
        if (images.length >= MAX_IMAGES) continue;
        let image = scene.image;
        if (outline !== undefined) {
          const mask = scene.masks.get(outline);
          if (mask) image = maskOutline(image, mask, [255, 0, 0], { thickness: 2 });
          else lines.push(`    (no '${outline}' in stimulus ${i})`);
        }
        images.push(await toolImage(image, `stimulus ${i}: ${description}`));
      }
      if (stimuli.length > MAX_IMAGES) lines.push(`(images for the first ${MAX_IMAGES} stimuli only)`);
      const data: RenderScenesData = { scenes };
      return { text: lines.join('\n'), images, data };
    });
  },
});
