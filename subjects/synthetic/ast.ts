/**
 * The syntax tree of the concept language (grammar and meaning: see formula.ts). Plain data, so a
 * formula can be stored in JSON, compared with `toEqual`, and printed back to one canonical string.
 */

export type Half = 'left' | 'right' | 'top' | 'bottom';
export type Relation = 'above' | 'below' | 'left_of' | 'right_of';
export type Comparison = '=' | '>=' | '<=';

/** Visible item area as a fraction of the image: `min ≤ area < max` (a band whose max is 1 includes 1). */
export interface AreaBand {
  min: number;
  max: number;
}

export type Formula =
  | { op: 'concept'; name: string }
  | { op: 'or'; left: Formula; right: Formula }
  /** `left` gated by the presence of `right` anywhere in the scene (MAIA's AND). */
  | { op: 'and'; left: Formula; right: Formula }
  /** `&`: pixel-wise minimum, e.g. `red & circle` = red circles. */
  | { op: 'intersect'; left: Formula; right: Formula }
  /** Scene-level: 1 everywhere when `arg` is absent, 0 everywhere when it is present. */
  | { op: 'not'; arg: Formula }
  | { op: 'half'; half: Half; arg: Formula }
  | { op: 'size'; band: AreaBand; arg: Formula }
  | { op: 'relation'; relation: Relation; arg: Formula; reference: Formula }
  | { op: 'count'; comparison: Comparison; count: number; arg: Formula }
  | { op: 'word'; text: string }
  | { op: 'hue'; colour: string; sigma: number }
  /** The visible pixels of word items whose text contains the character (any case). */
  | { op: 'char'; char: string }
  /** Scene-level, like NOT: 1 everywhere when the scene's orientation is this one, else 0. */
  | { op: 'orientation'; orientation: Orientation }
  /** Scene-level: 1 everywhere when the scene has this effect (the final 180° turn is orientation). */
  | { op: 'effect'; effect: EffectKind }
  /** `arg` kept to its items whose visible height, as a fraction of the image height, is in the band. */
  | { op: 'height'; band: AreaBand; arg: Formula }
  /** `arg` kept to the pixels whose centre lies in [min, max) of the image's width (x) or height (y). */
  | { op: 'span'; axis: Axis; band: AreaBand; arg: Formula };

export type Orientation = 'upright' | 'upside-down';
export type EffectKind = 'blur' | 'noise' | 'occlude' | 'flip' | 'rotate';
export type Axis = 'x' | 'y';
export const ORIENTATIONS: readonly Orientation[] = ['upright', 'upside-down'];
export const EFFECT_KINDS: readonly EffectKind[] = ['blur', 'noise', 'occlude', 'flip', 'rotate'];
/** Function name of each span axis: `xspan(text, 0, 0.5)` is text in the left half of the width. */
export const SPAN_FUNCTIONS: Record<string, Axis> = { xspan: 'x', yspan: 'y' };

export const HALVES: readonly Half[] = ['left', 'right', 'top', 'bottom'];
export const RELATIONS: readonly Relation[] = ['above', 'below', 'left_of', 'right_of'];
export const COMPARISONS: readonly Comparison[] = ['=', '>=', '<='];

/**
 * Named size bands, in visible area as a fraction of the image. An emoji sprite fills about 44% of
 * its square, so at the default size 0.4 it covers about 7% of the image (medium); "small" is below
 * about size 0.26 and "large" above about size 0.52.
 */
export const SIZE_BANDS = {
  small: { min: 0, max: 0.03 },
  medium: { min: 0.03, max: 0.12 },
  large: { min: 0.12, max: 1 },
} as const satisfies Record<string, AreaBand>;
export type SizeBandName = keyof typeof SIZE_BANDS;
export const SIZE_BAND_NAMES = Object.keys(SIZE_BANDS) as SizeBandName[];

/** Default width (standard deviation, degrees of hue) of `hue(colour)`'s tuning curve. */
export const DEFAULT_HUE_SIGMA = 30;

/** Operator words; any case is accepted when parsing, printed in capitals. */
export const KEYWORDS = ['AND', 'OR', 'NOT'] as const;

/** Every function name, for error messages and near-match suggestions. */
export const FUNCTION_NAMES: readonly string[] = [
  ...HALVES,
  ...SIZE_BAND_NAMES,
  'area',
  ...RELATIONS,
  'count',
  'word',
  'hue',
  'char',
  'orientation',
  'effect',
  'height',
  ...Object.keys(SPAN_FUNCTIONS),
];

/** The named band equal to `band`, if any: the printer prefers `large(dog)` to `area(dog, 0.12, 1)`. */
export function bandName(band: AreaBand): SizeBandName | undefined {
  return SIZE_BAND_NAMES.find(
    (name) => SIZE_BANDS[name].min === band.min && SIZE_BANDS[name].max === band.max,
  );
}

export function inBand(area: number, band: AreaBand): boolean {
  return area >= band.min && (area < band.max || band.max >= 1);
}
