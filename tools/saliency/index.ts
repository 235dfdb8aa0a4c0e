// Model-agnostic saliency methods: models come in as score callbacks or as exported tensors.
export * from './types.ts';
export * from './occlusion.ts';
export * from './rise.ts';
export * from './cam.ts';
export * from './resize.ts';
export * from './blur.ts';
export * from './gradient.ts';
