/** One perf section: measures its goals as ratios against a baseline timed in the same run. */
export interface PerfSection {
  /** Short id used on the command line and as the marker in docs/performance.md. */
  name: string;
  title: string;
  run(): Promise<PerfReport>;
}

export interface PerfGoal {
  goal: string;
  measured: string;
  pass: boolean;
}

export interface PerfReport {
  /** What was measured and how (machine, sizes, repetitions), in Markdown. */
  setup: string;
  goals: PerfGoal[];
}
