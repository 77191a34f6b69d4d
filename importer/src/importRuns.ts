/** import_runs: one row per `pnpm run import`, with its status and, once finished, its report. */
import { sql, type CommonQueryMethods } from 'slonik';
import { z } from 'zod';

const runId = z.object({ id: z.number() });
const noRows = z.object({});

export async function startImportRun(connection: CommonQueryMethods, dataDir: string, topicPrefix: string): Promise<number> {
  const { id } = await connection.one(sql.type(runId)`
    INSERT INTO import_runs (data_dir, topic_prefix) VALUES (${dataDir}, ${topicPrefix})
    RETURNING id::int AS id`);
  return id;
}

export async function finishImportRun(
  connection: CommonQueryMethods,
  id: number,
  outcome: { status: 'succeeded' | 'failed'; report?: object; error?: string },
): Promise<void> {
  await connection.query(sql.type(noRows)`
    UPDATE import_runs
    SET finished_at = now(), status = ${outcome.status},
        report = ${outcome.report === undefined ? null : sql.jsonb(outcome.report as never)},
        error = ${outcome.error ?? null}
    WHERE id = ${id}`);
}
