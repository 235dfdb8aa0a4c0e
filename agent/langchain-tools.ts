import { tool, type StructuredToolInterface } from '@langchain/core/tools';
import { z } from 'zod';
import type { RecordedSession } from './session.ts';
import { evidenceText, storedDataJson } from './tool-outcome.ts';

/**
 * aia's tools as LangChain tools, for a LangGraph graph or `createAgent` from `langchain`: the model
 * reads the text (with the evidence ref it cites, as in aia's loop); the images and the tool's data go
 * to the program as the ToolMessage's artifact (`responseFormat: 'content_and_artifact'`). Every call
 * goes through a RecordedSession, so the agent's investigation is a run that `aia report` renders and
 * `aia replay --verify` re-runs, whoever drove it.
 *
 * The schema each tool is given accepts any object and shows the model the tool's JSON Schema: the
 * registry validates (with the messages aia's own models get) and the raw arguments are recorded, so
 * a malformed call is answered and recorded like any other instead of failing inside LangChain.
 */

/** What a program gets beside the text: the call's ref, its images and its structured data. */
export interface AiaToolArtifact {
  ref: string;
  ok: boolean;
  images: { png: Buffer; caption: string }[];
  /** The tool's data as the run stores it (typed arrays as plain arrays); absent on errors. */
  data?: unknown;
  runDir: string;
}

export function langChainTools(session: RecordedSession): StructuredToolInterface[] {
  return session.specs().map((spec) =>
    tool(
      async (args: Record<string, unknown>, config): Promise<[string, AiaToolArtifact]> => {
        const signal: AbortSignal | undefined = config?.signal;
        const call = await session.call(spec.name, JSON.stringify(args), signal ? { signal } : {});
        const { outcome } = call;
        const json = storedDataJson(outcome.data);
        return [
          evidenceText(call.ref, outcome),
          {
            ref: call.ref,
            ok: outcome.ok,
            images: outcome.images.map(({ png, caption }) => ({ png, caption })),
            ...(json !== undefined ? { data: JSON.parse(json) as unknown } : {}),
            runDir: call.runDir,
          },
        ];
      },
      {
        name: spec.name,
        description: spec.description,
        schema: z.looseObject({}).meta(spec.inputSchema),
        responseFormat: 'content_and_artifact',
      },
    ),
  );
}
