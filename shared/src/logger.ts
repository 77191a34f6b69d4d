import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs on stdout; `name` tells which service wrote the line. */
export function createLogger(options: { level: string; name: string }): Logger {
  return pino({
    name: options.name,
    level: options.level,
    base: { service: options.name },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
