import { resolve } from 'node:path';
import {
  createToolContext,
  DEFAULT_PROBE_SET_SIZE,
  defaultCacheRoot,
  type ToolContextOptions,
} from './context.ts';
import type { InvestigationContext } from './investigation/state.ts';
import { OnnxProbe } from './probe/onnx-probe.ts';
import type { ToolRegistry, ToolSpec } from './registry.ts';
import { createTextToolContext, DEFAULT_TEXT_SET_SIZE } from './text-context.ts';
import { isTextSubjectRef, textSubjectKind } from './text-probe/load.ts';
import { LanguageModelProbe } from './text-probe/language-model-probe.ts';
import { createTextRegistry } from './text-tools.ts';
import { createVisionRegistry } from './vision-tools.ts';

/**
 * A subject opened for an investigation: its tool context and the registry of its modality's tools,
 * typed together. The one place where a subject reference decides the modality; the loop, replay
 * and the bench runner take whatever this gives them.
 */
export interface SubjectSession {
  readonly modality: 'vision' | 'text';
  readonly context: InvestigationContext;
  /** What the agent is told the subject is called (synthetic subjects never show their definitions). */
  readonly displayName: string;
  /** Identifies the subject (model file hash; hash of unit definitions). */
  readonly hash: string;
  /** Stimuli in the default set the tools read (scenes of the probe set, texts of the text set). */
  readonly stimuli: number;
  /** Files the subject was loaded from, for the transcript header. */
  readonly files: { path: string; sha256: string }[];
  /** Hands the registry and the context, typed together, to `use`. */
  withTools<R>(use: <C extends InvestigationContext>(registry: ToolRegistry<C>, context: C) => R): R;
}

export interface OpenSubjectOptions {
  cacheDir?: string;
  seed?: number;
  /** Stimuli in the subject's default set: scenes of the probe set, or texts of the text set. */
  stimuli?: number;
  progress?: boolean;
  /** Vision-only options (workers, grid, ONNX loading). */
  vision?: Omit<ToolContextOptions, 'cacheDir' | 'seed' | 'probeSetSize' | 'progress'>;
}

/** The tools (name, description, input schema) a subject reference would get, without loading it. */
export function toolSpecsFor(ref: string): ToolSpec[] {
  const text = textSubjectKind(ref);
  return (text !== undefined ? createTextRegistry(text) : createVisionRegistry()).specs();
}

/** The names of the tools a subject reference would get, without loading the subject. */
export function toolNamesFor(ref: string): string[] {
  return toolSpecsFor(ref).map((spec) => spec.name);
}

export async function openSubject(ref: string, options: OpenSubjectOptions = {}): Promise<SubjectSession> {
  const cacheDir = resolve(options.cacheDir ?? defaultCacheRoot());
  const common = {
    cacheDir,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.progress !== undefined ? { progress: options.progress } : {}),
  };
  if (isTextSubjectRef(ref)) {
    const context = await createTextToolContext(ref, {
      ...common,
      ...(options.stimuli !== undefined ? { textSetSize: options.stimuli } : {}),
    });
    const probe = context.probe;
    const registry = createTextRegistry(probe.kind);
    return {
      modality: 'text',
      context,
      displayName: probe.kind === 'synthetic-text' ? probe.name : ref,
      hash: probe.hash,
      stimuli: options.stimuli ?? DEFAULT_TEXT_SET_SIZE,
      files: probe instanceof LanguageModelProbe ? [{ path: probe.path, sha256: probe.hash }] : [],
      withTools: (use) => use(registry, context),
    };
  }
  const context = await createToolContext(ref, {
    ...options.vision,
    ...common,
    ...(options.stimuli !== undefined ? { probeSetSize: options.stimuli } : {}),
  });
  const registry = createVisionRegistry();
  const probe = context.probe;
  return {
    modality: 'vision',
    context,
    displayName: probe.kind === 'synthetic' ? probe.name : ref,
    hash: probe.hash,
    stimuli: options.stimuli ?? DEFAULT_PROBE_SET_SIZE,
    files: probe instanceof OnnxProbe ? [{ path: probe.name, sha256: probe.subject.hash }] : [],
    withTools: (use) => use(registry, context),
  };
}
