/**
 * What neither `docker compose config` nor a real start can tell: that the
 * compose file hands our programs only variables they read, with values they
 * accept, that .env.example lists every variable with its default, and that
 * the README's Docker section matches the file. Whether the file is valid and
 * the stack starts is `pnpm compose:smoke`'s (scripts/containers/smoke.ts),
 * which runs the real file under a real engine. Pure: reads files only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { allSettings, ConfigError, loadConfig } from '@medly/shared/config';

const repoRoot = join(import.meta.dirname, '..');
const read = (path: string) => readFileSync(join(repoRoot, path), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  environment?: Record<string, string | number | null>;
  ports?: string[];
}
const composeText = read('docker-compose.yml');
const compose = parse(composeText, { merge: true }) as { services: Record<string, Service> };
const configKeys = new Set(Object.keys(allSettings.shape));
const ours = Object.entries(compose.services).filter(([, service]) => service.image?.startsWith('medly-ingest/'));

/** Compose's interpolation as the file uses it: `${VAR}`, `${VAR:-default}`, `${VAR-default}`. */
const REFERENCE = /\$\{([A-Za-z_]\w*)(?:(:?)-([^}]*))?\}/g;
function interpolate(text: string, variables: Record<string, string | undefined>): string {
  return text.replace(REFERENCE, (_match, name: string, colon?: string, fallback?: string) => {
    const value = variables[name];
    const missing = colon ? !value : value === undefined;
    return missing ? (fallback ?? '') : (value ?? '');
  });
}
/** What a service of ours sees: values interpolated, keys without a value taken from the variables or absent. */
function environmentOf(service: Service, variables: Record<string, string | undefined>): Record<string, string> {
  const resolved: Record<string, string> = {};
  for (const [key, value] of Object.entries(service.environment ?? {})) {
    const result = value === null ? variables[key] : interpolate(String(value), variables);
    if (result !== undefined) resolved[key] = result;
  }
  return resolved;
}
function configProblems(environment: Record<string, string>): string[] {
  try {
    loadConfig(allSettings, environment);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return [...error.issues];
    throw error;
  }
}

interface EnvEntry {
  key: string;
  value: string;
  active: boolean;
  explained: boolean;
}
/** .env.example: `KEY=value` (set), `# KEY=value` (listed, unset), each explained by the comment right above. */
function parseEnvExample(text: string): EnvEntry[] {
  const entries: EnvEntry[] = [];
  let previous: 'prose' | 'variable' | 'blank' = 'blank';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const match = /^#?\s*([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match?.[1] !== undefined) {
      entries.push({ key: match[1], value: match[2] ?? '', active: !line.startsWith('#'), explained: previous === 'prose' });
      previous = 'variable';
    } else {
      previous = line.startsWith('#') ? 'prose' : 'blank';
    }
  }
  return entries;
}
const envExample = parseEnvExample(read('.env.example'));

test('our services get only variables of the config schema, with values it accepts, and agree on the wiring', () => {
  assert.equal(ours.map(([name]) => name).sort(), ['api', 'import', 'migrate', 'projector']);
  const variables = Object.fromEntries(envExample.filter((entry) => entry.active).map((entry) => [entry.key, entry.value]));
  for (const given of [{}, variables]) {
    const wiring = new Set<string>();
    for (const [name, service] of ours) {
      for (const key of Object.keys(service.environment ?? {})) assert.ok(configKeys.has(key), `${name}: ${key} is not a variable of the config schema`);
      const environment = environmentOf(service, given);
      assert.equal(configProblems(environment), [], name);
      wiring.add(['DATABASE_URL', 'KAFKA_BROKERS', 'SCHEMA_REGISTRY_URL', 'TOPIC_PREFIX'].map((key) => environment[key]).join(' '));
    }
    assert.is(wiring.size, 1, `services disagree: ${[...wiring].join(' / ')}`);
  }
});

test('.env.example lists every variable of the config and of docker-compose.yml, explained, with the defaults', () => {
  const keys = envExample.map((entry) => entry.key);
  assert.is(keys.length, new Set(keys).size, 'a variable is listed twice');
  for (const key of configKeys) assert.ok(keys.includes(key), `${key} (config schema) is missing`);
  const interpolated = new Set([...composeText.matchAll(REFERENCE)].map((match) => match[1] ?? ''));
  for (const [, service] of ours) for (const [key, value] of Object.entries(service.environment ?? {})) if (value === null) interpolated.add(key);
  for (const name of interpolated) assert.ok(keys.includes(name), `${name} (docker-compose.yml) is missing`);
  for (const entry of envExample) assert.ok(entry.explained, `${entry.key} has no comment above it`);

  const configEntries = envExample.filter((entry) => configKeys.has(entry.key));
  const defaults = loadConfig(allSettings, {});
  assert.equal(loadConfig(allSettings, Object.fromEntries(configEntries.filter((entry) => entry.active).map((entry) => [entry.key, entry.value]))), defaults);
  for (const entry of configEntries.filter((candidate) => !candidate.active)) {
    assert.is(defaults[entry.key as keyof typeof defaults], undefined, `${entry.key} has a default: list it set`);
  }
  // The compose-only variables' listed values are the file's own defaults.
  for (const entry of envExample.filter((candidate) => candidate.active && !configKeys.has(candidate.key) && interpolated.has(candidate.key))) {
    assert.ok(composeText.includes(`\${${entry.key}:-${entry.value}}`), `${entry.key}=${entry.value} is not docker-compose.yml's default`);
  }
});

test('README: the Docker section names every published port with its variable, and the replay command', () => {
  const readme = read('README.md');
  const start = readme.indexOf('### Run with Docker');
  assert.ok(start !== -1, 'no "Run with Docker" section');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  assert.match(section, /docker compose up/);
  const published = Object.values(compose.services).flatMap((service) => service.ports ?? []);
  assert.ok(published.length > 0);
  for (const port of published) {
    const match = /^127\.0\.0\.1:\$\{([A-Z_]+):-(\d+)\}:\d+$/.exec(port);
    assert.ok(match, `${port}: published on 127.0.0.1 through a variable with a default`);
    assert.match(section, new RegExp(`\\| ${match[2] ?? ''} \\| \`${match[1] ?? ''}\` \\|`), `README lists ${port}`);
  }
  const replay = (text: string) => /docker compose [^\n]*projector\/src\/replay\.ts[^\n]*/.exec(text)?.[0];
  assert.ok(replay(composeText));
  assert.is(replay(section), replay(composeText));
});

test.run();
