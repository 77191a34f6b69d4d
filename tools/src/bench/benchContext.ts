/** What every part of the bench needs: where the services are, where files go, how to log. */
import { join } from 'node:path';

export interface BenchContext {
  /** A database the bench may create throwaway databases from (DATABASE_URL). */
  adminUrl: string;
  kafkaBrokers: string[];
  /** `<dataRoot>/medly-<K>` holds the K× generated exports. */
  dataRoot: string;
  /** This run's folder for logs, child reports and results.json. */
  runDir: string;
  log: (message: string) => void;
}

export function dataDirOf(context: BenchContext, scale: number): string {
  return join(context.dataRoot, `medly-${String(scale)}`);
}

/** The environment of a child process: the parent's, with the bench's services and overrides. */
export function childEnv(context: BenchContext, overrides: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, KAFKA_BROKERS: context.kafkaBrokers.join(','), LOG_LEVEL: 'info', ...overrides };
}
