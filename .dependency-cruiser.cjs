/**
 * The architecture as rules (shared/DESIGN.md): imports point down only —
 * cli → benchmarks → agent → tools → subjects / stimuli → util — and no module imports itself
 * back through a cycle. `npm run lint` runs it (depcruise), so CI fails on a cycle or an upward import.
 */
const layers = ['cli', 'mcp', 'benchmarks', 'agent', 'prompts', 'tools', 'stimuli', 'subjects', 'util'];
/** What each layer may not import: every layer above it. */
const above = {
  mcp: ['cli'],
  benchmarks: ['cli', 'mcp'],
  agent: ['cli', 'mcp', 'benchmarks'],
  prompts: ['cli', 'mcp', 'benchmarks', 'agent', 'tools', 'stimuli', 'subjects'],
  tools: ['cli', 'mcp', 'benchmarks', 'agent', 'prompts'],
  stimuli: ['cli', 'mcp', 'benchmarks', 'agent', 'prompts', 'tools'],
  subjects: ['cli', 'mcp', 'benchmarks', 'agent', 'prompts', 'tools', 'stimuli'],
  util: layers.filter((layer) => layer !== 'util'),
};

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make load order fragile and layers meaningless.',
      from: {},
      to: { circular: true },
    },
    ...Object.entries(above).map(([layer, forbidden]) => ({
      name: `${layer}-imports-down-only`,
      severity: 'error',
      comment: `${layer}/ may not import ${forbidden.join(', ')} (layers import downwards only).`,
      from: { path: `^${layer}/` },
      to: { path: `^(${forbidden.join('|')})/` },
    })),
    {
      name: 'not-to-test',
      severity: 'error',
      comment: 'Production code never imports tests.',
      from: { pathNot: '^(test|scripts)/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|runs|\\.cache)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
