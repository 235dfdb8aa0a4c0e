import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { parseTextFormula, printTextFormula, textFormulaTerms } from '../subjects/synthetic-text/index.ts';
import { annotateText } from '../stimuli/text/annotate.ts';
import { TEXT_CONCEPTS } from '../stimuli/text/concepts.ts';
import { makeTextSet, type TextSet } from '../stimuli/text/textset.ts';
import type { AnnotatedText } from '../stimuli/text/types.ts';
import { didYouMean } from '../subjects/synthetic/nearest.ts';
import { InputError } from '../util/errors.ts';
import { Progress } from '../util/progress.ts';
import type { InvestigationContext } from './investigation/state.ts';
import type { UnitAddress } from './probe/types.ts';
import { loadTextProbe } from './text-probe/load.ts';
import type { TextProbe } from './text-probe/types.ts';

/**
 * What every text tool runs against: the text probe (the subject), the agent's text set (held-out
 * Brown passages and generated stories, seeded and cached), the units' activations over it, and the
 * investigation's record (investigation/state.ts). The text counterpart of tools/context.ts.
 */
export interface TextToolContext extends InvestigationContext {
  readonly modality: 'text';
  probe: TextProbe;
  /** The agent's text set: made (or read from the cache) on first use, then kept. */
  texts(): TextSet;
  /** A unit's activation on every token of every text of the set, computed once per unit. */
  activations(unit: UnitAddress): Promise<Float32Array[]>;
  /** Texts the agent wrote, annotated (the same text always gets the same annotation and id). */
  annotate(texts: readonly string[]): AnnotatedText[];
}

export interface TextToolContextOptions {
  /** Cache root (default: AIA_CACHE_DIR, else `.cache`). */
  cacheDir?: string;
  /** Seeds the text set (default 1). */
  seed?: number;
  /** Texts in the agent's set (default DEFAULT_TEXT_SET_SIZE). */
  textSetSize?: number;
  /** Show progress of long work on stderr (TTY only; default true). */
  progress?: boolean;
}

/** Texts in the agent's set: about 16,000 tokens, enough for stable statistics, quick to annotate. */
export const DEFAULT_TEXT_SET_SIZE = 400;

export async function createTextToolContext(
  subjectRef: string,
  options: TextToolContextOptions = {},
): Promise<TextToolContext> {
  const cacheDir = resolve(options.cacheDir ?? process.env.AIA_CACHE_DIR ?? '.cache');
  return createContextForTextProbe(await loadTextProbe(subjectRef, { cacheDir }), { ...options, cacheDir });
}

export function createContextForTextProbe(
  probe: TextProbe,
  options: TextToolContextOptions = {},
): TextToolContext {
  const cacheDir = resolve(options.cacheDir ?? process.env.AIA_CACHE_DIR ?? '.cache');
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed) || seed < 0)
    throw new InputError(`seed must be a non-negative integer, got ${seed}`);
  const n = options.textSetSize ?? DEFAULT_TEXT_SET_SIZE;
  let set: TextSet | undefined;
  const texts = (): TextSet => {
    if (!set) {
      const progress = (options.progress ?? true) ? new Progress('annotating texts', n) : undefined;
      set = makeTextSet(
        { split: 'held-out', seed, n },
        { cacheDir, onProgress: (done) => progress?.update(done) },
      );
      progress?.done();
    }
    return set;
  };
  const byUnit = new Map<string, Promise<Float32Array[]>>();
  const activations = (unit: UnitAddress): Promise<Float32Array[]> => {
    let found = byUnit.get(unit.id);
    if (!found) {
      found = probe.tokenActivations(texts().texts, [unit]).then((rows) => rows[0]!);
      byUnit.set(unit.id, found);
    }
    return found;
  };
  const annotated = new Map<string, AnnotatedText>();
  const annotate = (given: readonly string[]): AnnotatedText[] =>
    given.map((text) => {
      let found = annotated.get(text);
      if (!found) {
        const id = `given:${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
        found = annotateText(text, { id, source: 'given' });
        annotated.set(text, found);
      }
      return found;
    });
  return {
    modality: 'text',
    probe,
    cacheDir,
    seed,
    hypotheses: [],
    answer: undefined,
    texts,
    activations,
    annotate,
    canonicalUnit: (text) => probe.parseUnit(text).id,
    canonicalFormula: canonicalTextFormula,
    dispose: () => probe.dispose(),
  };
}

/** A text formula printed canonically, every concept checked against the token concepts. */
export function canonicalTextFormula(text: string): string {
  const tree = parseTextFormula(text);
  for (const term of textFormulaTerms(tree)) {
    if (term.startsWith('word:') || TEXT_CONCEPTS.includes(term)) continue;
    throw new InputError(
      `text formula "${text}": '${term}' is not a token concept${didYouMean(term, TEXT_CONCEPTS)}; ` +
        `concepts are ${TEXT_CONCEPTS.join(', ')}, and word("…") for one word`,
    );
  }
  return printTextFormula(tree);
}
