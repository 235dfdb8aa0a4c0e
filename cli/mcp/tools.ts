import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { WorkProgress } from '../../tools/context.ts';
import type { ToolSpec } from '../../tools/registry.ts';
import { toolSpecsFor } from '../../tools/session.ts';
import { createVisionRegistry } from '../../tools/vision-tools.ts';
import { toCallToolResult, type ResultLimits } from './content.ts';
import type { SessionSlot } from './session-slot.ts';

/**
 * Every tool of aia's registry as an MCP tool, plus `load_subject`. Registry tools are registered
 * with their JSON Schema as the advertised input schema but validated by the registry, not the SDK:
 * the SDK would answer a malformed call with its own message and hand the handler only the parsed
 * arguments, while the registry answers with the messages aia's own models get, and the raw arguments
 * are what the transcript records and replay re-parses. So a malformed call is recorded like any other.
 *
 * The tools are the loaded subject's: a vision subject's until a text subject (a language model,
 * synthetic text units) is loaded, which swaps them for the text tools; the SDK then tells the client
 * that the tool list changed.
 */

/** The extra the SDK passes a tool handler, as much of it as is used here. */
interface HandlerExtra {
  signal: AbortSignal;
  _meta?: { progressToken?: string | number } | undefined;
  sendNotification: (notification: {
    method: 'notifications/progress';
    params: { progressToken: string | number; progress: number; total?: number; message?: string };
  }) => Promise<void>;
}

/** A schema that accepts any object but shows the client the tool's own JSON Schema. */
function advertised(spec: ToolSpec): z.ZodType<Record<string, unknown>> {
  return z.looseObject({}).meta(spec.inputSchema);
}

/** Progress of the call's long work as MCP progress notifications, when the client asked for them. */
function progressReporter(extra: HandlerExtra): ((update: WorkProgress) => void) | undefined {
  const token = extra._meta?.progressToken;
  if (token === undefined) return undefined;
  // Progress must grow with each notification: each phase of work (rendering, activations) counts
  // on from where the last one ended, and updates are sent at most ten times a second.
  let base = 0;
  let label: string | undefined;
  let sent = 0;
  let sentAt = 0;
  return (update) => {
    if (update.label !== label) {
      base = sent;
      label = update.label;
    }
    const progress = base + update.done;
    const now = Date.now();
    if (progress <= sent || (update.done < update.total && now - sentAt < 100)) return;
    sent = progress;
    sentAt = now;
    extra
      .sendNotification({
        method: 'notifications/progress',
        params: {
          progressToken: token,
          progress,
          message: `${update.label}: ${update.done}/${update.total}`,
        },
      })
      .catch(() => undefined);
  };
}

export function registerAiaTools(
  server: McpServer,
  slot: SessionSlot,
  limits: ResultLimits,
  initialSubject: string | undefined,
): void {
  const registered = new Map<string, RegisteredTool>();

  /** Register the tools `subject` gets, replacing the current ones when they differ. */
  const useToolsOf = (subject: string | undefined): void => {
    // Before any subject is loaded the client sees the vision tools, as `aia tools list` does.
    const specs = subject === undefined ? createVisionRegistry().specs() : toolSpecsFor(subject);
    const same =
      specs.length === registered.size &&
      specs.every((spec) => registered.get(spec.name)?.description === spec.description);
    if (same) return;
    for (const tool of registered.values()) tool.remove();
    registered.clear();
    for (const spec of specs) registered.set(spec.name, registerSessionTool(server, slot, limits, spec));
  };
  useToolsOf(initialSubject);

  server.registerTool(
    'load_subject',
    {
      description:
        'Load the model to study (or switch to another). subject: a zoo name (e.g. "paddle-ocr-cls"), a ' +
        'path to an .onnx file, or synthetic units ("synthetic:maia/mono-dog", "synthetic:maia" for all ' +
        "85 of MAIA's synthetic neurons). Optionally the question and the unit the investigation is about, " +
        'for the record. Each subject gets its own run directory; switching finishes the current run.',
      inputSchema: {
        subject: z.string().min(1).describe('zoo name, .onnx path, synthetic:… or synthetic-text:…'),
        question: z.string().min(1).optional().describe('what the investigation asks'),
        unit: z.string().min(1).optional().describe('the unit it is about, site:index'),
      },
    },
    async ({ subject, question, unit }): Promise<CallToolResult> => {
      const { session, finished } = await slot.load(subject, {
        ...(question !== undefined ? { question } : {}),
        ...(unit !== undefined ? { unit } : {}),
      });
      useToolsOf(subject);
      const info = session.info();
      const lines = [
        `Loaded ${info.subject}${info.unit !== undefined ? ` (unit ${info.unit})` : ''}.`,
        `Calls are recorded in ${info.runDir}.`,
        ...(finished !== undefined ? [`The previous run was finished: ${finished}.`] : []),
        `Next: describe_subject (the subject's ${session.specs().length} tools are listed by tools/list).`,
      ];
      return {
        content: [{ type: 'text', text: lines.join('\n') }],
        structuredContent: {
          subject: info.subject,
          runDir: info.runDir,
          ...(info.unit !== undefined ? { unit: info.unit } : {}),
          ...(finished !== undefined ? { finished } : {}),
        },
      };
    },
  );
}

/** One registry tool as an MCP tool that runs on the slot's session and is recorded there. */
function registerSessionTool(
  server: McpServer,
  slot: SessionSlot,
  limits: ResultLimits,
  spec: ToolSpec,
): RegisteredTool {
  return server.registerTool(
    spec.name,
    { description: spec.description, inputSchema: advertised(spec) },
    async (args, extra): Promise<CallToolResult> => {
      const session = await slot.get();
      const onProgress = progressReporter(extra);
      const call = await session.call(spec.name, JSON.stringify(args ?? {}), {
        signal: extra.signal,
        ...(onProgress ? { onProgress } : {}),
      });
      return toCallToolResult(call, limits);
    },
  );
}
