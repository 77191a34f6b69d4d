import { createPublicKey } from 'node:crypto';
import { z } from 'zod';

/** Unset or empty (compose passes an unset variable as empty) is none. */
const optional = <Schema extends z.ZodTypeAny>(schema: Schema) => schema.optional().or(z.literal('').transform(() => undefined));

const commaList = (item: z.ZodString) =>
  z
    .string()
    .default('')
    .transform((value) => value.split(',').map((entry) => entry.trim()).filter(Boolean))
    .pipe(z.array(item));

const PEM_BLOCK = /-----BEGIN (PUBLIC KEY|CERTIFICATE)-----[\s\S]+?-----END \1-----/g;

/** A PEM public key (SPKI) or X.509 certificate that Node can read as an RSA, EC or Ed25519 key. */
function isVerificationKey(pem: string): boolean {
  try {
    return ['rsa', 'ec', 'ed25519'].includes(createPublicKey(pem).asymmetricKeyType ?? '');
  } catch {
    return false;
  }
}

export const SERVICE_TOKEN_RIGHTS = ['read', 'write'] as const;
export type ServiceTokenRight = (typeof SERVICE_TOKEN_RIGHTS)[number];
export interface ServiceTokenSetting {
  name: string;
  /** SHA-256 of the token, lowercase hex: the token itself is never configured. */
  sha256: string;
  rights: ServiceTokenRight[];
}
/** The name API_TOKEN is known by (a service token with every right). */
export const API_TOKEN_NAME = 'api-token';

const serviceTokenEntry = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,64}:[0-9a-f]{64}:(read|write)(\+(read|write))?$/, 'must be name:sha256-hex:rights (rights: read, write or read+write)')
  .transform((entry): ServiceTokenSetting => {
    const [name = '', sha256 = '', rights = ''] = entry.split(':');
    return { name, sha256, rights: [...new Set(rights.split('+') as ServiceTokenRight[])] };
  });

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
  AUTH_JWKS_URL: optional(
    z
      .string()
      .url()
      .refine((url) => /^https:\/\//.test(url) || /^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(url), 'must be https:// (http:// only on localhost)'),
  ),
  // Real line breaks, or `\n` escapes where a variable cannot hold them (.env files, compose).
  AUTH_PUBLIC_KEYS: optional(
    z
      .string()
      .transform((value) => value.replaceAll('\\n', '\n').match(PEM_BLOCK) ?? [])
      .pipe(z.array(z.string().refine(isVerificationKey, 'is not an RSA, EC or Ed25519 public key')).min(1, 'must hold PEM public keys or certificates')),
  ),
  AUTH_ISSUER: optional(z.string().min(1).max(512)),
  AUTH_AUDIENCE: optional(z.string().min(1).max(512)),
  AUTH_STAFF_CLAIM: optional(
    z
      .string()
      .regex(/^[A-Za-z_][\w.:-]{0,63}(=[^=\s]{1,128})?$/, 'must be a claim name, or name=value')
      .transform((value) => {
        const [claim = '', expected] = value.split('=');
        return { claim, value: expected };
      }),
  ),
  AUTH_STAFF_UIDS: commaList(z.string().regex(/^[^\s,]{1,128}$/, 'must be uids without spaces')),
  AUTH_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
  SERVICE_TOKENS: z
    .string()
    .default('')
    .transform((value) => value.split(/[\s,]+/).filter(Boolean))
    .pipe(z.array(serviceTokenEntry))
    .superRefine((tokens, context) => {
      const names = tokens.map((token) => token.name);
      const hashes = tokens.map((token) => token.sha256);
      if (new Set(names).size !== names.length) context.addIssue({ code: 'custom', message: 'names a token twice' });
      if (new Set(hashes).size !== hashes.length) context.addIssue({ code: 'custom', message: 'lists one token under two names' });
      if (names.includes(API_TOKEN_NAME)) context.addIssue({ code: 'custom', message: `${API_TOKEN_NAME} is the name of API_TOKEN` });
    }),
  RATE_LIMIT_REQUESTS: z.coerce.number().int().min(0).max(1_000_000).default(600),
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  PATCH_REQUIRES_IF_MATCH: z
    .enum(['true', 'false', ''])
    .default('false')
    .transform((value) => value === 'true'),
  // The API's cache of curriculum answers (GET /lessons, /papers, /items): entries kept at most (0: off), and their bytes.
  CURRICULUM_CACHE_ENTRIES: z.coerce.number().int().min(0).max(1_000_000).default(5000),
  CURRICULUM_CACHE_MB: z.coerce.number().int().min(1).max(65_536).default(64),
  // Its cache of each user's activity and progress answers, kept until that user's rows or the curriculum change.
  USER_CACHE_ENTRIES: z.coerce.number().int().min(0).max(1_000_000).default(5000),
  USER_CACHE_MB: z.coerce.number().int().min(1).max(65_536).default(64),
  // Unset or empty: no metrics server. The API and the projector each listen on their own.
  METRICS_PORT: optional(z.coerce.number().int().min(1).max(65535)),
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
