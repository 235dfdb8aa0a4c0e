/**
 * What an investigation keeps whatever its subject's modality: the hypotheses, the answer and the ids
 * of the evidence so far. Each modality's tool context (tools/context.ts for vision,
 * tools/text-context.ts for text) extends it with its subject; the loop and the investigation tools
 * (record_hypothesis, submit_answer) see only this.
 */

export type HypothesisStatus = 'proposed' | 'supported' | 'refuted';

export interface HypothesisRecord {
  /** `h1`, `h2`, … in order of recording. */
  id: string;
  text: string;
  status: HypothesisStatus;
  /** Ids of the evidence (tool-call ids, other hypotheses) the agent cites. */
  evidence: string[];
  /** Which hypothesis this one revises, when it does. */
  revises?: string;
}

export interface AnswerRecord {
  description: string;
  /** Canonical formula in the subject's concept language (printed back from what was submitted). */
  formula?: string;
  confidence: number;
  evidence: string[];
  /** The unit the answer is about, when the agent names one. */
  unit?: string;
}

export interface InvestigationContext {
  /** Which kind of subject the tools run against. */
  readonly modality: 'vision' | 'text';
  /** Root of every cache. */
  cacheDir: string;
  seed: number;
  hypotheses: HypothesisRecord[];
  /** Set by submit_answer. */
  answer: AnswerRecord | undefined;
  /**
   * Evidence ids of the tool calls made so far (c1, c2, …), kept by the agent loop so that evidence
   * cited in hypotheses and answers can be checked. Absent outside a loop (`aia tools call`): unchecked.
   */
  knownRefs?: Set<string>;
  /** A unit's canonical name (`site:index`); InputError for a unit the subject does not have. */
  canonicalUnit(text: string): string;
  /** A formula in the subject's concept language, printed canonically; InputError naming the bad token. */
  canonicalFormula(text: string): string;
  /** Release the subject and whatever the context opened. */
  dispose(): Promise<void>;
}
