import { userText } from '../../../agent/backbone.ts';
import { AnthropicBackbone } from '../../../agent/backbones/anthropic.ts';
import { OpenAIBackbone } from '../../../agent/backbones/openai.ts';
import { sequence, startMockLlmServer } from '../mock-llm/server.ts';
import { SECRET_KEY, TOOLS } from './fixtures.ts';

/**
 * Run by leak.test.ts in a child process, so the test reads what really reaches stdout and stderr
 * (pino writes to fd 2 directly, past any spy): a rate limit and an auth failure whose provider
 * messages echo the key, then an unreachable server, for both backbones, logging at debug level.
 */

const echo = `quota exceeded for key ${SECRET_KEY}`;
const request = {
  system: 's',
  messages: [userText('q')],
  tools: TOOLS,
  maxOutputTokens: 10,
  toolChoice: 'auto' as const,
};

for (const provider of ['anthropic', 'openai'] as const) {
  const server = await startMockLlmServer(
    sequence(
      { error: { status: 429, retryAfter: 0, message: echo } },
      { error: { status: 401, message: echo } },
    ),
  );
  const url = provider === 'anthropic' ? server.url : server.openaiBaseURL;
  const options = { apiKey: SECRET_KEY, model: 'm', baseURL: url, retry: { maxRetries: 1, baseDelayMs: 1 } };
  const make = () =>
    provider === 'anthropic' ? new AnthropicBackbone(options) : new OpenAIBackbone(options);
  await make()
    .next(request)
    .catch((error: unknown) => console.log(`${provider} auth: ${String(error)}`));
  await server.close();
  await make()
    .next(request)
    .catch((error: unknown) => console.log(`${provider} unreachable: ${String(error)}`));
}
