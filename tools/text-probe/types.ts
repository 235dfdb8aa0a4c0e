import type { AnnotatedText } from '../../stimuli/text/types.ts';
import type { ProbeSite, UnitAddress } from '../probe/types.ts';

/**
 * The text probe: one view of a text subject that every text tool uses, whether the subject is a bank
 * of synthetic text units or a language model. Activations are read per WORD token of an annotated
 * text (stimuli/text: word-level tokens with character offsets); a subject with tokens of its own (a
 * language model's BPE pieces) maps them onto the words by offsets and reports, for each word, the
 * maximum over the pieces that overlap it. So exemplars, statistics, formulas and edits speak of the
 * same tokens whatever the subject.
 */
export interface TextProbe {
  readonly kind: 'synthetic-text' | 'language-model';
  /** What the agent is told the subject is called (never a synthetic unit's id). */
  readonly name: string;
  /** Identifies the subject for caches and transcripts. */
  readonly hash: string;
  describe(): { text: string; data: Record<string, unknown> };
  sites(): ProbeSite[];
  /** Parse `site:index`; InputError naming the problem (unknown site, index out of range). */
  parseUnit(text: string): UnitAddress;
  /** result[unit][text]: the activation of each word token of the text. */
  tokenActivations(texts: readonly AnnotatedText[], units: readonly UnitAddress[]): Promise<Float32Array[][]>;
  dispose(): Promise<void>;
}
