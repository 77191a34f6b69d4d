/**
 * What docker-compose.yml must hold to beyond its JSON Schema, as a list of
 * problems (empty when all is well): dependencies that exist and can be met,
 * pinned images, and environments made only of variables that the receiving
 * program reads, with values it accepts.
 */
import { interpolate } from './interpolate.ts';
import { isPinned, parseImageReference } from './images.ts';

/** The parts of a Compose file read here; the JSON Schema has already vouched for the shapes. */
export interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition: string }>;
  healthcheck?: { test?: unknown; disable?: boolean };
  restart?: string;
  ports?: unknown[];
  volumes?: unknown[];
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

export interface ComposeRules {
  /** Variables the project's own programs read (the keys of the config schema). */
  configKeys: ReadonlySet<string>;
  /** Parses a service environment as the programs do; returns its problems. */
  configProblems: (environment: Record<string, string>) => string[];
  /** Variables each third-party image documents, by repository. */
  imageVariables: Readonly<Record<string, readonly string[]>>;
  /** The variables Compose would interpolate with (shell and .env). */
  variables: Readonly<Record<string, string | undefined>>;
}

/** Values every service of ours must agree on, or they would talk past each other. */
const SHARED_WIRING = ['DATABASE_URL', 'KAFKA_BROKERS', 'SCHEMA_REGISTRY_URL', 'TOPIC_PREFIX'];

export function composeProblems(compose: ComposeFile, rules: ComposeRules): string[] {
  const problems: string[] = [];
  const services = compose.services;
  const builtImages = new Set(
    Object.values(services).flatMap((service) => (service.build !== undefined && service.image ? [service.image] : [])),
  );
  const ours = (service: ComposeService) => service.build !== undefined || (service.image !== undefined && builtImages.has(service.image));

  for (const [name, service] of Object.entries(services)) {
    for (const [dependency, condition] of dependencies(service)) {
      const target = services[dependency];
      if (!target) {
        problems.push(`${name}: depends on ${dependency}, which is not a service`);
      } else if (condition === 'service_healthy' && (!target.healthcheck?.test || target.healthcheck.disable)) {
        problems.push(`${name}: waits for ${dependency} to be healthy, but ${dependency} has no healthcheck`);
      } else if (condition === 'service_completed_successfully' && (target.restart ?? 'no') !== 'no') {
        problems.push(`${name}: waits for ${dependency} to complete, but ${dependency} restarts (${String(target.restart)})`);
      }
    }

    if (service.image === undefined && service.build === undefined) problems.push(`${name}: neither image nor build`);
    if (service.image !== undefined && !ours(service) && !isPinned(service.image)) {
      problems.push(`${name}: image ${service.image} is not pinned to a version`);
    }
    if (service.image !== undefined && ours(service) && parseImageReference(service.image).tag === 'latest') {
      problems.push(`${name}: image ${service.image} uses the latest tag`);
    }

    const environment = environmentOf(service);
    if (ours(service)) {
      for (const key of Object.keys(environment)) {
        if (!rules.configKeys.has(key)) problems.push(`${name}: ${key} is not a variable of the config schema`);
      }
      const resolved = resolveEnvironment(environment, rules.variables);
      problems.push(...rules.configProblems(resolved).map((problem) => `${name}: ${problem}`));
    } else if (service.image !== undefined) {
      const repository = parseImageReference(service.image).repository;
      const documented = rules.imageVariables[repository];
      if (!documented) {
        if (Object.keys(environment).length > 0) problems.push(`${name}: no list of the variables ${repository} documents`);
      } else {
        for (const key of Object.keys(environment)) {
          if (!documented.includes(key)) problems.push(`${name}: ${key} is not a documented variable of ${repository}`);
        }
      }
    }
  }

  const ourServices = Object.entries(services).filter(([, service]) => ours(service));
  for (const key of SHARED_WIRING) {
    const values = new Set(ourServices.map(([, service]) => resolveEnvironment(environmentOf(service), rules.variables)[key]));
    if (values.size > 1) problems.push(`services disagree on ${key}: ${[...values].map(String).join(' / ')}`);
  }

  const cycle = findCycle(services);
  if (cycle) problems.push(`dependency cycle: ${cycle.join(' → ')}`);
  return problems;
}

export function dependencies(service: ComposeService): [string, string][] {
  const dependsOn = service.depends_on ?? [];
  return Array.isArray(dependsOn)
    ? dependsOn.map((name) => [name, 'service_started'])
    : Object.entries(dependsOn).map(([name, { condition }]) => [name, condition]);
}

/** The environment as a map; a key without a value is null (taken from the shell, or unset). */
export function environmentOf(service: ComposeService): Record<string, string | null> {
  const environment = service.environment ?? {};
  if (Array.isArray(environment)) {
    return Object.fromEntries(
      environment.map((entry) => {
        const equals = entry.indexOf('=');
        return equals === -1 ? [entry, null] : [entry.slice(0, equals), entry.slice(equals + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, value === null ? null : String(value)]));
}

/** What the container would see: values interpolated, keys without a value taken from the variables or dropped. */
export function resolveEnvironment(
  environment: Record<string, string | null>,
  variables: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const resolved: Record<string, string> = {};
  for (const [key, value] of Object.entries(environment)) {
    const result = value === null ? variables[key] : interpolate(value, variables);
    if (result !== undefined) resolved[key] = result;
  }
  return resolved;
}

function findCycle(services: Record<string, ComposeService>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]): string[] | undefined => {
    if (state.get(name) === 'visiting') return [...path.slice(path.indexOf(name)), name];
    if (state.get(name) === 'done' || !services[name]) return undefined;
    state.set(name, 'visiting');
    for (const [dependency] of dependencies(services[name])) {
      const cycle = visit(dependency, [...path, name]);
      if (cycle) return cycle;
    }
    state.set(name, 'done');
    return undefined;
  };
  for (const name of Object.keys(services)) {
    const cycle = visit(name, []);
    if (cycle) return cycle;
  }
  return undefined;
}
