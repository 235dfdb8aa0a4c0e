/**
 * Colour name → hue, for graded (`hue(colour)`) units. Subjects may not import the stimuli vocabulary,
 * so the chromatic colours are listed here with the RGB the renderer paints them in; a test checks
 * that this table and the vocabulary's `colourRgb` still agree. Neutral colours (black, white, gray)
 * have no hue: an item in one of them never drives a hue unit.
 */
const CHROMATIC_RGB: Record<string, [number, number, number]> = {
  red: [220, 30, 35],
  orange: [250, 135, 20],
  yellow: [250, 215, 30],
  pink: [245, 120, 180],
  magenta: [210, 30, 190],
  brown: [130, 80, 40],
  green: [40, 160, 60],
  teal: [0, 128, 128],
  cyan: [40, 210, 230],
  blue: [30, 90, 220],
  navy: [20, 30, 110],
  purple: [125, 45, 180],
  beige: [225, 205, 160],
};

/** Names with a hue, for validation and "did you mean" suggestions. */
export const HUE_COLOURS: readonly string[] = Object.keys(CHROMATIC_RGB);

/** Hue in degrees [0, 360) of an RGB colour (the H of HSV); undefined for a pure gray. */
export function rgbHue([r, g, b]: readonly [number, number, number]): number | undefined {
  const max = Math.max(r, g, b);
  const delta = max - Math.min(r, g, b);
  if (delta === 0) return undefined;
  let sector: number;
  if (max === r) sector = (g - b) / delta;
  else if (max === g) sector = (b - r) / delta + 2;
  else sector = (r - g) / delta + 4;
  return (sector * 60 + 360) % 360;
}

/** The hue of a named colour, or undefined when the name is neutral or unknown. */
export function colourHue(name: string): number | undefined {
  const rgb = CHROMATIC_RGB[name];
  return rgb ? rgbHue(rgb) : undefined;
}

/** The distance between two hues around the colour wheel, 0..180 degrees. */
export function hueDistance(a: number, b: number): number {
  const d = Math.abs(a - b) % 360;
  return d > 180 ? 360 - d : d;
}
