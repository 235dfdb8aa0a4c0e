import { z } from 'zod';

/**
 * dissect's reading of model_reliance results: which annotated concepts the model relies on, and
 * whether any is a context concept (one the label does not name: a spurious feature). A concept is
 * relied on when the saliency of the predicted class points at it on most images of some set
 * (EA_PG ≥ POINTING_BAR) or when editing it changes many predictions (≥ CHANGE_BAR of some set's
 * images). Both bars are far from what a model that ignores a concept shows (EA_PG 0, a few percent
 * of predictions changed by moving a square) and from what one that reads it shows (0.9, 0.8).
 */

export const POINTING_BAR = 0.5;
export const CHANGE_BAR = 0.3;

/** The part of model_reliance's data the verdict reads. */
export const RelianceView = z.object({
  reports: z.array(
    z.object({
      dataset: z.string(),
      set: z.string(),
      setDescription: z.string(),
      images: z.number(),
      accuracy: z.number(),
      concepts: z.array(
        z.object({
          concept: z.string(),
          role: z.enum(['object', 'context']),
          iou: z.number(),
          pointing: z.number(),
          images: z.number(),
        }),
      ),
      classes: z.array(
        z.object({
          label: z.string(),
          images: z.number(),
          examples: z.array(z.number()),
          accuracy: z.number(),
          concepts: z.array(
            z.object({ concept: z.string(), iou: z.number(), pointing: z.number(), images: z.number() }),
          ),
        }),
      ),
      edits: z.array(
        z.object({
          describes: z.string(),
          edit: z.object({ concept: z.string() }),
          images: z.number(),
          accuracy: z.number(),
          changed: z.number(),
          probabilityDrop: z.number(),
        }),
      ),
    }),
  ),
});
export type RelianceView = z.infer<typeof RelianceView>;

export interface ConceptEvidence {
  concept: string;
  role: 'object' | 'context';
  /** Highest EA_PG over the sets, where it was measured. */
  pointing: { value: number; iou: number; set: string };
  /** The edit of the concept that changed most predictions. */
  edit?: { describes: string; changed: number; accuracy: number; probabilityDrop: number; set: string };
  reliedOn: boolean;
  /** max(EA_PG, share changed): how strongly. */
  strength: number;
}

export interface RelianceVerdict {
  /** A context concept is relied on. */
  spurious: boolean;
  /** The concept named in the answer: the strongest relied-on context concept if any, else the strongest concept. */
  feature: ConceptEvidence;
  concepts: ConceptEvidence[];
  /** The class the question asked about, with its per-class alignment. */
  cls?: { label: string; accuracy: number; concepts: { concept: string; pointing: number; iou: number }[] };
  /** Accuracy per set, for the answer. */
  accuracy: { set: string; description: string; accuracy: number }[];
}

export function relianceVerdict(view: RelianceView, className?: string): RelianceVerdict {
  const byConcept = new Map<string, ConceptEvidence>();
  for (const report of view.reports) {
    const set = `${report.dataset}/${report.set}`;
    for (const c of report.concepts) {
      if (c.images === 0) continue;
      const known = byConcept.get(c.concept);
      if (!known || c.pointing > known.pointing.value) {
        byConcept.set(c.concept, {
          concept: c.concept,
          role: c.role,
          pointing: { value: c.pointing, iou: c.iou, set },
          ...(known?.edit ? { edit: known.edit } : {}),
          reliedOn: false,
          strength: 0,
        });
      }
    }
    for (const e of report.edits) {
      const known = byConcept.get(e.edit.concept);
      if (known && (!known.edit || e.changed > known.edit.changed)) {
        known.edit = {
          describes: e.describes,
          changed: e.changed,
          accuracy: e.accuracy,
          probabilityDrop: e.probabilityDrop,
          set,
        };
      }
    }
  }
  const concepts = [...byConcept.values()].map((c) => {
    const changed = c.edit?.changed ?? 0;
    return {
      ...c,
      reliedOn: c.pointing.value >= POINTING_BAR || changed >= CHANGE_BAR,
      strength: Math.max(c.pointing.value, changed),
    };
  });
  if (concepts.length === 0) throw new Error('model_reliance measured no annotated concept');
  concepts.sort((a, b) => b.strength - a.strength);
  const spuriousOnes = concepts.filter((c) => c.reliedOn && c.role === 'context');
  const feature = spuriousOnes[0] ?? concepts[0]!;
  const wanted = className?.toLowerCase();
  const cls = wanted === undefined ? undefined : classOf(view, wanted);
  return {
    spurious: spuriousOnes.length > 0,
    feature,
    concepts,
    ...(cls ? { cls } : {}),
    accuracy: view.reports.map((r) => ({
      set: `${r.dataset}/${r.set}`,
      description: r.setDescription,
      accuracy: r.accuracy,
    })),
  };
}

/** The class's alignment, averaged over the sets weighted by images. */
function classOf(view: RelianceView, wanted: string): RelianceVerdict['cls'] {
  const rows = view.reports.flatMap((r) =>
    r.classes.filter((c) => c.label.toLowerCase() === wanted && c.images > 0),
  );
  if (rows.length === 0) return undefined;
  const images = rows.reduce((n, r) => n + r.images, 0);
  const names = [...new Set(rows.flatMap((r) => r.concepts.map((c) => c.concept)))];
  return {
    label: rows[0]!.label,
    accuracy: rows.reduce((s, r) => s + r.accuracy * r.images, 0) / images,
    concepts: names.map((name) => {
      const cs = rows.flatMap((r) => r.concepts.filter((c) => c.concept === name && c.images > 0));
      const n = cs.reduce((s, c) => s + c.images, 0);
      return {
        concept: name,
        pointing: n ? cs.reduce((s, c) => s + c.pointing * c.images, 0) / n : 0,
        iou: n ? cs.reduce((s, c) => s + c.iou * c.images, 0) / n : 0,
      };
    }),
  };
}

const f = (v: number) => v.toFixed(2);
const pct = (v: number) => `${Math.round(v * 100)}%`;

/** The answer in words, with the figures behind it. */
export function describeVerdict(v: RelianceVerdict, refs: string[]): string {
  const cite = refs.length ? ` [${refs.join(', ')}]` : '';
  const evidence = (c: ConceptEvidence) =>
    `EA_PG ${f(c.pointing.value)} and EA_IoU ${f(c.pointing.iou)} on ${c.pointing.set}` +
    (c.edit
      ? `; the edit "${c.edit.describes}" changes ${pct(c.edit.changed)} of predictions on ${c.edit.set} (accuracy after it ${f(c.edit.accuracy)})`
      : '');
  const others = v.concepts
    .filter((c) => c !== v.feature)
    .map((c) => `${c.concept} (${c.role}): ${evidence(c)}`);
  const accuracy = v.accuracy
    .map((a) => `${f(a.accuracy)} on ${a.set.split('/').pop()} (${a.description})`)
    .join(', ');
  const head = v.spurious
    ? `Yes: the model relies on the ${v.feature.concept}, a spurious feature (a ${v.feature.role} concept the label does not name).`
    : `No: the model does not rely on a spurious feature; it relies on the ${v.feature.concept} (the ${v.feature.role} the label names).`;
  // A class question is answered for the class first: the concept its saliency points at most.
  const top = v.cls ? [...v.cls.concepts].sort((a, b) => b.pointing - a.pointing)[0] : undefined;
  const cls =
    v.cls && top
      ? ` Class ${v.cls.label} relies on the ${top.concept} (accuracy ${f(v.cls.accuracy)} over the sets): its saliency peak falls on ` +
        v.cls.concepts
          .map((c) => `the ${c.concept} in ${pct(c.pointing)} of its images (IoU ${f(c.iou)})`)
          .join(', ') +
        '.'
      : '';
  return (
    `${cls ? `${cls.trim()} ${head}` : head} Evidence${cite}: ${v.feature.concept}: ${evidence(v.feature)}.` +
    (others.length ? ` Against: ${others.join('; ')}.` : '') +
    ` Accuracy: ${accuracy}.`
  );
}
