import { createRequire } from 'node:module';
import { pino, type Logger, type LoggerOptions } from 'pino';
import type PinoPretty from 'pino-pretty';

export type { Logger };

/** Fields that hold a credential or a student's answer: a log line never shows their values. */
const SECRET_FIELDS = ['authorization', 'cookie', 'token', 'apiToken', 'password', 'secret'];
const ANSWER_FIELDS = ['userAnswer', 'annotatedAnswer', 'canvas', 'markingTable', 'user_answer', 'annotated_answer', 'marking_table'];

/** pino redaction paths: each field at the top of a line, one level down, and in request headers. */
export const REDACTED_PATHS = [
  ...[...SECRET_FIELDS, ...ANSWER_FIELDS].flatMap((field) => [field, `*.${field}`]),
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  '*.headers.authorization',
  // A database error's detail can quote a refused row ("Failing row contains (…)"), answers included.
  'err.detail',
  'err.cause.detail',
];

/**
 * Structured JSON logs on stdout; `name` tells which service wrote the line.
 * On a terminal (someone running a service by hand) the same lines are
 * printed for people instead: one line each, time, level, service, message
 * and fields. Containers, pipes and tests are not terminals: they get JSON.
 * Credentials and answers are redacted (REDACTED_PATHS) everywhere.
 */
export function createLogger(options: { level: string; name: string }): Logger {
  const settings: LoggerOptions = {
    name: options.name,
    level: options.level,
    base: { service: options.name },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: '[Redacted]' },
  };
  if (!process.stdout.isTTY) return pino(settings);
  // Loaded only for a terminal; synchronous, so the last lines before an exit are not lost.
  const pretty = createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
  return pino(settings, pretty({ colorize: true, singleLine: true, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'service' }));
}
