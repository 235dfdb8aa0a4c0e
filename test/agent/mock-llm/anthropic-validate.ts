import { base64ImageProblem } from './images.ts';

/**
 * The checks the Messages API makes before a model sees a request, with its wording where we know it.
 * One rule is stricter than the live API, on purpose: roles must strictly alternate (the live API now
 * joins neighbouring user turns itself, which would hide a translation that forgot to). The live API
 * only insists that tools are declared when the history holds tool_use blocks, not that each names a
 * declared tool (the loop's final turn offers submit_answer alone); `requireDeclaredToolUse` adds that.
 * Returns the first problem as the message of a 400, or undefined for a valid request.
 */

export interface AnthropicCheckOptions {
  /** Every tool_use in the history must name a tool in `tools`. Default false, as the live API. */
  requireDeclaredToolUse?: boolean;
}

const TOP_LEVEL = new Set([
  'model',
  'messages',
  'max_tokens',
  'system',
  'tools',
  'tool_choice',
  'temperature',
  'top_p',
  'top_k',
  'stop_sequences',
  'stream',
  'metadata',
  'thinking',
  'service_tier',
  'container',
  'context_management',
  'output_config',
  'inference_geo',
]);
const TOOL_KEYS = new Set([
  'name',
  'description',
  'input_schema',
  'type',
  'cache_control',
  'strict',
  'input_examples',
  'defer_loading',
  'eager_input_streaming',
]);
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,128}$/;
const TOOL_USE_ID = /^[a-zA-Z0-9_-]+$/;
const BLOCK_KEYS: Record<string, Set<string>> = {
  text: new Set(['type', 'text', 'cache_control', 'citations']),
  image: new Set(['type', 'source', 'cache_control']),
  tool_use: new Set(['type', 'id', 'name', 'input', 'cache_control']),
  tool_result: new Set(['type', 'tool_use_id', 'content', 'is_error', 'cache_control']),
};

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function extraKey(value: Json, allowed: Set<string>): string | undefined {
  return Object.keys(value).find((key) => !allowed.has(key));
}

export function anthropicRequestProblem(
  body: unknown,
  options: AnthropicCheckOptions = {},
): string | undefined {
  if (!isObject(body)) return 'Request body must be a JSON object';
  const extra = extraKey(body, TOP_LEVEL);
  if (extra !== undefined) return `${extra}: Extra inputs are not permitted`;
  if (body.model === undefined) return 'model: Field required';
  if (typeof body.model !== 'string' || body.model === '') return 'model: Input should be a valid string';
  if (body.max_tokens === undefined) return 'max_tokens: Field required';
  if (!Number.isInteger(body.max_tokens)) return 'max_tokens: Input should be a valid integer';
  if ((body.max_tokens as number) < 1) return 'max_tokens: Input should be greater than or equal to 1';
  if (body.messages === undefined) return 'messages: Field required';
  if (!Array.isArray(body.messages)) return 'messages: Input should be a valid list';
  if (body.messages.length === 0) return 'messages: at least one message is required';
  if (body.stream === true) return 'stream: the mock server does not stream; send stream: false or omit it';
  const system = systemProblem(body.system);
  if (system) return system;
  const tools = toolsProblem(body.tools);
  if (typeof tools === 'string') return tools;
  const choice = toolChoiceProblem(body.tool_choice, tools);
  if (choice) return choice;
  return messagesProblem(body.messages, tools, options.requireDeclaredToolUse ?? false);
}

function systemProblem(system: unknown): string | undefined {
  if (system === undefined || typeof system === 'string') return undefined;
  if (!Array.isArray(system)) return 'system: Input should be a valid string or list of text blocks';
  for (const [index, block] of system.entries()) {
    if (!isObject(block) || block.type !== 'text') return `system.${index}.type: Input should be 'text'`;
    if (typeof block.text !== 'string' || block.text === '')
      return 'system: text content blocks must be non-empty';
  }
  return undefined;
}

/** The declared tool names, or why the tools are invalid. */
function toolsProblem(tools: unknown): Set<string> | string {
  const names = new Set<string>();
  if (tools === undefined) return names;
  if (!Array.isArray(tools)) return 'tools: Input should be a valid list';
  for (const [index, tool] of tools.entries()) {
    const at = `tools.${index}.custom`;
    if (!isObject(tool)) return `tools.${index}: Input should be a valid dictionary`;
    const extra = extraKey(tool, TOOL_KEYS);
    if (extra !== undefined) return `${at}.${extra}: Extra inputs are not permitted`;
    if (typeof tool.name !== 'string' || !TOOL_NAME.test(tool.name))
      return `${at}.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'`;
    if (tool.description !== undefined && typeof tool.description !== 'string')
      return `${at}.description: Input should be a valid string`;
    if (tool.input_schema === undefined) return `${at}.input_schema: Field required`;
    if (!isObject(tool.input_schema) || tool.input_schema.type !== 'object')
      return `${at}.input_schema.type: Input should be 'object'`;
    if (names.has(tool.name)) return 'tools: Tool names must be unique.';
    names.add(tool.name);
  }
  return names;
}

function toolChoiceProblem(choice: unknown, tools: Set<string>): string | undefined {
  if (choice === undefined) return undefined;
  if (!isObject(choice)) return 'tool_choice: Input should be a valid dictionary';
  const type = choice.type;
  if (type !== 'auto' && type !== 'any' && type !== 'tool' && type !== 'none')
    return `tool_choice: Input tag '${String(type)}' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'`;
  if (type === 'tool') {
    if (typeof choice.name !== 'string') return 'tool_choice.tool.name: Field required';
    if (!tools.has(choice.name)) return `tool_choice.tool.name: tool '${choice.name}' not found in tools`;
  }
  if ((type === 'any' || type === 'tool') && tools.size === 0)
    return 'tool_choice: tool_choice may only be specified while providing tools';
  return undefined;
}

function messagesProblem(messages: unknown[], tools: Set<string>, strictNames: boolean): string | undefined {
  const seenToolUseIds = new Set<string>();
  let previousRole: string | undefined;
  /** tool_use ids of the previous (assistant) message that the next message must answer. */
  let owed: string[] = [];
  for (const [index, message] of messages.entries()) {
    const at = `messages.${index}`;
    if (!isObject(message)) return `${at}: Input should be a valid dictionary`;
    const extra = extraKey(message, new Set(['role', 'content']));
    if (extra !== undefined) return `${at}.${extra}: Extra inputs are not permitted`;
    const role = message.role;
    if (role !== 'user' && role !== 'assistant') return `${at}.role: Input should be 'user' or 'assistant'`;
    if (index === 0 && role !== 'user') return `${at}.role: first message must use the "user" role`;
    if (role === previousRole)
      return `messages: roles must alternate between "user" and "assistant", but found multiple "${role}" roles in a row`;
    previousRole = role;

    const isFinal = index === messages.length - 1;
    const blocks = normaliseContent(message.content);
    if (typeof blocks === 'string') return `${at}.content: ${blocks}`;
    if (blocks.length === 0 && !(isFinal && role === 'assistant'))
      return `${at}: all messages must have non-empty content except for the optional final assistant message`;

    const problem =
      role === 'assistant'
        ? assistantProblem(at, blocks, tools, seenToolUseIds, strictNames)
        : userProblem(at, blocks, owed);
    if (typeof problem === 'string') return problem;
    if (role === 'user' && owed.length > 0) {
      const answered = new Set(problem);
      const missing = owed.filter((id) => !answered.has(id));
      if (missing.length > 0) return unansweredMessage(index, missing);
    }
    owed = role === 'assistant' ? problem : [];
  }
  if (owed.length > 0) return unansweredMessage(messages.length, owed);
  return undefined;
}

function unansweredMessage(index: number, ids: string[]): string {
  return `messages.${index}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${ids.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`;
}

function normaliseContent(content: unknown): Json[] | string {
  if (content === undefined) return 'Field required';
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  if (!Array.isArray(content)) return 'Input should be a valid string or list';
  if (!content.every(isObject)) return 'Input should be a list of content blocks';
  return content;
}

/** Checks an assistant message; returns its tool_use ids (which the next message owes answers to). */
function assistantProblem(
  at: string,
  blocks: Json[],
  tools: Set<string>,
  seen: Set<string>,
  strictNames: boolean,
): string[] | string {
  const ids: string[] = [];
  for (const [j, block] of blocks.entries()) {
    const where = `${at}.content.${j}`;
    const shape = blockShapeProblem(where, block);
    if (shape) return shape;
    if (block.type === 'image' || block.type === 'tool_result')
      return `${where}: \`${String(block.type)}\` blocks are not allowed in assistant messages`;
    if (block.type !== 'tool_use') continue;
    if (typeof block.id !== 'string' || !TOOL_USE_ID.test(block.id))
      return `${where}.tool_use.id: String should match pattern '^[a-zA-Z0-9_-]+$'`;
    if (seen.has(block.id)) return `${where}: \`tool_use\` ids must be unique (${block.id})`;
    seen.add(block.id);
    if (typeof block.name !== 'string' || block.name === '') return `${where}.tool_use.name: Field required`;
    if (!isObject(block.input)) return `${where}.tool_use.input: Input should be a valid dictionary`;
    if (tools.size === 0)
      return 'Requests which include `tool_use` or `tool_result` blocks must define tools.';
    if (strictNames && !tools.has(block.name))
      return `${where}: tool_use names tool '${block.name}', which is not in tools`;
    ids.push(block.id);
  }
  return ids;
}

/** Checks a user message against the tool_use ids it owes; returns the ids it answered. */
function userProblem(at: string, blocks: Json[], owed: string[]): string[] | string {
  const answered: string[] = [];
  let sawOther = false;
  for (const [j, block] of blocks.entries()) {
    const where = `${at}.content.${j}`;
    const shape = blockShapeProblem(where, block);
    if (shape) return shape;
    if (block.type === 'tool_use')
      return `${where}: \`tool_use\` blocks are only allowed in assistant messages`;
    if (block.type !== 'tool_result') {
      sawOther = true;
      continue;
    }
    const id = block.tool_use_id;
    if (typeof id !== 'string') return `${where}.tool_result.tool_use_id: Field required`;
    if (!owed.includes(id))
      return `${where}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${id}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`;
    if (answered.includes(id)) return `${where}: more than one \`tool_result\` block for tool_use id ${id}`;
    if (sawOther)
      return `${at}: Did not find ${owed.length} \`tool_result\` block(s) at the beginning of this message. Messages following \`tool_use\` blocks must begin with a matching number of \`tool_result\` blocks.`;
    answered.push(id);
  }
  return answered;
}

function blockShapeProblem(where: string, block: Json): string | undefined {
  const type = block.type;
  const allowed = typeof type === 'string' ? BLOCK_KEYS[type] : undefined;
  if (!allowed)
    return `${where}.type: Input tag '${String(type)}' found using 'type' does not match any of the expected tags: 'text', 'image', 'tool_use', 'tool_result'`;
  const extra = extraKey(block, allowed);
  if (extra !== undefined) return `${where}.${String(type)}.${extra}: Extra inputs are not permitted`;
  if (type === 'text') {
    if (typeof block.text !== 'string') return `${where}.text.text: Field required`;
    if (block.text === '') return 'messages: text content blocks must be non-empty';
  }
  if (type === 'image') return imageProblem(`${where}.image`, block);
  if (type === 'tool_result') return toolResultContentProblem(where, block);
  return undefined;
}

function imageProblem(where: string, block: Json): string | undefined {
  const source = block.source;
  if (!isObject(source)) return `${where}.source: Field required`;
  if (source.type === 'url')
    return typeof source.url === 'string' ? undefined : `${where}.source.url: Field required`;
  if (source.type !== 'base64') return `${where}.source.type: Input should be 'base64' or 'url'`;
  const problem = base64ImageProblem(source.data, source.media_type);
  return problem ? `${where}.source.base64.${problem}` : undefined;
}

function toolResultContentProblem(where: string, block: Json): string | undefined {
  if (block.is_error !== undefined && typeof block.is_error !== 'boolean')
    return `${where}.tool_result.is_error: Input should be a valid boolean`;
  const content = block.content;
  if (content === undefined || typeof content === 'string') return undefined;
  if (!Array.isArray(content)) return `${where}.tool_result.content: Input should be a valid string or list`;
  for (const [k, inner] of content.entries()) {
    const at = `${where}.tool_result.content.${k}`;
    if (!isObject(inner) || (inner.type !== 'text' && inner.type !== 'image'))
      return `${at}.type: Input tag '${isObject(inner) ? String(inner.type) : typeof inner}' found using 'type' does not match any of the expected tags: 'text', 'image'`;
    const problem = blockShapeProblem(at, inner);
    if (problem) return problem;
  }
  return undefined;
}
