import type { DescribeOptions } from '../../stimuli/phrase.ts';
import type { ProbeSetDistribution } from '../../stimuli/probeset-render.ts';
import { TEXT_LINE_SIZE_SCALE } from '../../stimuli/probeset-text-lines.ts';

/**
 * How tools describe scenes for a subject whose probe set has this distribution: on text lines, size
 * words are relative to the range of word sizes the probe set draws (a "large" word is large among the
 * lines the unit was probed with), not to the default size of an object scene, against which every
 * word of a line reads "huge".
 */
export function describeOptionsFor(distribution: ProbeSetDistribution): DescribeOptions {
  return distribution === 'text-lines' ? { sizeScale: TEXT_LINE_SIZE_SCALE } : {};
}
