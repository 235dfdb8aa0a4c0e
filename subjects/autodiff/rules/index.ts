import { elementwiseRules } from './elementwise.ts';
import { linearRules } from './linear.ts';
import { normalizationRules } from './normalization.ts';
import { poolingRules } from './pooling.ts';
import { shapeRules } from './shape.ts';
import type { GradRule } from './types.ts';

export type { GradContext, GradRule } from './types.ts';

/** Every op with a gradient rule, by ONNX op type (ai.onnx domain). */
export const GRADIENT_RULES = {
  ...elementwiseRules,
  ...linearRules,
  ...poolingRules,
  ...normalizationRules,
  ...shapeRules,
} satisfies Record<string, GradRule>;

export type DifferentiableOp = keyof typeof GRADIENT_RULES;

/**
 * Ops whose outputs carry no gradient: shape and integer computations, comparisons, constants and
 * index producers. A gradient never flows through them, so they need no rule wherever they sit.
 */
export const NO_GRADIENT_OPS: ReadonlySet<string> = new Set([
  'Constant',
  'ConstantOfShape',
  'Shape',
  'Size',
  'Range',
  'Equal',
  'Less',
  'LessOrEqual',
  'Greater',
  'GreaterOrEqual',
  'Not',
  'And',
  'Or',
  'Xor',
  'IsNaN',
  'IsInf',
  'Sign',
  'Floor',
  'Ceil',
  'Round',
  'ArgMax',
  'ArgMin',
  'NonZero',
  'Trilu',
  'EyeLike',
  'OneHot',
  'TopK',
  'RandomNormal',
  'RandomUniform',
  'RandomNormalLike',
  'RandomUniformLike',
  'Bernoulli',
  'Multinomial',
]);

export function ruleFor(op: string): GradRule | undefined {
  return Object.hasOwn(GRADIENT_RULES, op) ? GRADIENT_RULES[op as DifferentiableOp] : undefined;
}
