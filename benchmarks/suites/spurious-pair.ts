import type { Suite, Task } from '../suite.ts';

/**
 * spurious-pair: questions about the two models of the spurious pair (zoo/fashion-normal,
 * zoo/fashion-spurious; docs/organisms.md). Their answers are known from how they were trained:
 * fashion-spurious saw the square in its label's colour on every training image and relies on the
 * square (accuracy 1.00 where the colour holds, 0.17 where it is broken); fashion-normal saw a square
 * of random colour and relies on the garment (0.88 on both). Each model is asked whether it relies on
 * a spurious feature and which (the verdict and the feature are scored), and what three of its
 * classes rely on (the feature is scored). Classes are ones whose images both models classify well
 * when the square's colour holds; Ankle boot is left out because the spurious model's saliency for
 * that class does not point at the square (EA_PG 0.06: docs/organisms.md), so the truth for it is not
 * the recipe's alone.
 *
 * The reliance scorer reads the answer's words (benchmarks/scorers/reliance.ts). `heldOut` is
 * required by the suite schema; the reliance scorer does not read it (the truth comes from the
 * recipe, not from held-out scenes).
 */

export const SPURIOUS_PAIR_SUITE_NAME = 'spurious-pair';

const MODELS = [
  { subject: 'fashion-spurious', feature: 'square', spurious: true },
  { subject: 'fashion-normal', feature: 'garment', spurious: false },
] as const;

const SPURIOUS_QUESTIONS = [
  { id: 'spurious', question: 'Does this model rely on a spurious feature? If so, which one?' },
  {
    id: 'biased',
    question: 'Is this classifier biased toward something other than the garment, and if so, toward what?',
  },
] as const;

const CLASSES = ['Trouser', 'Bag', 'Sneaker'] as const;

const HELD_OUT = { seed: 102, n: 1000 } as const;

function truthText(feature: string, spurious: boolean): string {
  return spurious
    ? `Relies on the ${feature}, a spurious feature: trained where the square's colour always named the label.`
    : `Relies on the ${feature}: trained where the square's colour was random, so the square predicts nothing.`;
}

export function spuriousPairTasks(): Task[] {
  const tasks: Task[] = [];
  for (const model of MODELS) {
    const short = model.subject.replace('fashion-', '');
    for (const q of SPURIOUS_QUESTIONS) {
      tasks.push({
        id: `${short}-${q.id}`,
        family: 'spurious',
        subject: model.subject,
        question: q.question,
        truth: {
          description: truthText(model.feature, model.spurious),
          reliance: { target: 'garment', feature: 'square', relies: model.spurious },
        },
        scorers: ['reliance'],
        heldOut: { ...HELD_OUT },
        origin: `zoo/${model.subject}/recipe.ts`,
      });
    }
    for (const label of CLASSES) {
      tasks.push({
        id: `${short}-class-${label.toLowerCase()}`,
        family: 'class',
        subject: model.subject,
        question: `What does class ${label} rely on?`,
        truth: {
          description: truthText(model.feature, model.spurious),
          reliance: { target: 'garment', feature: 'square', relies: model.spurious },
        },
        scorers: ['reliance'],
        heldOut: { ...HELD_OUT },
        origin: `zoo/${model.subject}/recipe.ts`,
      });
    }
  }
  return tasks;
}

export function spuriousPairSuite(): Suite {
  return {
    name: SPURIOUS_PAIR_SUITE_NAME,
    description:
      'The spurious pair (fashion-normal, fashion-spurious): does each model rely on a spurious feature, which, ' +
      'and what do its classes rely on; scored by the reliance scorer (verdict and feature named).',
    version: 1,
    tasks: spuriousPairTasks(),
  };
}
