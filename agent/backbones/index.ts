import type { Backbone } from '../backbone.ts';
import { InputError } from '../../util/errors.ts';
import { AnthropicBackbone } from './anthropic.ts';
import { DissectBackbone } from './dissect/index.ts';
import { OpenAIBackbone } from './openai.ts';
import { ReplayBackbone } from './replay.ts';

/**
 * Backbones by name, for the CLI and the benchmark runner. Keys and model names come from the
 * environment (ANTHROPIC_API_KEY / ANTHROPIC_MODEL, OPENAI_API_KEY / OPENAI_MODEL / OPENAI_BASE_URL);
 * with no key and no choice, the offline `dissect` agent runs. `langchain` builds any LangChain chat
 * model from `--model <provider>:<model>` (resolveBackbone: building it is asynchronous); a ready
 * LangChain chat model can also be passed in code (LangChainBackbone).
 */
export const BACKBONE_NAMES = ['anthropic', 'openai', 'langchain', 'dissect', 'replay'] as const;
export type BackboneName = (typeof BACKBONE_NAMES)[number] | (string & {});

/**
 * Sonnet 5 rather than 5.5: Sonnet 5.5 rejects forced tool use, which the loop's final-answer turn
 * needs (tool_choice submit_answer); claude-sonnet-4-5 reached its end of life on 2026-11-30.
 */
export const DEFAULT_ANTHROPIC_MODEL = 'claude-sonnet-5';
export const DEFAULT_OPENAI_MODEL = 'gpt-4.1';

export interface BackboneOptions {
  question: string;
  unit?: string;
  seed: number;
  model?: string;
  replayOf?: string;
  env: NodeJS.ProcessEnv;
}

/** The backbone `aia ask` uses when none is named: a hosted model when its key is set, else dissect. */
export function defaultBackboneName(env: NodeJS.ProcessEnv): BackboneName {
  if (env.ANTHROPIC_API_KEY) return 'anthropic';
  if (env.OPENAI_API_KEY || env.OPENAI_BASE_URL) return 'openai';
  return 'dissect';
}

export function createBackbone(name: BackboneName, options: BackboneOptions): Backbone {
  const { env } = options;
  switch (name) {
    case 'anthropic': {
      const apiKey = env.ANTHROPIC_API_KEY;
      if (!apiKey) throw new InputError('the anthropic backbone needs ANTHROPIC_API_KEY in the environment');
      return new AnthropicBackbone({
        apiKey,
        model: options.model ?? env.ANTHROPIC_MODEL ?? DEFAULT_ANTHROPIC_MODEL,
        ...(env.ANTHROPIC_BASE_URL ? { baseURL: env.ANTHROPIC_BASE_URL } : {}),
      });
    }
    case 'openai': {
      // Local OpenAI-compatible servers (Ollama, vLLM, llama.cpp) take any key.
      const apiKey = env.OPENAI_API_KEY ?? (env.OPENAI_BASE_URL ? 'local' : undefined);
      if (!apiKey)
        throw new InputError(
          'the openai backbone needs OPENAI_API_KEY, or OPENAI_BASE_URL for a local server (see docs/backbones.md)',
        );
      return new OpenAIBackbone({
        apiKey,
        model: options.model ?? env.OPENAI_MODEL ?? DEFAULT_OPENAI_MODEL,
        ...(env.OPENAI_BASE_URL ? { baseURL: env.OPENAI_BASE_URL } : {}),
      });
    }
    case 'dissect':
      return new DissectBackbone({
        question: options.question,
        seed: options.seed,
        ...(options.unit !== undefined ? { unit: options.unit } : {}),
      });
    case 'langchain':
      throw new InputError('the langchain backbone is built asynchronously: use resolveBackbone');
    case 'replay':
      if (!options.replayOf)
        throw new InputError('the replay backbone needs the run to replay (--replay <run>)');
      return ReplayBackbone.fromRun(options.replayOf);
    default:
      throw new InputError(`unknown backbone '${name}'; backbones: ${BACKBONE_NAMES.join(', ')}`);
  }
}

/** Any backbone by name, those that load asynchronously (langchain) included. */
export async function resolveBackbone(name: BackboneName, options: BackboneOptions): Promise<Backbone> {
  if (name !== 'langchain') return createBackbone(name, options);
  // Loaded only when asked for: LangChain takes a while to import.
  const { createLangChainBackbone } = await import('./langchain-init.ts');
  return createLangChainBackbone(options.model, options.env);
}
