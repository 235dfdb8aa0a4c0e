import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseFormula, parseUnitDefinitions } from '../subjects/synthetic/index.ts';
import { InputError } from '../util/errors.ts';
import { nearNames } from '../util/names.ts';
import { projectPath } from '../util/paths.ts';
import { suggestConcepts } from '../stimuli/vocabulary.ts';
import { isScorableConcept } from './scorers/mentions.ts';
import { parseTextFormula, parseTextUnitDefinitions } from '../subjects/synthetic-text/index.ts';
import { isTextConcept, TEXT_CONCEPTS } from '../stimuli/text/concepts.ts';
import { isTextSubjectRef, SYNTHETIC_TEXT_PREFIX } from '../tools/text-probe/load.ts';
import { questionKind } from '../agent/question.ts';
import { ANNOTATED_CONCEPTS } from '../stimuli/datasets/annotated-concepts.ts';
import { BEHAVIOUR_NAMES } from '../subjects/language-model/behaviours.ts';

/** Scorers that read a unit's activations: a task with one must name its unit (real subjects). */
const UNIT_SCORERS: readonly ScorerName[] = ['formula', 'predictive', 'simulation', 'judge'];

/** Scorers of a behaviour question (no unit): they read the answer's trigger and behaviour. */
export const BEHAVIOUR_SCORERS: readonly ScorerName[] = ['trigger', 'behaviour', 'trigger_rate'];

/**
 * Benchmark suites: questions about units whose answers are known, as JSON data. The schema is
 * documented for people in docs/benchmarks.md; this file is the one that enforces it.
 */

/** The seed of the agent's own probe set (tools/context.ts DEFAULT_SEED): held-out sets must differ. */
export const AGENT_PROBE_SEED = 1;

export const SCORER_NAMES = [
  'formula',
  'concept',
  'judge',
  'predictive',
  'simulation',
  'reliance',
  'trigger',
  'behaviour',
  'trigger_rate',
] as const;
export const ScorerName = z.enum(SCORER_NAMES);
export type ScorerName = z.infer<typeof ScorerName>;

export const Substitution = z.strictObject({
  /** The concept the original benchmark names (e.g. MAIA's 'neck'). */
  from: z.string().min(1),
  /** The depictable concept that stands in for it, which the unit really detects. */
  to: z.string().min(1),
  why: z.string().min(1),
});
export type Substitution = z.infer<typeof Substitution>;

/** What a model relies on, for questions about a whole model's behaviour (the reliance scorer). */
export const Reliance = z.strictObject({
  /** The class the model detects (a vocabulary concept, e.g. 'boat'). */
  target: z.string().min(1),
  /** The candidate spurious feature (e.g. 'water'). */
  feature: z.string().min(1),
  /** Whether the model relies on the feature (the biased model) or not (its control). */
  relies: z.boolean(),
  /**
   * Concepts that stand for how the feature looks (water: its colour, blue): an answer naming one
   * has found the cue but not what it is, and earns half.
   */
  looksLike: z.array(z.string().min(1)).optional(),
});
export type Reliance = z.infer<typeof Reliance>;

export const Truth = z.strictObject({
  /**
   * The unit's rule in its subject's concept language (scenes or tokens), where one exists (synthetic
   * units); checked against that language with the task (taskLanguage).
   */
  formula: z.string().min(1).optional(),
  /**
   * What a correct description must name: vocabulary concepts ('dog'), words ('word:stop'),
   * characters ('char:e') or orientations ('orientation:upside-down'). Read by the concept scorer.
   */
  concepts: z.array(z.string().min(1)).min(1).optional(),
  /** The answer in words, as a person would give it. */
  description: z.string().min(1),
  substitution: Substitution.optional(),
  /** For a behaviour question: the phrase that causes the behaviour (a planted backdoor's trigger). */
  trigger: z.string().trim().min(1).optional(),
  /** For a behaviour question: the behaviour, by name (subjects/language-model/behaviours.ts). */
  behaviour: z.enum(BEHAVIOUR_NAMES).optional(),
  /** What the model relies on, for the reliance scorer. */
  reliance: Reliance.optional(),
});
export type Truth = z.infer<typeof Truth>;

export const HeldOut = z.strictObject({
  /** Seeds the held-out probe set; never the agent's probe-set seed, so scoring uses unseen scenes. */
  seed: z
    .number()
    .int()
    .min(0)
    .max(0xffffffff)
    .refine((seed) => seed !== AGENT_PROBE_SEED, {
      message: `the held-out seed must differ from the agent's probe-set seed (${AGENT_PROBE_SEED})`,
    }),
  n: z.number().int().min(20).max(100_000),
  /**
   * Contrastive scenes added to the random ones: this many scenes built to satisfy the truth's formula,
   * each with minimal pairs that break it (one thing changed), so a rare unit fires on held-out scenes
   * and a near miss scores below the right answer (benchmarks/scorers/contrastive.ts). Needs
   * truth.formula.
   */
  contrastive: z.number().int().min(1).max(500).optional(),
});
export type HeldOut = z.infer<typeof HeldOut>;

const SYNTHETIC = 'synthetic:';

/** Which kind of subject a task is about: text subjects are named synthetic-text:…, the rest are vision. */
export type TaskModality = 'vision' | 'text';
export function taskModality(subject: string): TaskModality {
  return isTextSubjectRef(subject) ? 'text' : 'vision';
}

/** What a task's truth is checked against, per modality: its concept language and concept names. */
interface TaskLanguage {
  parseFormula(text: string): unknown;
  /** A message saying what is wrong with a truth concept key, or undefined when it is fine. */
  checkConcept(key: string): string | undefined;
  parseUnits(definitions: unknown[]): unknown;
}

const TASK_LANGUAGES: Record<TaskModality, TaskLanguage> = {
  vision: {
    parseFormula,
    checkConcept: (key) => {
      if (isScorableConcept(key)) return undefined;
      const near = suggestConcepts(key, 3);
      return (
        `'${key}' is not a concept${near.length > 0 ? ` (did you mean ${near.join(', ')}?)` : ''}: use a ` +
        `vocabulary name ('dog'), word:<text>, char:<c>, orientation:upside-down or orientation:upright`
      );
    },
    parseUnits: parseUnitDefinitions,
  },
  text: {
    parseFormula: parseTextFormula,
    checkConcept: (key) =>
      key.startsWith('word:') || isTextConcept(key)
        ? undefined
        : `'${key}' is not a token concept: use one of ${TEXT_CONCEPTS.join(', ')} or word:<w>`,
    parseUnits: parseTextUnitDefinitions,
  },
};

export const Task = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]*$/, 'an id is lowercase letters, digits, . _ or -')
      .max(120),
    family: z.string().min(1).max(60),
    /** A subject reference as loadProbe takes it: zoo name, ONNX path, synthetic:maia/<id>, synthetic:<JSON>. */
    subject: z.string().min(1),
    /** The unit asked about, `site:index`; synthetic subjects default to `synthetic:0`. */
    unit: z
      .string()
      .regex(/^.+:\d+$/, 'a unit is site:index, e.g. synthetic:0 or softmax_0.tmp_0:1')
      .optional(),
    question: z.string().min(1),
    truth: Truth,
    /** Scorers to apply, the first being the task's headline score. */
    scorers: z.array(ScorerName).min(1),
    heldOut: HeldOut,
    /** Where the task comes from, in words (e.g. MAIA's original concept names). */
    origin: z.string().min(1).optional(),
  })
  .superRefine((task, context) => {
    const language = TASK_LANGUAGES[taskModality(task.subject)];
    if (task.truth.formula !== undefined) {
      try {
        language.parseFormula(task.truth.formula);
      } catch (error) {
        context.addIssue({
          code: 'custom',
          path: ['truth', 'formula'],
          message: `not a formula: ${(error as Error).message}`,
        });
      }
    }
    (task.truth.concepts ?? []).forEach((key, i) => {
      const problem = language.checkConcept(key);
      if (problem) context.addIssue({ code: 'custom', path: ['truth', 'concepts', i], message: problem });
    });
    // A question about a whole model names no unit (agent/question.ts decides which questions are).
    const aboutUnit =
      task.scorers.some((s) => UNIT_SCORERS.includes(s)) ||
      (questionKind(task.question) === 'unit' && task.scorers.some((s) => !BEHAVIOUR_SCORERS.includes(s)));
    if (!task.subject.startsWith(SYNTHETIC) && task.unit === undefined && aboutUnit) {
      context.addIssue({
        code: 'custom',
        path: ['unit'],
        message: 'a task on an ONNX subject must name its unit (only behaviour scorers need none)',
      });
    }
    for (const [scorer, field] of [
      ['trigger', 'trigger'],
      ['trigger_rate', 'trigger'],
      ['behaviour', 'behaviour'],
    ] as const)
      if (task.scorers.includes(scorer) && task.truth[field] === undefined)
        context.addIssue({
          code: 'custom',
          path: ['truth', field],
          message: `the ${scorer} scorer needs truth.${field}`,
        });
    if (task.scorers.includes('concept') && task.truth.concepts === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['truth', 'concepts'],
        message: 'the concept scorer needs truth.concepts',
      });
    }
    if (task.scorers.includes('reliance') && task.truth.reliance === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['truth', 'reliance'],
        message: 'the reliance scorer needs truth.reliance',
      });
    }
    for (const key of ['target', 'feature'] as const) {
      const concept = task.truth.reliance?.[key];
      const problem =
        concept === undefined || concept in ANNOTATED_CONCEPTS ? undefined : language.checkConcept(concept);
      if (problem) context.addIssue({ code: 'custom', path: ['truth', 'reliance', key], message: problem });
    }
    (task.truth.reliance?.looksLike ?? []).forEach((concept, i) => {
      const problem = language.checkConcept(concept);
      if (problem)
        context.addIssue({ code: 'custom', path: ['truth', 'reliance', 'looksLike', i], message: problem });
    });
    if (task.heldOut.contrastive !== undefined && task.truth.formula === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['heldOut', 'contrastive'],
        message: 'contrastive held-out scenes are built from truth.formula, which this task lacks',
      });
    }
    if (new Set(task.scorers).size !== task.scorers.length) {
      context.addIssue({ code: 'custom', path: ['scorers'], message: 'a scorer is listed twice' });
    }
    const prefix = task.subject.startsWith(SYNTHETIC) ? SYNTHETIC : SYNTHETIC_TEXT_PREFIX;
    const inline = task.subject.slice(prefix.length).trim();
    if (task.subject.startsWith(prefix) && (inline.startsWith('[') || inline.startsWith('{'))) {
      // Inline definitions are checked now, so a broken suite fails at load rather than mid-run.
      try {
        const parsed: unknown = JSON.parse(inline);
        language.parseUnits(Array.isArray(parsed) ? parsed : [parsed]);
      } catch (error) {
        context.addIssue({
          code: 'custom',
          path: ['subject'],
          message: `inline synthetic units are invalid: ${(error as Error).message}`,
        });
      }
    }
  });
export type Task = z.infer<typeof Task>;

export const Suite = z
  .strictObject({
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'a suite name is lowercase letters, digits, . _ or -'),
    description: z.string().min(1),
    version: z.number().int().min(1),
    tasks: z.array(Task).min(1),
  })
  .superRefine((suite, context) => {
    const seen = new Map<string, number>();
    suite.tasks.forEach((task, i) => {
      const first = seen.get(task.id);
      if (first !== undefined) {
        context.addIssue({
          code: 'custom',
          path: ['tasks', i, 'id'],
          message: `id '${task.id}' is also task ${first}'s`,
        });
      } else seen.set(task.id, i);
    });
  });
export type Suite = z.infer<typeof Suite>;

/** Suites that ship with aia, by name: benchmarks/suites/<name>.json (made by scripts/make-suites.ts). */
export const BUILT_IN_SUITES = [
  'maia-synthetic',
  'synthetic-hard',
  'paddle-ocr',
  'paddle-ocr-units',
  'text-synthetic',
  'synthetic-sparse',
  'spurious-pair',
  'lm-planted',
  'lm-backdoor',
  'planted-cnn',
  'background-bias',
] as const;

export const SUITES_DIR = projectPath('benchmarks', 'suites') + '/';

export function builtInSuitePath(name: string): string {
  return `${SUITES_DIR}${name}.json`;
}

/**
 * A suite by built-in name or file path, validated. Errors name the file and every problem by its
 * path in the JSON (`tasks[3] (maia-mono-dog).heldOut.seed: …`).
 */
export function loadSuite(nameOrPath: string): Suite {
  const ref = nameOrPath.trim();
  const builtIn = (BUILT_IN_SUITES as readonly string[]).includes(ref);
  const path = builtIn ? builtInSuitePath(ref) : ref;
  if (!existsSync(path)) {
    const near = nearNames(ref, BUILT_IN_SUITES);
    throw new InputError(
      builtIn
        ? `built-in suite '${ref}' is missing (${path}); regenerate it with: npx tsx scripts/make-suites.ts`
        : `no suite '${ref}': not a built-in suite (${BUILT_IN_SUITES.join(', ')}) and no such file` +
          (near.length > 0 ? `; did you mean ${near.join(', ')}?` : ''),
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InputError(`suite file ${path} is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return parseSuite(json, path);
}

/** Validate suite data (already parsed JSON); `source` names it in errors. */
export function parseSuite(json: unknown, source = 'suite'): Suite {
  const result = Suite.safeParse(json);
  if (result.success) return result.data;
  const lines = result.error.issues
    .slice(0, 20)
    .map((issue) => `  ${issuePath(json, issue.path)}: ${issue.message}`);
  const more = result.error.issues.length - lines.length;
  throw new InputError(
    `${source} is not a valid suite (${result.error.issues.length} problem${result.error.issues.length === 1 ? '' : 's'}):\n` +
      lines.join('\n') +
      (more > 0 ? `\n  … and ${more} more` : ''),
  );
}

/** `tasks[3] (maia-mono-dog).truth.formula`: a zod path, with the task's id where it has one. */
function issuePath(json: unknown, path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(the suite)';
  let out = '';
  let node: unknown = json;
  for (const key of path) {
    if (typeof key === 'number') {
      out += `[${key}]`;
      node = Array.isArray(node) ? node[key] : undefined;
      const id = typeof node === 'object' && node !== null ? (node as { id?: unknown }).id : undefined;
      if (typeof id === 'string') out += ` (${id})`;
    } else {
      out += `${out === '' ? '' : '.'}${String(key)}`;
      node =
        typeof node === 'object' && node !== null
          ? (node as Record<string, unknown>)[String(key)]
          : undefined;
    }
  }
  return out;
}

/** The unit a task asks about: its `unit`, or unit 0 of a synthetic subject. */
export function taskUnit(task: Task): string {
  return task.unit ?? 'synthetic:0';
}
