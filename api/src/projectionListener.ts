/**
 * One dedicated Postgres connection that LISTENs on `medly_projection`, where
 * the database announces every committed change of a curriculum table
 * (migration 0006; DECISIONS.md record 23), and on `medly_users`, where it
 * announces the uid of every user whose attempts or profile changed (the
 * empty string: every user; migration 0007, record 24). It reports four
 * things: a table change, a user change, listening (LISTEN is in place: from
 * now on no change goes unheard), and lost (the connection failed: changes
 * may go unheard until it is back).
 *
 * A lost connection is opened again with a growing, jittered delay. A
 * connection that fails silently (a half-open TCP connection) is caught by a
 * ping on the same connection every `pingMs`, bounded by `pingTimeoutMs`: a
 * change can go unheard for at most about that long.
 */
import pg from 'pg';
import type { Logger } from '@medly/shared/logger';

export const PROJECTION_CHANNEL = 'medly_projection';
export const USERS_CHANNEL = 'medly_users';

export interface ProjectionListenerOptions {
  databaseUrl: string;
  logger: Logger;
  onChange: (table: string) => void;
  /** A user's rows changed; '' when every user's may have (a TRUNCATE). */
  onUserChange?: (uid: string) => void;
  onListening: (listening: boolean) => void;
  pingMs?: number;
  pingTimeoutMs?: number;
  /** First reconnection delay; doubles up to maxBackoffMs. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

export interface ProjectionListener {
  start(): void;
  stop(): Promise<void>;
  /** The server process of the current connection (tests terminate it), or undefined when not listening. */
  readonly backendPid: number | undefined;
}

export function createProjectionListener(options: ProjectionListenerOptions): ProjectionListener {
  const { databaseUrl, logger, onChange, onUserChange, onListening, pingMs = 5_000, pingTimeoutMs = 3_000, minBackoffMs = 100, maxBackoffMs = 5_000 } = options;
  let client: pg.Client | undefined;
  let backendPid: number | undefined;
  let stopped = false;
  let failures = 0;
  let retry: NodeJS.Timeout | undefined;
  let ping: NodeJS.Timeout | undefined;

  function lose(lost: pg.Client, error: unknown): void {
    if (lost !== client) return;
    client = undefined;
    backendPid = undefined;
    clearInterval(ping);
    onListening(false);
    lost.removeAllListeners('notification');
    lost.on('error', () => undefined);
    void lost.end().catch(() => undefined);
    if (stopped) return;
    failures += 1;
    const delay = Math.min(maxBackoffMs, minBackoffMs * 2 ** (failures - 1)) * (0.5 + Math.random() / 2);
    logger.warn({ err: error, retryInMs: Math.round(delay) }, 'projection listener lost its connection; the response caches are bypassed');
    retry = setTimeout(connect, delay);
  }

  function connect(): void {
    if (stopped) return;
    const next = new pg.Client({ connectionString: databaseUrl, keepAlive: true, connectionTimeoutMillis: 5_000, application_name: 'medly-api-listener' });
    client = next;
    next.on('error', (error) => {
      lose(next, error);
    });
    next.on('end', () => {
      lose(next, new Error('the listener\'s connection ended'));
    });
    next.on('notification', (message) => {
      if (message.channel === PROJECTION_CHANNEL) onChange(message.payload ?? '');
      else if (message.channel === USERS_CHANNEL) onUserChange?.(message.payload ?? '');
    });
    void (async () => {
      await next.connect();
      await next.query(`LISTEN ${PROJECTION_CHANNEL}; LISTEN ${USERS_CHANNEL}`);
      const { rows } = await next.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      if (next !== client) return;
      backendPid = rows[0]?.pid;
      failures = 0;
      // LISTEN is in place: every change committed from now on is heard; what came before may not have been.
      onListening(true);
      logger.info('projection listener listening');
      ping = setInterval(() => {
        const timer = setTimeout(() => {
          lose(next, new Error('the listener\'s ping timed out'));
        }, pingTimeoutMs);
        next.query('SELECT 1').then(
          () => {
            clearTimeout(timer);
          },
          (error: unknown) => {
            clearTimeout(timer);
            lose(next, error);
          },
        );
      }, pingMs);
      ping.unref();
    })().catch((error: unknown) => {
      lose(next, error);
    });
  }

  return {
    start() {
      stopped = false;
      connect();
    },
    async stop() {
      stopped = true;
      clearTimeout(retry);
      clearInterval(ping);
      const current = client;
      client = undefined;
      backendPid = undefined;
      if (current) {
        onListening(false);
        current.removeAllListeners();
        current.on('error', () => undefined);
        await current.end().catch(() => undefined);
      }
    },
    get backendPid() {
      return backendPid;
    },
  };
}
