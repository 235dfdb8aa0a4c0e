import { MODEL_PROVIDER_CONFIG, initChatModel } from 'langchain/chat_models/universal';
import { InputError, errorMessage } from '../../util/errors.ts';
import { LangChainBackbone } from './langchain.ts';

/**
 * `--backbone langchain --model <provider>:<model>`: any chat model LangChain's `initChatModel` can
 * build (anthropic, openai, google-genai, ollama, mistralai, groq, bedrock, …), driven through the
 * LangChain adapter. The provider's package (`@langchain/<provider>`) is the user's to install; when
 * it is missing the error names it. Loaded only when this backbone is asked for: LangChain is heavy.
 */

type Provider = keyof typeof MODEL_PROVIDER_CONFIG;

export interface LangChainModelRef {
  provider: Provider;
  model: string;
  /** The npm package that provides the provider's chat model. */
  package: string;
}

function isProvider(name: string): name is Provider {
  return Object.hasOwn(MODEL_PROVIDER_CONFIG, name);
}

/** `anthropic:claude-sonnet-4-5` → provider, model and package; anything else is explained. */
export function parseLangChainModel(ref: string | undefined): LangChainModelRef {
  const providers = Object.keys(MODEL_PROVIDER_CONFIG).join(', ');
  const example = 'e.g. --model anthropic:claude-sonnet-4-5 or --model openai:gpt-4.1';
  if (ref === undefined || ref.trim() === '')
    throw new InputError(`the langchain backbone needs --model <provider>:<model>, ${example}`);
  const colon = ref.indexOf(':');
  if (colon <= 0 || colon === ref.length - 1)
    throw new InputError(`--model '${ref}' is not <provider>:<model> (${example}); providers: ${providers}`);
  const provider = ref.slice(0, colon);
  const model = ref.slice(colon + 1);
  if (!isProvider(provider))
    throw new InputError(
      `unknown LangChain provider '${provider}' in --model '${ref}'; providers: ${providers}`,
    );
  return { provider, model, package: MODEL_PROVIDER_CONFIG[provider].package };
}

/**
 * Keys and endpoints from the environment given (not only process.env), for the two providers aia
 * configures for its other backbones too; other providers read their own variables as LangChain documents.
 */
function providerFields(provider: Provider, env: NodeJS.ProcessEnv): Record<string, unknown> {
  switch (provider) {
    case 'anthropic':
      return {
        ...(env.ANTHROPIC_API_KEY ? { apiKey: env.ANTHROPIC_API_KEY } : {}),
        ...(env.ANTHROPIC_BASE_URL ? { anthropicApiUrl: env.ANTHROPIC_BASE_URL } : {}),
      };
    case 'openai': {
      // Local OpenAI-compatible servers take any key, as for the openai backbone.
      const apiKey = env.OPENAI_API_KEY ?? (env.OPENAI_BASE_URL ? 'local' : undefined);
      return {
        ...(apiKey ? { apiKey } : {}),
        ...(env.OPENAI_BASE_URL ? { configuration: { baseURL: env.OPENAI_BASE_URL } } : {}),
      };
    }
    default:
      return {};
  }
}

/** Whether an import failed because the package itself is not installed (not a failure inside it). */
function isMissingPackage(error: unknown, pkg: string): boolean {
  const code = (error as { code?: unknown }).code;
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && errorMessage(error).includes(pkg)
  );
}

/** The langchain backbone for a `<provider>:<model>` reference. */
export async function createLangChainBackbone(
  ref: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<LangChainBackbone> {
  const parsed = parseLangChainModel(ref);
  try {
    // Import it here, before any work, so a missing package is named now rather than at the first call.
    await import(parsed.package);
  } catch (error) {
    if (isMissingPackage(error, parsed.package))
      throw new InputError(
        `the LangChain provider '${parsed.provider}' needs the package ${parsed.package}, which is not ` +
          `installed: npm install ${parsed.package}`,
      );
    throw error;
  }
  const fields = providerFields(parsed.provider, env);
  // As the anthropic and openai backbones do: a missing key is named before anything runs.
  const keyVariable = { anthropic: 'ANTHROPIC_API_KEY', openai: 'OPENAI_API_KEY' }[parsed.provider as string];
  if (keyVariable !== undefined && fields.apiKey === undefined)
    throw new InputError(
      `the langchain backbone with provider ${parsed.provider} needs ${keyVariable} in the environment` +
        (parsed.provider === 'openai' ? ' (or OPENAI_BASE_URL for a local server)' : ''),
    );
  const model = await initChatModel(parsed.model, { modelProvider: parsed.provider, ...fields });
  const secrets = [fields.apiKey].filter(
    (value): value is string => typeof value === 'string' && value !== 'local',
  );
  return new LangChainBackbone({
    model,
    modelName: parsed.model,
    secrets,
    // initChatModel's model does not tell its provider's type: the reference does.
    imagesInToolResults: parsed.provider === 'anthropic',
  });
}
