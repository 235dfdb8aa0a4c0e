import { createRequire } from 'node:module';
import type { LogFn, Logger, LoggerOptions } from 'pino';
import type pinoModule from 'pino';
import type prettyModule from 'pino-pretty';
import { escapeControl } from './escape.ts';

/**
 * Logs go to stderr so stdout carries only results. On a terminal they are pretty-printed
 * synchronously (no worker thread, so short CLI runs exit promptly); elsewhere they are JSON lines.
 *
 * pino (and pino-pretty) load on the first log call, not at import: most commands never log, and a
 * command that starts at once (`aia --help`, `aia tools list`) should not pay for them.
 *
 * Pretty lines print text as it is, so messages and top-level string fields (which may quote a model
 * or a user) have their control characters escaped first.
 */

const require = createRequire(import.meta.url);

function escapeArgument(arg: unknown): unknown {
  if (typeof arg === 'string') return escapeControl(arg);
  if (arg instanceof Error)
    return { type: arg.name, message: escapeControl(arg.message), stack: escapeControl(arg.stack ?? '') };
  if (arg === null || typeof arg !== 'object' || Array.isArray(arg)) return arg;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(arg)) out[key] = escapeArgument(value);
  return out;
}

const hooks: LoggerOptions['hooks'] = {
  logMethod(args, method) {
    method.apply(this, args.map(escapeArgument) as Parameters<LogFn>);
  },
};

function createLogger(): Logger {
  const pino = require('pino') as typeof pinoModule;
  const level = process.env.AIA_LOG_LEVEL ?? 'info';
  if (process.stderr.isTTY) {
    const pretty = require('pino-pretty') as typeof prettyModule;
    return pino(
      { level, hooks },
      pretty({ destination: 2, sync: true, colorize: true, ignore: 'pid,hostname' }),
    );
  }
  return pino({ level, base: undefined, hooks }, pino.destination({ dest: 2, sync: true }));
}

let logger: Logger | undefined;

function current(): Logger {
  logger ??= createLogger();
  return logger;
}

function forward(method: 'debug' | 'info' | 'warn' | 'error'): LogFn {
  return ((...args: unknown[]) => {
    const target = current();
    (target[method] as (...a: unknown[]) => void).apply(target, args);
  }) as LogFn;
}

/** The logger's methods and level; the pino logger behind them is made on first use. */
export interface Log {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  level: string;
}

export const log: Log = {
  debug: forward('debug'),
  info: forward('info'),
  warn: forward('warn'),
  error: forward('error'),
  get level() {
    return current().level;
  },
  set level(level: string) {
    current().level = level;
  },
};

export function setLogLevel(level: string): void {
  log.level = level;
}
