/**
 * A Kafka broker of the test's own (DESIGN §7: fault tests never stop the
 * shared broker): scripts/stack.sh with its own STACK_DIR, broker and
 * controller ports and a small heap. The test may stop, start and restart it;
 * its log directory survives a restart, as a real broker's does.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { freePorts } from './freePort.ts';

const run = promisify(execFile);
const STACK_SCRIPT = resolve(import.meta.dirname, '../../../scripts/stack.sh');

export interface PrivateKafka {
  /** host:port, for KAFKA_BROKERS. */
  broker: string;
  start(): Promise<void>;
  /** SIGTERM and wait for the broker to exit (a controlled shutdown). */
  stop(): Promise<void>;
  restart(): Promise<void>;
  log(): Promise<string>;
  destroy(): Promise<void>;
}

export async function startPrivateKafka(label: string, options: { heap?: string } = {}): Promise<PrivateKafka> {
  const stackDir = await mkdtemp(join(tmpdir(), `medly-kafka-${label.replace(/[^a-z0-9_-]/gi, '_')}-`));
  const [port, controllerPort] = await freePorts(2);
  if (port === undefined || controllerPort === undefined) throw new Error('no free ports');
  const env = {
    ...process.env,
    STACK_DIR: stackDir,
    KAFKA_PORT: String(port),
    // A broker only: the stack's Schema Registry is the shared one's business.
    REGISTRY_PORT: 'off',
    KAFKA_CONTROLLER_PORT: String(controllerPort),
    KAFKA_HEAP: options.heap ?? '256m',
  };
  const stack = async (command: 'up' | 'down') => {
    try {
      await run('bash', [STACK_SCRIPT, command], { env, timeout: 180_000 });
    } catch (error) {
      const { stderr = '' } = error as { stderr?: string };
      const log = await readFile(join(stackDir, 'kafka.log'), 'utf8').catch(() => '');
      throw new Error(`stack.sh ${command} (private broker on :${port}) failed: ${stderr}\n${log.slice(-2000)}`, { cause: error });
    }
  };
  let up = false;
  const instance: PrivateKafka = {
    broker: `127.0.0.1:${port}`,
    async start() {
      await stack('up');
      up = true;
    },
    async stop() {
      await stack('down');
      up = false;
    },
    async restart() {
      await instance.stop();
      await instance.start();
    },
    log: () => readFile(join(stackDir, 'kafka.log'), 'utf8').catch(() => ''),
    async destroy() {
      if (up) await instance.stop().catch(() => undefined);
      await rm(stackDir, { recursive: true, force: true });
    },
  };
  try {
    await instance.start();
  } catch (error) {
    await rm(stackDir, { recursive: true, force: true });
    throw error;
  }
  return instance;
}
