import type { Half } from '../../../subjects/synthetic/index.ts';

/** Quadrant bits of an image: which quarter a pixel's centre lies in (an odd middle line goes left / top). */
export const TOP_LEFT = 1;
export const TOP_RIGHT = 2;
export const BOTTOM_LEFT = 4;
export const BOTTOM_RIGHT = 8;
export const ALL_QUADRANTS = 15;
export const HALF_BITS: Record<Half, number> = {
  left: TOP_LEFT | BOTTOM_LEFT,
  right: TOP_RIGHT | BOTTOM_RIGHT,
  top: TOP_LEFT | TOP_RIGHT,
  bottom: BOTTOM_LEFT | BOTTOM_RIGHT,
};
export const HALVES: readonly Half[] = ['left', 'right', 'top', 'bottom'];
