import type { InvestigationContext } from '../tools/investigation/state.ts';
import type { CallOptions, ToolRegistry } from '../tools/registry.ts';
import { ToolError, type ToolResult } from '../tools/tool.ts';
import { AiaError, errorMessage } from '../util/errors.ts';
import { hashValue, sha256 } from './hash.ts';

/**
 * What one tool call came to, in the form the transcript stores and `aia replay --verify` compares:
 * the text the model read, the image hashes, and the structured data (or the error message).
 */
export interface ToolOutcome {
  ok: boolean;
  text: string;
  images: { sha256: string; caption: string; png: Buffer }[];
  data?: unknown;
}

export function outcomeOfResult(result: ToolResult): ToolOutcome {
  return {
    ok: true,
    text: result.text,
    images: result.images.map((image) => ({
      sha256: sha256(image.png),
      caption: image.caption,
      png: image.png,
    })),
    data: result.data,
  };
}

export function outcomeOfError(message: string): ToolOutcome {
  return { ok: false, text: message, images: [] };
}

/** What a model reads of a call: the text prefixed with the evidence id it cites (`[c3] …`). */
export function evidenceText(ref: string, outcome: Pick<ToolOutcome, 'ok' | 'text'>): string {
  return `[${ref}] ${outcome.ok ? '' : 'error: '}${outcome.text}`;
}

/** The hash `resultHash` of a tool_call event: equal outcomes, equal hashes, whatever the key order. */
export function outcomeHash(outcome: ToolOutcome): string {
  return hashValue({
    ok: outcome.ok,
    text: outcome.text,
    images: outcome.images.map((image) => ({ sha256: image.sha256, caption: image.caption })),
    data: outcome.data ?? null,
  });
}

/**
 * Run one call from raw argument text, as the loop does and as `aia replay --verify` re-does: every
 * failure becomes an error outcome carrying its message. `unexpected` is set when the failure was not
 * a ToolError or AiaError (a bug in a tool rather than a call the model can fix).
 */
export async function executeToolCall<Ctx extends InvestigationContext>(
  registry: ToolRegistry<Ctx>,
  context: Ctx,
  tool: string,
  rawArguments: string,
  options: CallOptions = {},
): Promise<{ outcome: ToolOutcome; unexpected?: unknown }> {
  try {
    return { outcome: outcomeOfResult(await registry.call(tool, rawArguments, context, options)) };
  } catch (error) {
    const outcome = outcomeOfError(errorMessage(error));
    return error instanceof ToolError || error instanceof AiaError
      ? { outcome }
      : { outcome, unexpected: error };
  }
}

/**
 * A tool's data as the transcript stores it: JSON text with typed arrays as plain arrays (undefined
 * when there is nothing to store). The loop writes it; verify puts re-run data through the same trip.
 */
export function storedDataJson(data: unknown): string | undefined {
  if (data === undefined) return undefined;
  return JSON.stringify(data, (_key, value: unknown) =>
    ArrayBuffer.isView(value) ? Array.from(value as unknown as ArrayLike<number>) : value,
  );
}
