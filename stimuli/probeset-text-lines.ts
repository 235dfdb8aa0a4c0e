/**
 * The 'text-lines' probe-set distribution: scenes shaped like the crops a text-line model reads (e.g.
 * 192×48 for the PaddleOCR orientation classifier) — one line of 1–3 words, sometimes with an object
 * or shape among them, on a plain or textured background, and upside down (a 180° rotate effect) half
 * of the time, so orientation units and outputs have both classes to respond to. Scene i depends only
 * on (seed, i, width, height). Documented in docs/probe-sets.md.
 */
import { createRandom, hash32, pick, uniform } from '../util/random.ts';
import { itemAspect } from './phrase-layout.ts';
import type { SizeScale } from './phrase.ts';
import { camouflaged, PROBE_WORDS } from './probeset-specs.ts';
import type { EffectSpec, ItemSpec, SceneSpec } from './spec.ts';
import { conceptsOfKind } from './vocabulary.ts';

/** Fraction of lines drawn upside down. */
export const UPSIDE_DOWN_FRACTION = 0.5;
const COMPANION_FRACTION = 0.25;
const EFFECT_FRACTION = 0.1;
/** Word height as a fraction of the line, drawn uniformly (long lines are shrunk below it to fit). */
export const TEXT_LINE_WORD_SIZE = { min: 0.45, max: 0.8 } as const;
/** What the size words mean on these lines: the ends and the middle of the drawn range. */
export const TEXT_LINE_SIZE_SCALE: SizeScale = {
  small: TEXT_LINE_WORD_SIZE.min,
  medium: (TEXT_LINE_WORD_SIZE.min + TEXT_LINE_WORD_SIZE.max) / 2,
  large: TEXT_LINE_WORD_SIZE.max,
};

const round3 = (x: number) => Math.round(x * 1000) / 1000;

const COLOURS = conceptsOfKind('colour');
const OBJECTS = conceptsOfKind('object');
const SHAPES = conceptsOfKind('shape');
const TEXTURED_BACKGROUNDS = conceptsOfKind('background').filter((b) => !COLOURS.includes(b));
const LIGHT_BACKGROUNDS = ['white', 'yellow', 'pink', 'gray'].filter((c) => COLOURS.includes(c));

/** Whether a text-lines scene is upside down (its last effect is a 180° rotation). */
export function isUpsideDown(spec: SceneSpec): boolean {
  const last = spec.effects[spec.effects.length - 1];
  return last?.kind === 'rotate' && Math.abs(last.degrees) === 180;
}

export function textLineSpec(seed: number, index: number, width: number, height: number): SceneSpec {
  const sceneSeed = hash32(seed, index, 0x746c696e);
  const rng = createRandom(sceneSeed);
  const r = rng();
  const background =
    r < 0.55
      ? 'white'
      : r < 0.75
        ? pick(rng, LIGHT_BACKGROUNDS.length ? LIGHT_BACKGROUNDS : COLOURS)
        : pick(rng, TEXTURED_BACKGROUNDS);

  // Tokens of the line, left to right: words, and sometimes one object or shape.
  const wordCount = rng() < 0.45 ? 1 : rng() < 0.65 ? 2 : 3;
  const tokens: ItemSpec[] = Array.from({ length: wordCount }, () => ({
    kind: 'word' as const,
    name: pick(rng, PROBE_WORDS),
    x: 0.5,
    y: 0.5,
    size: 0.5,
    rotation: 0,
    flip: false,
  }));
  if (rng() < COMPANION_FRACTION) {
    const kind = rng() < 0.6 ? ('object' as const) : ('shape' as const);
    const companion: ItemSpec = {
      kind,
      name: pick(rng, kind === 'object' ? OBJECTS : SHAPES),
      x: 0.5,
      y: 0.5,
      size: 0.5,
      rotation: 0,
      flip: false,
    };
    tokens.splice(Math.floor(rng() * (tokens.length + 1)), 0, companion);
  }
  const textColour = rng() < 0.55 ? 'black' : pick(rng, COLOURS);
  for (const token of tokens) {
    if (token.kind === 'word') token.colour = textColour;
    else if (token.kind === 'shape') token.colour = pick(rng, COLOURS);
    if (camouflaged(token, background)) token.colour = background === 'black' ? 'white' : 'black';
  }

  // Size the line to fit the width: token widths in pixels at item size s are s·height·aspect.
  const aspects = tokens.map((t) => itemAspect(t.kind, t.name));
  const gap = 0.3;
  const lineWidth = (s: number) =>
    s * height * (aspects.reduce((a, b) => a + b, 0) + gap * (tokens.length - 1));
  let size = uniform(rng, TEXT_LINE_WORD_SIZE.min, TEXT_LINE_WORD_SIZE.max);
  const fit = (0.92 * width) / lineWidth(1);
  if (size > fit) size = Math.max(0.2, fit);
  const total = lineWidth(size);
  const margin = Math.max(0, width - total);
  let left = margin * uniform(rng, 0.1, 0.9);
  const yMargin = Math.max(0, 1 - size - 0.1);
  const y = 0.5 + (rng() - 0.5) * yMargin;
  const items = tokens.map((token, i) => {
    const w = size * height * (aspects[i] ?? 1);
    const x = (left + w / 2) / width;
    left += w + gap * size * height;
    return {
      ...token,
      x: round3(Math.min(1, Math.max(0, x))),
      y: round3(y),
      size: round3(token.kind === 'word' ? size : size * 0.9),
      rotation: rng() < 0.2 ? Math.round(uniform(rng, -5, 5)) : 0,
      flip: token.kind === 'object' && rng() < 0.5,
    };
  });

  const effects: EffectSpec[] = [];
  if (rng() < EFFECT_FRACTION) {
    effects.push(
      rng() < 0.5
        ? { kind: 'noise', amount: round3(uniform(rng, 0.03, 0.1)) }
        : { kind: 'blur', sigma: round3(uniform(rng, 0.4, 1)) },
    );
  }
  if (rng() < UPSIDE_DOWN_FRACTION) effects.push({ kind: 'rotate', degrees: 180 });
  return { width, height, background, items, effects, seed: sceneSeed };
}
