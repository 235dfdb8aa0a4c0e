import { Task, type ScorerName } from '../suite.ts';
import { CLS, CLS_HELD_OUT, REC, REC_HELD_OUT } from './paddle-ocr.ts';

/**
 * Real units, no ground truth: units across the layers of the PaddleOCR models, from the classifier's
 * stem to its last block and the recogniser's neck. Nobody knows what they detect, so answers are
 * scored only by what they predict on held-out text lines: the formula scorer (the answer's formula,
 * in the concept language with its text properties — char(), orientation(), height(), xspan() —
 * correlated with the unit), the predictive scorer (scenes drawn as the description says) and, with a
 * judge model, the simulation scorer (explain–simulate–score). The units of each site are the ones
 * whose held-out activations vary most (scripts/make-suites.ts), so each has something to explain.
 */

export const REAL_UNITS_SUITE_NAME = 'paddle-ocr-units';
export const REAL_UNIT_SCORERS: ScorerName[] = ['formula', 'predictive', 'simulation'];

export interface RealUnitSite {
  subject: string;
  site: string;
  /** What the site is, for task ids and questions. */
  alias: string;
  count: number;
  heldOut: { seed: number; n: number };
}

/** Sites, shallow to deep; 20 units in all. */
export const REAL_UNIT_SITES: readonly RealUnitSite[] = [
  { subject: CLS, site: 'hardswish_0.tmp_0', alias: 'stem', count: 4, heldOut: CLS_HELD_OUT },
  { subject: CLS, site: 'hardswish_1.tmp_0', alias: 'block1', count: 4, heldOut: CLS_HELD_OUT },
  { subject: CLS, site: 'hardswish_9.tmp_0', alias: 'block9', count: 4, heldOut: CLS_HELD_OUT },
  { subject: CLS, site: 'hardswish_17.tmp_0', alias: 'final_block', count: 4, heldOut: CLS_HELD_OUT },
  { subject: REC, site: 'swish_17.tmp_0', alias: 'neck', count: 4, heldOut: REC_HELD_OUT },
];

export function realUnitTask(site: RealUnitSite, index: number, why: string): Task {
  const unit = `${site.site}:${index}`;
  return Task.parse({
    id: `${site.subject === CLS ? 'cls' : 'rec'}-${site.alias}-${index}`,
    family: `${site.subject === CLS ? 'cls' : 'rec'}-${site.alias}`,
    subject: site.subject,
    unit,
    question: `What does unit ${unit} (${site.alias}) of ${site.subject} detect?`,
    truth: {
      description: 'Unknown: a real unit with no ground truth, scored by what its explanation predicts.',
    },
    scorers: REAL_UNIT_SCORERS,
    heldOut: { ...site.heldOut },
    origin: `chosen by scripts/make-suites.ts (${why})`,
  });
}
