/**
 * A container engine for the compose smoke and the testcontainers run, on our
 * machines (DESIGN §7): podman with runc and explicit ulimits
 * (containers.conf beside this file, through CONTAINERS_CONF) and its
 * Docker-compatible API on a socket of our own, for docker-compose and
 * testcontainers. Elsewhere (`--images official`), the Docker engine that is
 * already there.
 *
 * Podman runs healthchecks from systemd timers; without systemd a container's
 * health stays `starting` and every `condition: service_healthy` waits
 * forever, so `driveHealthchecks` runs them every few seconds instead.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const containersConf = join(import.meta.dirname, 'containers.conf');

/** The environment every podman command of ours runs with. */
export const podmanEnvironment: NodeJS.ProcessEnv = { ...process.env, CONTAINERS_CONF: containersConf };

export interface PodmanService {
  /** unix:///…/podman.sock, for DOCKER_HOST. */
  dockerHost: string;
  stop(): Promise<void>;
}

/** Fails with what to install when podman cannot run a container here. */
export function assertPodmanWorks(): void {
  const version = spawnSync('podman', ['--version'], { env: podmanEnvironment, encoding: 'utf8' });
  if (version.error || version.status !== 0) {
    throw new Error('no container engine: podman is not installed (apt-get install podman runc docker-compose debootstrap)');
  }
  const info = spawnSync('podman', ['info', '--format', '{{.Host.OCIRuntime.Name}}'], { env: podmanEnvironment, encoding: 'utf8' });
  if (info.status !== 0) throw new Error(`podman cannot run here: ${info.stderr.trim()}`);
}

/** `podman system service` on a socket in a fresh folder; stopped (and the folder removed) by `stop`. */
export async function startPodmanService(): Promise<PodmanService> {
  const folder = mkdtempSync(join(tmpdir(), 'medly-podman-'));
  const socket = join(folder, 'podman.sock');
  const child = spawn('podman', ['system', 'service', '--time=0', `unix://${socket}`], {
    env: podmanEnvironment,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => { resolve(); }));
  const deadline = Date.now() + 20_000;
  while (!existsSync(socket)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`podman system service did not start: ${stderr.trim()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    dockerHost: `unix://${socket}`,
    async stop() {
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** Runs the healthcheck of every running container with the label every few seconds, until stopped. */
export function driveHealthchecks(label: string, intervalMs = 3_000): { stop(): void } {
  let stopped = false;
  const tick = async () => {
    try {
      const { stdout } = await run('podman', ['ps', '--filter', `label=${label}`, '--filter', 'status=running', '--format', '{{.ID}} {{.Status}}'], {
        env: podmanEnvironment,
      });
      const withHealth = stdout
        .split('\n')
        .filter((line) => /\((starting|healthy|unhealthy)\)/.test(line))
        .map((line) => line.split(' ')[0] ?? '');
      // A failing check is the container's state, not an error of ours.
      await Promise.all(withHealth.map((id) => run('podman', ['healthcheck', 'run', id], { env: podmanEnvironment }).catch(() => undefined)));
    } catch {
      // podman busy or the container just went: try again on the next tick.
    }
    if (!stopped) timer = setTimeout(() => void tick(), intervalMs);
  };
  let timer = setTimeout(() => void tick(), 0);
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
