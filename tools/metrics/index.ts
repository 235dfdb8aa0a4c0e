// Alignment metrics between saliency maps and ground-truth regions: pure functions, no model access.
export * from './binarize.ts';
export * from './shared-interest.ts';
export * from './patterns.ts';
export * from './pointing-game.ts';
export * from './correlation.ts';
