/**
 * pnpm test:containers [FILTER…]
 *
 * The test harness's other path (shared/src/testing/services.ts): with no
 * KAFKA_BROKERS, DATABASE_URL or TEST_SCHEMA_REGISTRY_URL, the tests start
 * their broker (with its Schema Registry) and database as containers through
 * testcontainers. Here podman serves the Docker API on a socket of ours; Ryuk
 * cannot be pulled, so it is disabled (the harness stops its containers), and
 * containers are reached only through ports published on 127.0.0.1. The
 * images are the locally built stand-ins (TEST_CONTAINER_IMAGES=local).
 * Without FILTERs it runs a few integration test files that need all three
 * services; ends with the test runner's `N passed, M failed`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { assertPodmanWorks, podmanEnvironment, startPodmanService } from './engine.ts';

const repoRoot = join(import.meta.dirname, '..', '..');
const DEFAULT_FILES = ['shared/src/kafka.int.test.ts', 'shared/src/db.int.test.ts', 'system-tests/registry/registryMode.int.test.ts'];
const files = process.argv.slice(2).length > 0 ? process.argv.slice(2) : DEFAULT_FILES;

assertPodmanWorks();
const images = spawnSync('bash', ['scripts/containers/images.sh', '--standins'], { cwd: repoRoot, env: podmanEnvironment, stdio: 'inherit' });
if (images.status !== 0) throw new Error('the stand-in images did not build');

const service = await startPodmanService();
const { KAFKA_BROKERS: _brokers, DATABASE_URL: _database, TEST_SCHEMA_REGISTRY_URL: _registry, ...rest } = podmanEnvironment;
const env = {
  ...rest,
  DOCKER_HOST: service.dockerHost,
  TESTCONTAINERS_RYUK_DISABLED: 'true',
  TESTCONTAINERS_HOST_OVERRIDE: '127.0.0.1',
  TEST_CONTAINER_IMAGES: 'local',
};
const status = await new Promise<number>((resolve) => {
  spawn(process.execPath, ['scripts/test.ts', ...files], { cwd: repoRoot, env, stdio: 'inherit' }).once('close', (code) => {
    resolve(code ?? 1);
  });
});
await service.stop();
process.exitCode = status;
