/**
 * What can be proven about shipping without a Docker engine: docker-compose.yml
 * against the Compose Specification and the project's own config schema,
 * .env.example, the GitHub workflow and the README's Docker section. The
 * Dockerfiles are checked in scripts/ship/dockerfile.test.ts.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { allSettings, loadConfig } from '../shared/src/config.ts';
import { composeProblems, dependencies, environmentOf, resolveEnvironment, type ComposeFile, type ComposeRules } from './ship/composeProblems.ts';
import { parseEnvExample } from './ship/envExample.ts';
import { referencedVariables } from './ship/interpolate.ts';
import { configProblems, nodeVersion, parseYaml, pnpmVersion, readRepoFile } from './ship/repo.ts';

const composeText = readRepoFile('docker-compose.yml');
const compose = parseYaml(composeText) as ComposeFile;
const envExample = parseEnvExample(readRepoFile('.env.example'));
const configKeys = new Set(Object.keys(allSettings.shape));

// The Compose Specification's JSON Schema, as the docker-compose package ships it.
const schemaPath = createRequire(import.meta.url).resolve('docker-compose/schema/compose-spec.json');
const { $schema: _draft, ...composeSpec } = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
const validateCompose = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true }).compile(composeSpec);
const schemaErrors = (document: unknown) =>
  validateCompose(document) ? [] : (validateCompose.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`);

/** Variables the third-party images document (their reference pages), by repository. */
const imageVariables: ComposeRules['imageVariables'] = {
  postgres: ['POSTGRES_USER', 'POSTGRES_PASSWORD', 'POSTGRES_DB', 'POSTGRES_INITDB_ARGS', 'POSTGRES_INITDB_WALDIR', 'POSTGRES_HOST_AUTH_METHOD', 'PGDATA'],
  // Read by `redpanda start` when the matching flag is absent.
  'docker.redpanda.com/redpandadata/redpanda': [
    'REDPANDA_SEEDS', 'REDPANDA_KAFKA_ADDRESS', 'REDPANDA_ADVERTISE_KAFKA_ADDRESS', 'REDPANDA_PANDAPROXY_ADDRESS',
    'REDPANDA_ADVERTISE_PANDAPROXY_ADDRESS', 'REDPANDA_SCHEMA_REGISTRY_ADDRESS', 'REDPANDA_RPC_ADDRESS', 'REDPANDA_ADVERTISE_RPC_ADDRESS',
  ],
  // Console v2 maps each YAML key to upper case joined by `_` (kafka.schemaRegistry.urls → KAFKA_SCHEMAREGISTRY_URLS).
  'docker.redpanda.com/redpandadata/console': [
    'KAFKA_BROKERS', 'KAFKA_SCHEMAREGISTRY_ENABLED', 'KAFKA_SCHEMAREGISTRY_URLS', 'REDPANDA_ADMINAPI_ENABLED', 'REDPANDA_ADMINAPI_URLS',
    'SERVER_LISTENPORT', 'CONFIG_FILEPATH',
  ],
};

const rules = (variables: Record<string, string | undefined> = {}): ComposeRules => ({ configKeys, configProblems, imageVariables, variables });
const envExampleVariables = Object.fromEntries(envExample.filter((entry) => entry.active).map((entry) => [entry.key, entry.value]));
const service = (name: string) => {
  const found = compose.services[name];
  if (!found) throw new Error(`no service ${name}`);
  return found;
};
const withDefaults = (name: string) => resolveEnvironment(environmentOf(service(name)), {});
const mutated = (change: (copy: ComposeFile) => void) => {
  const copy = structuredClone(compose);
  change(copy);
  return copy;
};

test('docker-compose.yml validates against the Compose Specification schema', () => {
  assert.equal(schemaErrors(compose), []);
});

test('the schema check rejects a malformed compose file', () => {
  assert.ok(schemaErrors(mutated((copy) => Object.assign(copy.services.api ?? {}, { depends_on: { postgres: { condition: 'service_ready' } } }))).length > 0);
  assert.ok(schemaErrors(mutated((copy) => Object.assign(copy.services.api ?? {}, { ports: '3000:3000' }))).length > 0);
  assert.ok(schemaErrors(mutated((copy) => Object.assign(copy.services.api ?? {}, { restrat: 'always' }))).length > 0);
});

test('dependencies exist and can be met, images are pinned, environments are known and valid', () => {
  assert.equal(composeProblems(compose, rules()), []);
  assert.equal(composeProblems(compose, rules(envExampleVariables)), []);
});

test('the compose rules catch a broken file', () => {
  const problemsOf = (change: (copy: ComposeFile) => void, variables?: Record<string, string>) =>
    composeProblems(mutated(change), rules(variables)).join('\n');
  const set = (name: string, patch: Record<string, unknown>) => (copy: ComposeFile) => Object.assign(copy.services[name] ?? {}, patch);
  const env = (name: string, patch: Record<string, string>) => (copy: ComposeFile) => {
    const target = copy.services[name];
    if (target) target.environment = { ...environmentOf(target), ...patch };
  };
  assert.match(problemsOf(set('api', { depends_on: { broker: { condition: 'service_started' } } })), /api: depends on broker, which is not a service/);
  assert.match(problemsOf(set('api', { depends_on: { migrate: { condition: 'service_healthy' } } })), /migrate has no healthcheck/);
  assert.match(problemsOf(set('api', { depends_on: { projector: { condition: 'service_completed_successfully' } } })), /projector restarts/);
  assert.match(problemsOf(set('postgres', { depends_on: ['api'] })), /dependency cycle/);
  assert.match(problemsOf(set('postgres', { image: 'postgres:latest' })), /postgres: image postgres:latest is not pinned/);
  assert.match(problemsOf(set('postgres', { image: 'postgres:17' })), /not pinned/);
  assert.match(problemsOf(set('console', { image: 'docker.redpanda.com/redpandadata/console' })), /not pinned/);
  assert.match(problemsOf(set('api', { image: 'medly-ingest/api:latest' })), /uses the latest tag/);
  assert.match(problemsOf(env('api', { API_SECRET: 'x' })), /api: API_SECRET is not a variable of the config schema/);
  assert.match(problemsOf(env('import', { LOG_LEVEL: 'loud' })), /import: LOG_LEVEL/);
  assert.match(problemsOf(env('api', { API_TOKEN: 'short' })), /api: API_TOKEN/);
  assert.match(problemsOf(() => undefined, { LOG_LEVEL: 'chatty' }), /LOG_LEVEL/);
  assert.match(problemsOf(env('api', { TOPIC_PREFIX: 'other.' })), /disagree on TOPIC_PREFIX/);
  assert.match(problemsOf(env('console', { KAFKA_BROKER: 'redpanda:9092' })), /KAFKA_BROKER is not a documented variable/);
  assert.match(problemsOf(set('console', { image: 'example/unknown:1.0' })), /no list of the variables example\/unknown documents/);
});

test('the stack is wired as documented: listeners, registry, volumes, one-shot jobs', () => {
  assert.equal(Object.keys(compose.services).sort(), ['api', 'console', 'import', 'migrate', 'postgres', 'projector', 'redpanda']);

  const published = Object.entries(compose.services).flatMap(([name, { ports = [] }]) =>
    ports.map((port) => {
      const [host, published, target] = String(port).split(':');
      return `${name} ${String(host)}:${String(published)}->${String(target)}`;
    }),
  );
  assert.equal(published.sort(), [
    'api 127.0.0.1:3000->3000',
    'api 127.0.0.1:9464->9464',
    'console 127.0.0.1:8080->8080',
    'postgres 127.0.0.1:5432->5432',
    'projector 127.0.0.1:9465->9464',
    'redpanda 127.0.0.1:19092->19092',
    'redpanda 127.0.0.1:8081->8081',
  ]);

  const redpanda = service('redpanda');
  const flags = Array.isArray(redpanda.command) ? redpanda.command : [];
  for (const flag of ['--mode=dev-container', '--smp=1', '--schema-registry-addr=0.0.0.0:8081']) assert.ok(flags.includes(flag), flag);
  assert.ok(flags.includes('--kafka-addr=internal://0.0.0.0:9092,external://0.0.0.0:19092'));
  assert.ok(flags.includes('--advertise-kafka-addr=internal://redpanda:9092,external://localhost:19092'));
  assert.match(JSON.stringify(redpanda.healthcheck?.test), /rpk cluster health/);
  assert.match(JSON.stringify(service('postgres').healthcheck?.test), /pg_isready/);
  assert.match(service('postgres').image ?? '', /^postgres:17\.\d+/);
  assert.ok(service('postgres').volumes?.includes('pgdata:/var/lib/postgresql/data'));
  assert.ok(redpanda.volumes?.includes('redpanda:/var/lib/redpanda/data'), 'topics are the source of truth: they need a volume');
  assert.equal(Object.keys(compose.volumes ?? {}).sort(), ['pgdata', 'redpanda']);

  // Every program of ours reaches the broker on its internal listener and the built-in registry.
  for (const name of ['migrate', 'import', 'projector', 'api']) {
    assert.is(withDefaults(name).KAFKA_BROKERS, 'redpanda:9092', name);
    assert.is(withDefaults(name).SCHEMA_REGISTRY_URL, 'http://redpanda:8081', name);
    assert.match(withDefaults(name).DATABASE_URL ?? '', /@postgres:5432\/medly$/, name);
  }
  const consoleEnvironment = environmentOf(service('console'));
  assert.is(consoleEnvironment.KAFKA_BROKERS, 'redpanda:9092');
  assert.is(consoleEnvironment.KAFKA_SCHEMAREGISTRY_URLS, 'http://redpanda:8081');

  const waitsFor = (name: string) => Object.fromEntries(dependencies(service(name)));
  assert.equal(waitsFor('migrate'), { postgres: 'service_healthy' });
  assert.equal(waitsFor('import'), { redpanda: 'service_healthy', postgres: 'service_healthy', migrate: 'service_completed_successfully' });
  assert.is(waitsFor('projector').migrate, 'service_completed_successfully');
  assert.is(waitsFor('api').postgres, 'service_healthy');
  assert.is(waitsFor('api').projector, 'service_started');

  const importer = service('import');
  assert.equal(importer.command, ['node', 'importer/src/main.ts', '--projector', 'running']);
  assert.ok(importer.volumes?.includes(`./data:${withDefaults('import').DATA_DIR ?? ''}:ro`), 'the exports are mounted read-only at DATA_DIR');
  assert.equal(service('migrate').command, ['node', 'projector/src/migrate.ts']);
  for (const name of ['migrate', 'import']) {
    assert.is(service(name).image, service('projector').image, `${name} runs the projector image`);
    assert.is(service(name).restart, undefined, `${name} is one-shot`);
  }
  assert.equal(service('projector').build, { context: '.', dockerfile: 'Dockerfile.projector' });
  assert.equal(service('api').build, { context: '.', dockerfile: 'Dockerfile.api' });
  assert.is(environmentOf(service('api')).API_TOKEN, null, 'API_TOKEN passes through from the shell or .env, never a value in the file');
});

test('.env.example lists every variable with its default and an explanation', () => {
  const keys = envExample.map((entry) => entry.key);
  assert.equal(keys.length, new Set(keys).size, 'a variable is listed twice');
  for (const key of configKeys) assert.ok(keys.includes(key), `${key} (config schema) is missing`);
  const interpolated = new Set<string>();
  const collect = (value: unknown): void => {
    if (typeof value === 'string') for (const name of referencedVariables(value)) interpolated.add(name);
    else if (value && typeof value === 'object') Object.values(value).forEach(collect);
  };
  collect(compose);
  // A key without a value is taken from the shell or .env too.
  for (const candidate of Object.values(compose.services)) {
    for (const [key, value] of Object.entries(environmentOf(candidate))) if (value === null) interpolated.add(key);
  }
  assert.ok(interpolated.size > 0);
  for (const name of interpolated) assert.ok(keys.includes(name), `${name} (docker-compose.yml) is missing`);
  for (const entry of envExample) assert.ok(entry.explained, `${entry.key} (line ${entry.line}) has no comment above it`);

  // Set values are the config's defaults; the unset ones have none.
  const defaults = loadConfig(allSettings, {});
  const configEntries = envExample.filter((entry) => configKeys.has(entry.key));
  const active = Object.fromEntries(configEntries.filter((entry) => entry.active).map((entry) => [entry.key, entry.value]));
  assert.equal(loadConfig(allSettings, active), defaults);
  for (const entry of configEntries.filter((candidate) => !candidate.active)) {
    assert.is(defaults[entry.key as keyof typeof defaults], undefined, `${entry.key} has a default: list it set`);
  }
});

interface WorkflowStep {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string | number | boolean>;
}
interface WorkflowJob {
  services?: Record<string, { image: string; ports?: (string | number)[]; env?: Record<string, string> }>;
  env?: Record<string, string>;
  steps: WorkflowStep[];
}
const workflow = parseYaml(readRepoFile('.github/workflows/ci.yml')) as { on: Record<string, unknown>; jobs: Record<string, WorkflowJob> };
const job = (name: string) => {
  const found = workflow.jobs[name];
  if (!found) throw new Error(`no job ${name}`);
  return found;
};

test('CI: lint, typecheck and tests against Redpanda and Postgres 17 service containers', () => {
  assert.ok('push' in workflow.on && 'pull_request' in workflow.on);
  const { services = {}, env = {}, steps } = job('test');
  assert.is(services.postgres?.image, service('postgres').image, 'CI and compose run the same Postgres');
  assert.is(services.redpanda?.image, service('redpanda').image, 'CI and compose run the same Redpanda');
  const hostPort = (name: string, target: number) =>
    services[name]?.ports?.map((port) => String(port).split(':')).find((parts) => parts.at(-1) === String(target))?.at(-2);
  assert.is(env.KAFKA_BROKERS, `127.0.0.1:${String(hostPort('redpanda', 9092))}`);
  assert.is(services.redpanda?.env?.REDPANDA_ADVERTISE_KAFKA_ADDRESS, env.KAFKA_BROKERS, 'the broker advertises what the tests dial');
  const databaseUrl = new URL(env.DATABASE_URL ?? '');
  assert.is(databaseUrl.port, hostPort('postgres', 5432));
  assert.is(databaseUrl.password, services.postgres?.env?.POSTGRES_PASSWORD);
  assert.equal(configProblems({ KAFKA_BROKERS: env.KAFKA_BROKERS ?? '', DATABASE_URL: env.DATABASE_URL ?? '' }), []);

  const uses = steps.map((step) => step.uses?.replace(/@.*/, ''));
  const pnpmSetup = steps[uses.indexOf('pnpm/action-setup')];
  const nodeSetup = steps[uses.indexOf('actions/setup-node')];
  assert.ok(uses.includes('actions/checkout'));
  assert.ok(pnpmSetup && nodeSetup && uses.indexOf('pnpm/action-setup') < uses.indexOf('actions/setup-node'), 'pnpm before setup-node (its pnpm cache needs pnpm)');
  assert.ok(pnpmSetup.with?.version === undefined || pnpmSetup.with.version === pnpmVersion, 'pnpm version: packageManager');
  assert.is(String(nodeSetup.with?.['node-version']), nodeVersion);
  assert.is(nodeSetup.with?.cache, 'pnpm');
  const runs = steps.flatMap((step) => (step.run ? [`${step.name ?? ''}: ${step.run}`] : []));
  assert.equal(runs, ['Install: pnpm install --frozen-lockfile', 'Lint: pnpm lint', 'Typecheck: pnpm typecheck', 'Test: pnpm test']);
});

test('CI: both images built with Buildx and the GitHub Actions cache; actions pinned to a version', () => {
  const { steps } = job('images');
  assert.ok(steps.some((step) => step.uses?.startsWith('docker/setup-buildx-action@')));
  assert.ok(steps.some((step) => step.run === 'docker compose config --quiet'));
  const builds = steps.filter((step) => step.uses?.startsWith('docker/build-push-action@'));
  assert.equal(builds.map((step) => step.with?.file).sort(), ['Dockerfile.api', 'Dockerfile.projector']);
  for (const build of builds) {
    assert.match(String(build.with?.['cache-from']), /^type=gha\b/);
    assert.match(String(build.with?.['cache-to']), /^type=gha\b/);
    assert.is(build.with?.push, false);
    assert.is(build.with?.context, '.');
  }
  const allUses = Object.values(workflow.jobs).flatMap((candidate) => candidate.steps.flatMap((step) => step.uses ?? []));
  for (const action of allUses) assert.match(action, /@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/, `${action} is not pinned`);
});

test('README: the Docker section names what starts, the ports, and the replay command of docker-compose.yml', () => {
  const readme = readRepoFile('README.md');
  const start = readme.indexOf('### Run with Docker');
  assert.ok(start !== -1, 'no "Run with Docker" section');
  const section = readme.slice(start, readme.indexOf('\n#', start + 1));
  assert.match(section, /docker compose up/);
  for (const port of ['3000', '8080', '5432', '19092', '9464', '9465']) assert.match(section, new RegExp(`\\| ${port} \\|`));
  const replay = (text: string) => /docker compose [^\n]*projector\/src\/replay\.ts[^\n]*/.exec(text)?.[0];
  assert.ok(replay(composeText));
  assert.is(replay(section), replay(composeText));
});

test.run();
