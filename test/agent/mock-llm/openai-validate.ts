import { imageUrlProblem } from './images.ts';
import type { Rejection } from './types.ts';

/**
 * The checks Chat Completions makes before a model sees a request, with its wording, `param` and
 * `code` where we know them. Returns the first problem as a 400, or undefined for a valid request.
 * Models named like OpenAI's reasoning models (o1, o3, o4-mini, gpt-5…) refuse max_tokens, as the
 * live API does, so a backbone sending the wrong field for them is caught.
 */

const TOP_LEVEL = new Set([
  'model',
  'messages',
  'max_tokens',
  'max_completion_tokens',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'temperature',
  'top_p',
  'n',
  'stop',
  'stream',
  'stream_options',
  'seed',
  'user',
  'response_format',
  'frequency_penalty',
  'presence_penalty',
  'logprobs',
  'top_logprobs',
  'logit_bias',
  'metadata',
  'store',
  'reasoning_effort',
  'service_tier',
  'modalities',
  'prediction',
  'prompt_cache_key',
  'safety_identifier',
  'verbosity',
]);
const ROLES = ['system', 'developer', 'user', 'assistant', 'tool', 'function'];
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const REASONING_MODEL = /^(o\d|gpt-5)/;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function bad(message: string, param: string | null = null, code: string | null = null): Rejection {
  return { status: 400, message, type: 'invalid_request_error', param, code };
}

export function openaiRequestProblem(body: unknown): Rejection | undefined {
  if (!isObject(body)) return bad('We could not parse the JSON body of your request.');
  const extra = Object.keys(body).find((key) => !TOP_LEVEL.has(key));
  if (extra !== undefined) return bad(`Unrecognized request argument supplied: ${extra}`);
  if (typeof body.model !== 'string' || body.model === '') return bad('you must provide a model parameter');
  if (body.messages === undefined)
    return bad("Missing required parameter: 'messages'.", 'messages', 'missing_required_parameter');
  if (!Array.isArray(body.messages))
    return bad("Invalid type for 'messages': expected an array.", 'messages', 'invalid_type');
  if (body.messages.length === 0)
    return bad(
      "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
      'messages',
      'empty_array',
    );
  if (body.stream === true)
    return bad('the mock server does not stream; send stream: false or omit it', 'stream');
  if (body.max_tokens !== undefined && REASONING_MODEL.test(body.model))
    return bad(
      "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
      'max_tokens',
      'unsupported_parameter',
    );
  for (const field of ['max_tokens', 'max_completion_tokens']) {
    const value = body[field];
    if (value !== undefined && (!Number.isInteger(value) || (value as number) < 1))
      return bad(`Invalid '${field}': integer below minimum value.`, field, 'integer_below_min_value');
  }
  const tools = toolsProblem(body.tools);
  if (!(tools instanceof Set)) return tools;
  const choice = toolChoiceProblem(body.tool_choice, tools, body.tools !== undefined);
  if (choice) return choice;
  return messagesProblem(body.messages);
}

function toolsProblem(tools: unknown): Set<string> | Rejection {
  const names = new Set<string>();
  if (tools === undefined) return names;
  if (!Array.isArray(tools))
    return bad("Invalid type for 'tools': expected an array.", 'tools', 'invalid_type');
  if (tools.length === 0)
    return bad(
      "Invalid 'tools': empty array. Expected an array with minimum length 1, but got an empty array instead.",
      'tools',
      'empty_array',
    );
  for (const [index, tool] of tools.entries()) {
    const at = `tools[${index}]`;
    if (!isObject(tool) || tool.type !== 'function' || !isObject(tool.function))
      return bad(`Invalid value for '${at}': expected a function tool.`, at, 'invalid_value');
    const fn = tool.function;
    if (typeof fn.name !== 'string' || !TOOL_NAME.test(fn.name))
      return bad(
        `Invalid '${at}.function.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`,
        `${at}.function.name`,
        'invalid_value',
      );
    if (fn.parameters !== undefined && !isObject(fn.parameters))
      return bad(
        `Invalid type for '${at}.function.parameters': expected an object.`,
        `${at}.function.parameters`,
        'invalid_type',
      );
    if (names.has(fn.name))
      return bad(`Duplicate function name '${fn.name}' in tools.`, 'tools', 'invalid_value');
    names.add(fn.name);
  }
  return names;
}

function toolChoiceProblem(choice: unknown, tools: Set<string>, toolsGiven: boolean): Rejection | undefined {
  if (choice === undefined) return undefined;
  if (!toolsGiven)
    return bad(
      "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.",
      'tool_choice',
    );
  if (choice === 'none' || choice === 'auto' || choice === 'required') return undefined;
  if (
    !isObject(choice) ||
    choice.type !== 'function' ||
    !isObject(choice.function) ||
    typeof choice.function.name !== 'string'
  )
    return bad("Invalid value for 'tool_choice'.", 'tool_choice', 'invalid_value');
  if (!tools.has(choice.function.name))
    return bad(
      `Invalid value for 'tool_choice': function '${choice.function.name}' not found in 'tools'.`,
      'tool_choice',
      'invalid_value',
    );
  return undefined;
}

function messagesProblem(messages: unknown[]): Rejection | undefined {
  /** Call ids of the last assistant message not yet answered by a tool message, and where it was. */
  let pending: string[] = [];
  let pendingAt = -1;
  for (const [index, message] of messages.entries()) {
    const at = `messages[${index}]`;
    if (!isObject(message)) return bad(`Invalid type for '${at}': expected an object.`, at, 'invalid_type');
    const role = message.role;
    if (typeof role !== 'string' || !ROLES.includes(role))
      return bad(
        `Invalid value: '${String(role)}'. Supported values are: 'system', 'assistant', 'user', 'tool', and 'function'.`,
        `${at}.role`,
        'invalid_value',
      );
    if (role !== 'tool' && pending.length > 0) return unanswered(pendingAt, pending);
    const content = contentProblem(index, role, message);
    if (content) return content;
    if (role === 'assistant') {
      const calls = toolCallsProblem(at, message.tool_calls);
      if (!Array.isArray(calls)) return calls;
      pending = calls;
      pendingAt = index;
    } else if (role === 'tool') {
      const id = message.tool_call_id;
      if (typeof id !== 'string')
        return bad(
          `Missing required parameter: '${at}.tool_call_id'.`,
          `${at}.tool_call_id`,
          'missing_required_parameter',
        );
      if (!pending.includes(id))
        return bad(
          "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.",
          `messages.[${index}].role`,
        );
      pending = pending.filter((p) => p !== id);
    }
  }
  if (pending.length > 0) return unanswered(pendingAt, pending);
  return undefined;
}

function unanswered(index: number, ids: string[]): Rejection {
  return bad(
    `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${ids.join(', ')}`,
    `messages.[${index}].role`,
  );
}

/** The message's content: the right type for its role, and images only where the API allows them. */
function contentProblem(index: number, role: string, message: Json): Rejection | undefined {
  const at = `messages[${index}]`;
  const content = message.content;
  const hasCalls = Array.isArray(message.tool_calls) && message.tool_calls.length > 0;
  if (content === undefined || content === null) {
    if (role === 'assistant' && hasCalls) return undefined;
    return bad(`Invalid value for 'content': expected a string, got null.`, `${at}.content`);
  }
  if (typeof content === 'string') return undefined;
  if (!Array.isArray(content))
    return bad(
      `Invalid type for '${at}.content': expected one of a string or array of objects.`,
      `${at}.content`,
      'invalid_type',
    );
  if (content.length === 0 && role === 'user')
    return bad(
      `Invalid '${at}.content': empty array. Expected an array with minimum length 1, but got an empty array instead.`,
      `${at}.content`,
      'empty_array',
    );
  for (const [k, part] of content.entries()) {
    const where = `${at}.content[${k}]`;
    if (!isObject(part))
      return bad(`Invalid type for '${where}': expected an object.`, where, 'invalid_type');
    if (part.type === 'text') {
      if (typeof part.text !== 'string')
        return bad(
          `Missing required parameter: '${where}.text'.`,
          `${where}.text`,
          'missing_required_parameter',
        );
      continue;
    }
    if (part.type === 'image_url') {
      if (role !== 'user')
        return bad(
          `Invalid '${at}'. Image URLs are only allowed for messages with role 'user', but this message with role '${role}' contains an image URL.`,
          `messages.[${index}].content.[${k}].type`,
          'invalid_value',
        );
      const url = isObject(part.image_url) ? part.image_url.url : undefined;
      const problem = imageUrlProblem(url);
      if (problem)
        return bad(
          `Invalid '${where}.image_url.url': ${problem}`,
          `${where}.image_url.url`,
          'invalid_image_url',
        );
      continue;
    }
    if (part.type === 'refusal' && role === 'assistant') continue;
    return bad(
      `Invalid value: '${String(part.type)}'. Supported values are: 'text' and 'image_url'.`,
      `${where}.type`,
      'invalid_value',
    );
  }
  return undefined;
}

/** The ids of an assistant message's tool calls (which tool messages must answer next). */
function toolCallsProblem(at: string, calls: unknown): string[] | Rejection {
  if (calls === undefined) return [];
  if (!Array.isArray(calls))
    return bad(`Invalid type for '${at}.tool_calls': expected an array.`, `${at}.tool_calls`, 'invalid_type');
  if (calls.length === 0)
    return bad(
      `Invalid '${at}.tool_calls': empty array. Expected an array with minimum length 1, but got an empty array instead.`,
      `${at}.tool_calls`,
      'empty_array',
    );
  const ids: string[] = [];
  for (const [k, call] of calls.entries()) {
    const where = `${at}.tool_calls[${k}]`;
    if (
      !isObject(call) ||
      typeof call.id !== 'string' ||
      call.type !== 'function' ||
      !isObject(call.function)
    )
      return bad(
        `Invalid value for '${where}': expected a function tool call with an id.`,
        where,
        'invalid_value',
      );
    if (typeof call.function.name !== 'string')
      return bad(
        `Missing required parameter: '${where}.function.name'.`,
        `${where}.function.name`,
        'missing_required_parameter',
      );
    const args = call.function.arguments;
    if (typeof args !== 'string')
      return bad(
        `Invalid type for '${where}.function.arguments': expected a string, but got ${args === null ? 'null' : Array.isArray(args) ? 'an array' : `an ${typeof args}`} instead.`,
        `${where}.function.arguments`,
        'invalid_type',
      );
    ids.push(call.id);
  }
  return ids;
}
