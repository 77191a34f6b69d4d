/**
 * The API's settings: the ones it reads (and only those: a bad setting of
 * another service never stops it), and the rules that tie several together,
 * checked at start-up so a half-configured credential stops the API with a
 * clear message instead of refusing every token at run time.
 */
import type { z } from 'zod';
import { configOf, KAFKA_SETTINGS } from '@medly/shared/config';

export const AUTH_SETTINGS = [
  'API_TOKEN',
  'SERVICE_TOKENS',
  'AUTH_JWKS_URL',
  'AUTH_PUBLIC_KEYS',
  'AUTH_ISSUER',
  'AUTH_AUDIENCE',
  'AUTH_STAFF_CLAIM',
  'AUTH_STAFF_UIDS',
  'AUTH_CLOCK_SKEW_SECONDS',
] as const;

export const RATE_LIMIT_SETTINGS = ['RATE_LIMIT_REQUESTS', 'RATE_LIMIT_WINDOW_SECONDS'] as const;

const appSettings = configOf(...AUTH_SETTINGS, ...RATE_LIMIT_SETTINGS, 'CORS_ORIGINS', 'PATCH_REQUIRES_IF_MATCH', 'TOPIC_PREFIX');

type AppSettings = z.infer<typeof appSettings>;

function checkAuthSettings(config: Pick<AppSettings, (typeof AUTH_SETTINGS)[number]>, context: z.RefinementCtx): void {
  const problem = (path: string, message: string) => {
    context.addIssue({ code: 'custom', path: [path], message });
  };
  const userTokens = config.AUTH_JWKS_URL !== undefined || config.AUTH_PUBLIC_KEYS !== undefined;
  if (config.AUTH_JWKS_URL !== undefined && config.AUTH_PUBLIC_KEYS !== undefined) {
    problem('AUTH_PUBLIC_KEYS', 'set AUTH_JWKS_URL or AUTH_PUBLIC_KEYS, not both');
  }
  if (userTokens) {
    // Without them a token minted for another application would be accepted.
    if (config.AUTH_ISSUER === undefined) problem('AUTH_ISSUER', 'is required with AUTH_JWKS_URL or AUTH_PUBLIC_KEYS');
    if (config.AUTH_AUDIENCE === undefined) problem('AUTH_AUDIENCE', 'is required with AUTH_JWKS_URL or AUTH_PUBLIC_KEYS');
  } else {
    for (const name of ['AUTH_ISSUER', 'AUTH_AUDIENCE', 'AUTH_STAFF_CLAIM'] as const) {
      if (config[name] !== undefined) problem(name, 'has no effect without AUTH_JWKS_URL or AUTH_PUBLIC_KEYS');
    }
    if (config.AUTH_STAFF_UIDS.length > 0) problem('AUTH_STAFF_UIDS', 'has no effect without AUTH_JWKS_URL or AUTH_PUBLIC_KEYS');
  }
}

/** What createApp reads. */
export const appConfig = appSettings.superRefine(checkAuthSettings);
export type AppConfig = z.infer<typeof appConfig>;

/** What `pnpm api` reads: the app's settings, the connections and the ports. */
export const apiConfig = configOf(
  'DATABASE_URL',
  ...KAFKA_SETTINGS,
  'PORT',
  'METRICS_PORT',
  'LOG_LEVEL',
  ...AUTH_SETTINGS,
  ...RATE_LIMIT_SETTINGS,
  'CORS_ORIGINS',
  'PATCH_REQUIRES_IF_MATCH',
  'CURRICULUM_CACHE_ENTRIES',
  'CURRICULUM_CACHE_MB',
  'USER_CACHE_ENTRIES',
  'USER_CACHE_MB',
).superRefine(checkAuthSettings);
export type ApiConfig = z.infer<typeof apiConfig>;
