import { createRequire } from 'node:module';
import { pino, type Logger, type LoggerOptions } from 'pino';
import type PinoPretty from 'pino-pretty';

export type { Logger };

/**
 * Structured JSON logs on stdout; `name` tells which service wrote the line.
 * On a terminal (someone running a service by hand) the same lines are
 * printed for people instead: one line each, time, level, service, message
 * and fields. Containers, pipes and tests are not terminals: they get JSON.
 */
export function createLogger(options: { level: string; name: string }): Logger {
  const settings: LoggerOptions = {
    name: options.name,
    level: options.level,
    base: { service: options.name },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (!process.stdout.isTTY) return pino(settings);
  // Loaded only for a terminal; synchronous, so the last lines before an exit are not lost.
  const pretty = createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
  return pino(settings, pretty({ colorize: true, singleLine: true, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'service' }));
}
