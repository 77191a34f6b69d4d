/**
 * A sampling profile of what a database's sessions are doing: every
 * `intervalMs`, pg_stat_activity is read for the database, and each active
 * session counts one sample for its statement (normalized: the first words
 * of its text) and what it waits on. Samples in which no session was active
 * are the time the client spent elsewhere (its own CPU, Kafka, the network).
 */
import pg from 'pg';

export interface ActivityProfile {
  samples: number;
  intervalMs: number;
  /** Samples with no active session of the database. */
  idleSamples: number;
  statements: { statement: string; samples: number; waits: Record<string, number> }[];
}

export interface ActivitySampler {
  stop(): Promise<ActivityProfile>;
}

const STATEMENT_CHARS = 90;

export async function startActivitySampler(adminUrl: string, database: string, intervalMs = 100): Promise<ActivitySampler> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  const statements = new Map<string, { samples: number; waits: Map<string, number> }>();
  let samples = 0;
  let idleSamples = 0;
  const state = { running: true };
  const loop = (async () => {
    while (state.running) {
      const started = performance.now();
      const result = await client.query<{ query: string; wait: string | null }>(
        `SELECT query, wait_event_type || ':' || wait_event AS wait FROM pg_stat_activity
         WHERE datname = $1 AND state = 'active' AND pid <> pg_backend_pid()`,
        [database],
      );
      samples += 1;
      if (result.rows.length === 0) idleSamples += 1;
      for (const row of result.rows) {
        const statement = normalize(row.query);
        const entry = statements.get(statement) ?? { samples: 0, waits: new Map<string, number>() };
        entry.samples += 1;
        const wait = row.wait ?? 'CPU';
        entry.waits.set(wait, (entry.waits.get(wait) ?? 0) + 1);
        statements.set(statement, entry);
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, intervalMs - (performance.now() - started))));
    }
  })();
  return {
    async stop() {
      state.running = false;
      await loop;
      await client.end();
      return {
        samples,
        intervalMs,
        idleSamples,
        statements: [...statements.entries()]
          .map(([statement, entry]) => ({ statement, samples: entry.samples, waits: Object.fromEntries(entry.waits) }))
          .sort((a, b) => b.samples - a.samples),
      };
    },
  };
}

/** The statement's first words, whitespace collapsed: enough to tell the projector's statements apart. */
export function normalize(query: string): string {
  const text = query.replace(/\s+/g, ' ').trim();
  return text.length > STATEMENT_CHARS ? `${text.slice(0, STATEMENT_CHARS)}…` : text;
}
