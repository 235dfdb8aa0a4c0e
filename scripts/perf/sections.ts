import type { PerfSection } from './types.ts';
import { subjectsSection } from './subjects.ts';
import { stimuliSection } from './stimuli.ts';
import { toolsSection } from './tools.ts';
import { agentSection } from './agent.ts';
import { benchSection } from './bench.ts';
import { pooledSection } from './pooled.ts';
import { cliSection } from './cli.ts';
import { autodiffSection } from './autodiff.ts';
import { trainerSection } from './trainer.ts';
import { lmSection } from './lm.ts';
import { gptSection } from './gpt.ts';

/** Every perf section, in the order they run. Add a section here when its module exists. */
export const sections: PerfSection[] = [
  subjectsSection,
  pooledSection,
  stimuliSection,
  toolsSection,
  agentSection,
  benchSection,
  cliSection,
  autodiffSection,
  trainerSection,
  lmSection,
  gptSection,
];
