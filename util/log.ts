import pino from 'pino';
import pretty from 'pino-pretty';
import { escapeControl } from './escape.ts';

/**
 * Logs go to stderr so stdout carries only results. On a terminal they are pretty-printed
 * synchronously (no worker thread, so short CLI runs exit promptly); elsewhere they are JSON lines.
 * Pretty lines print text as it is, so messages and top-level string fields (which may quote a model
 * or a user) have their control characters escaped first.
 */
function escapeArgument(arg: unknown): unknown {
  if (typeof arg === 'string') return escapeControl(arg);
  if (arg instanceof Error)
    return { type: arg.name, message: escapeControl(arg.message), stack: escapeControl(arg.stack ?? '') };
  if (arg === null || typeof arg !== 'object' || Array.isArray(arg)) return arg;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(arg)) out[key] = escapeArgument(value);
  return out;
}

const hooks: pino.LoggerOptions['hooks'] = {
  logMethod(args, method) {
    method.apply(this, args.map(escapeArgument) as Parameters<pino.LogFn>);
  },
};

function createLogger(): pino.Logger {
  const level = process.env.AIA_LOG_LEVEL ?? 'info';
  if (process.stderr.isTTY) {
    return pino(
      { level, hooks },
      pretty({ destination: 2, sync: true, colorize: true, ignore: 'pid,hostname' }),
    );
  }
  return pino({ level, base: undefined, hooks }, pino.destination({ dest: 2, sync: true }));
}

export const log = createLogger();

export function setLogLevel(level: string): void {
  log.level = level;
}
