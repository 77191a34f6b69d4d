import { z } from 'zod';

/**
 * Every environment variable the services read, one zod schema each, with its
 * default. A service composes the settings it reads (`projector/src/config.ts`
 * and the like) and parses only those, once, in its `main.ts`: a bad setting
 * of another service (a short API_TOKEN, say) never stops it.
 */
export const settings = {
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
};

export type SettingName = keyof typeof settings;

/** Every setting, as one schema: for documentation and checks of every variable (.env.example). */
export const allSettings = z.object(settings);

/** Every setting parsed; code that needs a few takes `Pick<Config, …>`. */
export type Config = z.infer<typeof allSettings>;

/** The settings a service reads, as one object schema. */
export function configOf<const Names extends readonly SettingName[]>(...names: Names) {
  return z.object(Object.fromEntries(names.map((name) => [name, settings[name]])) as { [Name in Names[number]]: (typeof settings)[Name] });
}

/** Every service talks to the broker the same way. */
export const KAFKA_SETTINGS = ['KAFKA_BROKERS', 'SCHEMA_REGISTRY_URL', 'TOPIC_PREFIX', 'TOPIC_PARTITIONS'] as const;

export class ConfigError extends Error {
  readonly issues: readonly string[];

  constructor(issues: readonly string[]) {
    super(`Invalid configuration:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** Parses a service's settings from the environment; throws a ConfigError that lists every bad variable at once. */
export function loadConfig<Schema extends z.ZodTypeAny>(schema: Schema, env: Record<string, string | undefined> = process.env): z.infer<Schema> {
  const result = schema.safeParse(env);
  if (result.success) return result.data as z.infer<Schema>;
  throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`));
}
