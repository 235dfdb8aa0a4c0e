import type { PerfSection } from './types.ts';

/** Every perf section, in the order they run. Add a section here when its module exists. */
export const sections: PerfSection[] = [];
