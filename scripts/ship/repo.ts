/** The repository's shipping files and the versions they must agree on, read once for the ship tests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { allSettings, ConfigError, loadConfig } from '../../shared/src/config.ts';

export const repoRoot = join(import.meta.dirname, '..', '..');

export function readRepoFile(path: string): string {
  return readFileSync(join(repoRoot, path), 'utf8');
}

/** YAML as Compose and GitHub read it (YAML 1.2, `<<` merge keys resolved). */
export function parseYaml(text: string): unknown {
  return parse(text, { merge: true });
}

const packageJson = JSON.parse(readRepoFile('package.json')) as { packageManager?: string };

/** pnpm version of package.json "packageManager". */
export const pnpmVersion = /^pnpm@(\d+\.\d+\.\d+)$/.exec(packageJson.packageManager ?? '')?.[1] ?? 'missing';

/** Node version the bootstrap installs for local runs and CI (scripts/bootstrap.sh). */
export const nodeVersion = /^NODE_VERSION=(\S+)$/m.exec(readRepoFile('scripts/bootstrap.sh'))?.[1] ?? 'missing';

/** The base image of every stage of both Dockerfiles. */
export const baseImage = `node:${nodeVersion}-bookworm-slim`;

/** The problems loadConfig would report for an environment (empty when it starts). */
export function configProblems(environment: Record<string, string>): string[] {
  try {
    loadConfig(allSettings, environment);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return [...error.issues];
    throw error;
  }
}
