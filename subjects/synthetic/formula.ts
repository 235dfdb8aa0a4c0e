/**
 * The concept language: a small formula language for what a unit detects. Synthetic units are
 * implemented by formulas, and an agent may answer with one, so the same evaluator produces a unit's
 * activations and scores an answer.
 *
 * Grammar (operators in any case, printed in capitals; concept names lowercase, may contain spaces):
 *
 *   formula    := and ( 'OR' and )*
 *   and        := intersect ( 'AND' intersect )*
 *   intersect  := unary ( '&' unary )*
 *   unary      := 'NOT' unary | primary
 *   primary    := '(' formula ')' | call | concept
 *   concept    := word+                                   dog · car window · brick wall
 *   call       := half '(' formula ')'                    half := left | right | top | bottom
 *              |  band '(' formula ')'                    band := small | medium | large
 *              |  'area' '(' formula ',' number ',' number ')'
 *              |  relation '(' formula ',' formula ')'    relation := above | below | left_of | right_of
 *              |  'count' '(' formula ')' ( '=' | '>=' | '<=' ) integer
 *              |  'word' '(' string ')'                   word("stop"), single or double quotes
 *              |  'hue' '(' colour [ ',' number ] ')'     hue(red), hue(blue, 45)
 *              |  'char' '(' string ')'                   char("e"): one character
 *              |  'orientation' '(' name ')'              orientation(upright | upside-down)
 *              |  'effect' '(' name ')'                   effect(blur | noise | occlude | flip | rotate)
 *              |  'height' '(' formula ',' number ',' number ')'
 *              |  span '(' formula ',' number ',' number ')'   span := xspan | yspan
 *
 * Binding, tightest first: calls and parentheses, NOT, &, AND, OR; binary operators group to the left.
 *
 * Meaning. Every formula gives a map over the image's pixels, ≥ 0 (1 where it holds, 0 elsewhere,
 * graded for hue); "X is present" means X's map is above 0 somewhere.
 *   dog              the 'dog' concept mask (0 everywhere when the scene has none).
 *   A OR B           pixel-wise maximum.
 *   A AND B          A's map, kept only when B is present anywhere in the image (MAIA's AND: the
 *                    unit fires on the first concept, gated by the second). `cup AND handle`.
 *   A & B            pixel-wise minimum: what is both, e.g. `red & circle` = red circles.
 *   NOT A            scene-level: 1 everywhere when A is absent, 0 everywhere when present, so
 *                    `snake AND NOT grass` fires on snakes in images without grass.
 *   left(A)          A kept to the left half (pixel centres; an odd middle line is in both halves);
 *                    right, top, bottom likewise.
 *   large(A)         A kept to the items that are A and whose visible area, as a fraction of the image,
 *                    is in the band: small < 0.03 ≤ medium < 0.12 ≤ large. area(A, min, max) is any
 *                    band, min ≤ area < max (max 1 includes 1).
 *   above(A, B)      A kept to the A items with a B item (another item) below them; below, left_of,
 *                    right_of likewise. Directions are between visible-pixel centroids, the dominant
 *                    axis deciding.
 *   count(A) = 2     A kept to the A items when there are exactly 2 of them (>= at least, <= at most),
 *                    else 0. With no A items there is nothing to fire on.
 *   word("stop")     the pixels of word items whose text is "stop" (case and spacing ignored). Any
 *                    text at all is the concept `text`.
 *   hue(red, σ)      on every item with a chromatic colour concept: exp(-d²/2σ²), d = hue distance in
 *                    degrees to the colour's hue; σ defaults to 30. Colours with a hue: hues.ts.
 *   char("e")        the glyph pixels of word items whose text contains the character (any case).
 *   orientation(upside-down)  scene-level, like NOT: 1 everywhere when the scene's last effect turns it
 *                    by 180° (how text-line probe sets turn lines over), else 0; upright is the opposite.
 *                    `char("e") AND orientation(upright)` fires on upright words with an e.
 *   effect(blur)     scene-level: 1 everywhere when the scene has that effect (the final 180° turn
 *                    is its orientation, not a rotate effect).
 *   height(A, lo, hi)  A kept to the A items whose visible height is in [lo, hi) of the image height:
 *                    text size relative to the line.
 *   xspan(A, lo, hi) A kept to the pixels whose centre lies in [lo, hi) of the image width (yspan: of
 *                    the height): position along the image, finer than left/right.
 * An item "is" A when A is a bare concept among the item's own concepts, or when at least half of the
 * item's visible pixels are on A's map (so ancestors like `animal` and compounds like `red & dog`
 * work). Item-level operators look only at visible items (itemMap).
 */
export type { AreaBand, Comparison, Formula, Half, Relation } from './ast.ts';
export { SIZE_BANDS, DEFAULT_HUE_SIGMA } from './ast.ts';
export { parseFormula, isConceptName } from './parse.ts';
export { printFormula, formulaConcepts } from './print.ts';
export { describeFormula } from './describe.ts';
export {
  evaluateFormula,
  formulaMap,
  DEFAULT_GRID,
  type ActivationMap,
  type EvaluateOptions,
} from './evaluate.ts';
