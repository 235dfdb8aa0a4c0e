import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import sharp from 'sharp';
import type { SessionCall } from '../../agent/session.ts';
import { evidenceText, storedDataJson } from '../../agent/tool-outcome.ts';

/**
 * One recorded call as an MCP tool result: the text the loop's models read (prefixed with the evidence
 * ref they cite), each image after its caption, and the tool's data as structured content. Clients cap
 * what one result may hold (Claude Code: 25,000 tokens by default, and some versions count an image's
 * base64 as text), so images are re-encoded and downscaled until the whole result fits; the run keeps
 * the full-size originals. Only what the client is shown changes, never what is recorded.
 */

/** Claude Code's default cap on one MCP result (MAX_MCP_OUTPUT_TOKENS). */
export const DEFAULT_MAX_RESULT_TOKENS = 25_000;

/** Characters per token when a client counts text (and base64) the way most tokenisers average out. */
const CHARS_PER_TOKEN = 4;
/** Room left for the JSON-RPC envelope and tokeniser differences. */
const HEADROOM = 0.9;
/** Below this width an image shows nothing worth its tokens: it is left out instead. */
const MIN_WIDTH = 48;

type Content = CallToolResult['content'][number];

interface FittedImage {
  data: string;
  mimeType: 'image/png' | 'image/jpeg';
  caption: string;
}

/** An image at most `maxChars` of base64: as it is, else JPEG, else JPEG at shrinking sizes. */
async function fitImage(png: Buffer, caption: string, maxChars: number): Promise<FittedImage | undefined> {
  const original = png.toString('base64');
  if (original.length <= maxChars) return { data: original, mimeType: 'image/png', caption };
  const { width = 0 } = await sharp(png).metadata();
  let target = width;
  for (let attempt = 0; attempt < 8 && target >= MIN_WIDTH; attempt++) {
    const jpeg = await sharp(png)
      .resize({ width: target })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 80 })
      .toBuffer();
    const data = jpeg.toString('base64');
    if (data.length <= maxChars) return { data, mimeType: 'image/jpeg', caption };
    // Bytes scale roughly with area: shrink the side by the square root of the excess, a little more.
    target = Math.floor(target * Math.min(0.85, Math.sqrt(maxChars / data.length) * 0.95));
  }
  return undefined;
}

export interface ResultLimits {
  /** Tokens one result may take in the client (default 25,000). */
  maxResultTokens?: number;
}

/** The data as JSON-safe structured content (an object, as MCP requires), or undefined when none. */
function structuredOf(data: unknown): Record<string, unknown> | undefined {
  const json = storedDataJson(data);
  if (json === undefined) return undefined;
  const value = JSON.parse(json) as unknown;
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : { value };
}

export async function toCallToolResult(
  call: SessionCall,
  limits: ResultLimits = {},
): Promise<CallToolResult> {
  const { outcome, ref } = call;
  const budget = (limits.maxResultTokens ?? DEFAULT_MAX_RESULT_TOKENS) * CHARS_PER_TOKEN * HEADROOM;
  const text = evidenceText(ref, outcome);
  const notes: string[] = [];

  let structured = outcome.ok ? structuredOf(outcome.data) : undefined;
  const structuredChars = structured ? JSON.stringify(structured).length : 0;
  if (structured && structuredChars > budget / 2) {
    structured = undefined;
    notes.push(
      `(structured data left out: ${structuredChars} characters; it is in the run's events, ${call.runDir})`,
    );
  }

  const captions = outcome.images.reduce((sum, image) => sum + image.caption.length, 0);
  const imageBudget = budget - text.length - captions - (structured ? structuredChars : 0) - 400;
  const fitted: FittedImage[] = [];
  let omitted = 0;
  let remaining = imageBudget;
  for (const [i, image] of outcome.images.entries()) {
    // Share what is left among the images still to come, so one large image cannot starve the rest.
    const share = Math.floor(remaining / (outcome.images.length - i));
    const fit = share > 0 ? await fitImage(image.png, image.caption, share) : undefined;
    if (fit) {
      fitted.push(fit);
      remaining -= fit.data.length;
    } else omitted++;
  }
  if (fitted.some((image) => image.mimeType === 'image/jpeg'))
    notes.push('(images reduced to fit the client limit; the run keeps them at full size)');
  if (omitted > 0)
    notes.push(`(${omitted} image${omitted === 1 ? '' : 's'} left out to fit the client limit; see the run)`);

  const content: Content[] = [{ type: 'text', text: [text, ...notes].join('\n') }];
  for (const image of fitted) {
    if (image.caption) content.push({ type: 'text', text: image.caption });
    content.push({ type: 'image', data: image.data, mimeType: image.mimeType });
  }
  return {
    content,
    ...(structured ? { structuredContent: structured } : {}),
    ...(outcome.ok ? {} : { isError: true }),
  };
}

/** Tokens a client counting base64 as text would charge for a result: what the limit is checked on. */
export function estimatedResultTokens(result: CallToolResult): number {
  let chars = result.structuredContent ? JSON.stringify(result.structuredContent).length : 0;
  for (const part of result.content) {
    if (part.type === 'text') chars += part.text.length;
    else if (part.type === 'image') chars += part.data.length;
  }
  return Math.ceil(chars / CHARS_PER_TOKEN);
}
