import pino from 'pino';
import pretty from 'pino-pretty';

/**
 * Logs go to stderr so stdout carries only results. On a terminal they are pretty-printed
 * synchronously (no worker thread, so short CLI runs exit promptly); elsewhere they are JSON lines.
 */
function createLogger(): pino.Logger {
  const level = process.env.AIA_LOG_LEVEL ?? 'info';
  if (process.stderr.isTTY) {
    return pino({ level }, pretty({ destination: 2, sync: true, colorize: true, ignore: 'pid,hostname' }));
  }
  return pino({ level, base: undefined }, pino.destination({ dest: 2, sync: true }));
}

export const log = createLogger();

export function setLogLevel(level: string): void {
  log.level = level;
}
