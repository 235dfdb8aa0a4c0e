import { describeSpec, type DescribeOptions } from './phrase.ts';
import { SceneSpec, type EffectSpec, type SceneSpecInput } from './spec.ts';

/**
 * A scene's description with what describeSpec leaves out: how the whole image was turned, flipped,
 * blurred, noised or occluded, and which items are drawn rotated or mirrored. A text model reads an
 * upside-down word very differently from an upright one, so a label that says only `the word "stop"`
 * for both hides the one thing that matters.
 */
export function describeScene(input: SceneSpecInput | SceneSpec, options: DescribeOptions = {}): string {
  const spec = SceneSpec.parse(input);
  const clauses = [...itemClauses(spec), ...spec.effects.map(effectClause)];
  const base = describeSpec(spec, options);
  return clauses.length === 0 ? base : `${base}, ${clauses.join(', ')}`;
}

function effectClause(effect: EffectSpec): string {
  switch (effect.kind) {
    case 'rotate': {
      const degrees = ((effect.degrees % 360) + 360) % 360;
      if (degrees === 180) return 'turned upside down (rotated 180°)';
      return `rotated ${degrees <= 180 ? `${degrees}° clockwise` : `${360 - degrees}° anticlockwise`}`;
    }
    case 'flip':
      return effect.axis === 'horizontal'
        ? 'mirrored left to right'
        : 'flipped upside down (mirrored top to bottom)';
    case 'blur':
      return `blurred (σ ${effect.sigma})${effect.region ? ' in part' : ''}`;
    case 'noise':
      return `with noise (${Math.round(effect.amount * 100)}%)${effect.region ? ' in part' : ''}`;
    case 'occlude':
      return `partly covered by a ${effect.colour} patch`;
  }
}

/** Items drawn turned by more than a tilt, or mirrored. */
function itemClauses(spec: SceneSpec): string[] {
  const out: string[] = [];
  for (const item of spec.items) {
    const name = item.kind === 'word' ? `the word "${item.name}"` : `the ${item.name}`;
    const turn = ((item.rotation % 360) + 360) % 360;
    if (turn >= 150 && turn <= 210) out.push(`${name} upside down`);
    else if (turn > 15 && turn < 345)
      out.push(`${name} rotated ${Math.round(turn <= 180 ? turn : 360 - turn)}°`);
    if (item.flip) out.push(`${name} mirrored`);
  }
  return out;
}
