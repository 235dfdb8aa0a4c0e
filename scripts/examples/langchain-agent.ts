/**
 * A LangChain agent (`createAgent` from `langchain`) investigating a unit with aia's tools. The agent's
 * tool calls are recorded as an aia run: `aia report <run>` renders it, `aia replay <run> --verify`
 * re-runs every experiment. Shown in docs/langchain.md; test/agent/langchain-tools.test.ts runs this
 * same function against the local mock of the Anthropic and OpenAI APIs.
 *
 *   ANTHROPIC_API_KEY=… npx tsx scripts/examples/langchain-agent.ts
 */
import { pathToFileURL } from 'node:url';
import { ChatAnthropic } from '@langchain/anthropic';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { createAgent } from 'langchain';
import { langChainTools } from '../../agent/langchain-tools.ts';
import { RecordedSession, type SessionOptions } from '../../agent/session.ts';

export async function investigateWithLangChain(
  model: BaseChatModel,
  options: { subject: string; question: string } & Partial<SessionOptions>,
): Promise<{ reply: string; runDir: string }> {
  // One recorded session per investigation: every tool call the agent makes lands in its run.
  const session = await RecordedSession.open({
    driver: 'langchain-tools',
    client: 'createAgent',
    ...options,
  });
  try {
    const agent = createAgent({
      model,
      tools: langChainTools(session),
      systemPrompt:
        'You study a model with experiments. Every result starts with an evidence id such as [c3]: cite ' +
        'them. Record hypotheses with record_hypothesis and finish with submit_answer.',
    });
    const result = await agent.invoke({ messages: [{ role: 'user', content: options.question }] });
    const last = result.messages[result.messages.length - 1];
    return { reply: last?.text ?? '', runDir: session.info().runDir };
  } finally {
    await session.close();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { reply, runDir } = await investigateWithLangChain(
    new ChatAnthropic({ model: 'claude-sonnet-4-5' }),
    {
      subject: 'synthetic:maia/mono-dog',
      question: 'What does unit synthetic:0 detect?',
    },
  );
  process.stdout.write(`${reply}\nRun: ${runDir} (aia report ${runDir})\n`);
}
