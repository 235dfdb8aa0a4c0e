import type { EditRegion, EditSpec, EditTarget } from './edit-spec.ts';
import { longestConcept, canPlay } from './phrase-lexicon.ts';
import { numberOf, type ClauseReader } from './edit-reader.ts';

/**
 * Edit clauses for whole-image (or one-region) effects: occlude, flip, rotate, blur and noise. A flip
 * or rotate with an item ("flip the dog") changes that item instead of the whole image.
 */

export function parseNoise(r: ClauseReader): EditSpec[] {
  let amount = 0.2;
  const strength = r.parseStrength();
  if (strength === 'strong') amount = 0.4;
  if (strength === 'weak') amount = 0.1;
  const n = numberOf(r.word());
  if (n) {
    amount = n.percent || n.value > 1 ? n.value / 100 : n.value;
    r.pos++;
  }
  r.accept('some');
  r.skipDeterminers();
  const after = r.parseStrength();
  if (after === 'strong') amount = 0.4;
  if (after === 'weak') amount = 0.1;
  if (!r.accept('noise')) throw r.unexpected();
  let region: EditRegion | undefined;
  if (r.accept('to') || r.accept('on') || r.accept('in') || r.accept('over')) {
    if (!r.acceptImage()) region = r.parseRegion();
    if (!region && !r.done) throw r.unexpected();
  }
  if (r.accept('of') || r.accept('at')) {
    const m = numberOf(r.word());
    if (!m) throw r.unexpected();
    amount = m.percent || m.value > 1 ? m.value / 100 : m.value;
    r.pos++;
  }
  r.expectEnd();
  if (!(amount >= 0 && amount <= 1)) throw r.fail(`noise amount must be 0..1 (or 0..100%), got ${amount}`);
  return [{ op: 'noise', amount, ...(region ? { region } : {}) }];
}

/** Whether the rest of the clause mentions noise ("add some heavy noise"). */
export function mentionsNoise(r: ClauseReader): boolean {
  return r.tokens.slice(r.pos).some((t) => t.type === 'word' && (t.text === 'noise' || t.text === 'noisy'));
}

export function parseOcclude(r: ClauseReader): EditSpec[] {
  r.acceptAny('up', 'out');
  const regions: EditRegion[] = [];
  for (;;) {
    const region = r.parseRegion();
    if (!region) break;
    regions.push(region);
    if (!r.acceptSeparator()) break;
  }
  if (regions.length === 0) {
    if (r.done) throw r.fail(`say what to occlude, e.g. 'the left half' or 'the dog'`);
    throw r.unexpected();
  }
  r.accept('of', 'the', 'image');
  let colour = 'gray';
  if (r.accept('with') || r.accept('in') || r.accept('using')) {
    r.skipDeterminers();
    const match = longestConcept(r.tokens, r.pos, (c) => canPlay(c, 'colour'));
    if (!match) throw r.unexpected();
    colour = match.resolved.concept.name;
    r.pos += match.length;
    while (
      ['box', 'patch', 'square', 'rectangle', 'block', 'colour', 'color', 'paint'].includes(r.word() ?? '')
    )
      r.pos++;
  }
  r.expectEnd();
  return regions.map((region) => ({ op: 'occlude', region, colour }));
}

export function parseAxis(r: ClauseReader): 'horizontal' | 'vertical' | undefined {
  if (
    r.accept('horizontally') ||
    r.accept('horizontal') ||
    r.accept('left-right') ||
    r.accept('left', 'to', 'right')
  )
    return 'horizontal';
  if (r.accept('sideways')) return 'horizontal';
  if (
    r.accept('vertically') ||
    r.accept('vertical') ||
    r.accept('upside', 'down') ||
    r.accept('up-down') ||
    r.accept('top', 'to', 'bottom')
  )
    return 'vertical';
  return undefined;
}

export function parseFlip(r: ClauseReader): EditSpec[] {
  let axis = parseAxis(r);
  let targets: EditTarget[] | undefined;
  if (!r.acceptImage() && !r.done && r.startsTarget()) {
    targets = r.parseTargets();
    r.remember(targets);
  }
  axis ??= parseAxis(r) ?? 'horizontal';
  r.expectEnd();
  if (!targets) return [{ op: 'flip', axis }];
  return targets.map((target) => ({ op: 'flip', axis: axis!, target }));
}

export function parseRotate(r: ClauseReader): EditSpec[] {
  let targets: EditTarget[] | undefined;
  if (!r.acceptImage() && !numberOf(r.word()) && !r.done && r.word() !== 'by' && r.startsTarget()) {
    targets = r.parseTargets();
    r.remember(targets);
  }
  return parseRotateRest(r, targets);
}

export function parseRotateRest(r: ClauseReader, targets: EditTarget[] | undefined): EditSpec[] {
  let degrees = 90;
  if (r.accept('upside', 'down')) degrees = 180;
  else {
    r.accept('by');
    const n = numberOf(r.word()?.replace(/°$/, ''));
    if (n) {
      degrees = n.value;
      r.pos++;
      r.acceptAny('degrees', 'degree', 'deg');
    }
    if (r.acceptAny('counterclockwise', 'anticlockwise', 'counter-clockwise', 'ccw', 'left'))
      degrees = -degrees;
    else r.acceptAny('clockwise', 'cw', 'right');
  }
  r.expectEnd();
  if (!(degrees >= -360 && degrees <= 360))
    throw r.fail(`rotation must be within ±360 degrees, got ${degrees}`);
  if (!targets) return [{ op: 'rotate', degrees }];
  return targets.map((target) => ({ op: 'rotate', degrees, target }));
}

export function parseBlur(r: ClauseReader): EditSpec[] {
  let region: EditRegion | undefined;
  let sigma = 2;
  const apply = (s: 'strong' | 'weak' | undefined) => {
    if (s === 'strong') sigma = 5;
    if (s === 'weak') sigma = 1;
  };
  apply(r.parseStrength());
  if (!r.acceptImage() && !r.done && !['with', 'by', 'sigma'].includes(r.word() ?? ''))
    region = r.parseRegion();
  apply(r.parseStrength());
  if (
    r.accept('with', 'sigma') ||
    r.accept('sigma') ||
    r.accept('by') ||
    r.accept('with', 'a', 'sigma', 'of')
  ) {
    const n = numberOf(r.word());
    if (!n) throw r.unexpected();
    sigma = n.value;
    r.pos++;
    r.acceptAny('pixels', 'px');
  }
  r.expectEnd();
  if (!(sigma >= 0.3 && sigma <= 50)) throw r.fail(`blur sigma must be 0.3..50 pixels, got ${sigma}`);
  return [{ op: 'blur', sigma, ...(region ? { region } : {}) }];
}
