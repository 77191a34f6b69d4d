import { z } from 'zod';

/** Every environment variable the services read, with its default. Parsed once, in `main.ts`. */
export const configSchema = z.object({
  DATABASE_URL: z
    .string()
    .url()
    .refine((url) => /^postgres(ql)?:\/\//.test(url), 'must be a postgres:// or postgresql:// URL')
    .default('postgres://postgres@127.0.0.1:5432/medly'),
  KAFKA_BROKERS: z
    .string()
    .default('127.0.0.1:9092')
    .transform((value) => value.split(',').map((broker) => broker.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[\w.-]+:\d{1,5}$/, 'must be host:port[,host:port…]')).min(1)),
  SCHEMA_REGISTRY_URL: z
    .string()
    .url()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  TOPIC_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9._-]*$/, 'may hold only letters, digits, ".", "_" and "-"')
    .max(100)
    .default('medly.'),
  TOPIC_PARTITIONS: z.coerce.number().int().min(1).max(1000).default(3),
  MAX_RECORD_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  API_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((origin) => origin.trim()).filter(Boolean)),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().min(1).default('data'),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  readonly issues: readonly string[];

  constructor(issues: readonly string[]) {
    super(`Invalid configuration:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** Parses the environment; throws a ConfigError that lists every bad variable at once. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`),
  );
}
