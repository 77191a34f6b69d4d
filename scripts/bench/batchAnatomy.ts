/**
 * Where one batch's time goes, on the server: the table is first filled with
 * every row but the last batch (COPY + merge), then the last batch is
 * measured several times, each in a transaction that is rolled back:
 *
 *   input   how long Postgres takes to receive and parse the batch in each
 *           form: one jsonb document (jsonb_to_recordset), typed arrays
 *           (unnest), COPY text into a temporary staging table;
 *   write   EXPLAIN (ANALYZE, BUFFERS, WAL) execution time and WAL of the
 *           statement that writes the batch: the jsonb upsert (the statement
 *           bench's jsonbRecordset sends), the merge from staging (upsertRows), a plain INSERT from
 *           staging into the same table (its key and indexes, no conflict
 *           clause), and one into an unindexed twin of it. The table is
 *           vacuumed before each, so no step pays for another's dead rows.
 */
import type { TableSpec } from '../../projector/src/upsert.ts';
import { createBenchDatabase } from './benchDatabase.ts';
import { chunks, median } from './stats.ts';
import { batchConnectionOf } from '../../projector/src/batchWriter.ts';
import { copyRows } from '../../projector/src/copyRows.ts';
import { parameterValue } from '../../projector/src/copyValues.ts';
import { columnValue, tableColumns, type TableColumns } from '../../projector/src/tableSpec.ts';
import { upsertRows } from '../../projector/src/upsert.ts';
import { columnDefinitions, columnList, conflictClause, insertHead, quoteIdentifier } from '../../projector/src/upsertSql.ts';
import { openPgSession } from './strategies/pgSession.ts';
import type { PgClient } from './projectorDeps.ts';

export interface AnatomyStep {
  step: string;
  /** Median over the repetitions, client-side wall time. */
  wallMs: number;
  /** From EXPLAIN ANALYZE (write steps only). */
  executionMs?: number;
  walRecords?: number;
  walBytes?: number;
}

export interface BatchAnatomy {
  table: string;
  batchRows: number;
  tableRowsBefore: number;
  repetitions: number;
  steps: AnatomyStep[];
}

const REPETITIONS = 5;
const ARRAY_ELEMENT: Readonly<Record<string, string>> = { integer: 'int4', bigint: 'int8', boolean: 'bool', 'double precision': 'float8', 'text[]': 'text' };

export async function batchAnatomy(adminUrl: string, spec: TableSpec<object>, rows: readonly object[], batchSize: number): Promise<BatchAnatomy> {
  const cut = Math.max(0, rows.length - batchSize);
  const batch = rows.slice(cut);
  const database = await createBenchDatabase(adminUrl, 'anatomy');
  const session = await openPgSession(database.url);
  try {
    const { client } = session;
    const columns = tableColumns(spec);
    for (const earlier of chunks(rows.slice(0, cut), batchSize)) {
      await session.transaction((transaction) => upsertRows(batchConnectionOf(transaction), spec, earlier));
    }
    await client.query(`CREATE TABLE unindexed_twin (${columnDefinitions(columns)}, first_seen_at timestamptz, last_seen_at timestamptz)`);
    await client.query(`CREATE TEMPORARY TABLE staging (${columnDefinitions(columns)})`);
    await client.query(`CREATE TEMPORARY TABLE staging_input (${columnDefinitions(columns)})`);
    await client.query('ANALYZE');

    const json = JSON.stringify(batch);
    const arrays = columns.all.map((column) => batch.map((row) => parameterValue(columns.typeOf(column), columnValue(row, column))));
    const record = `AS input(${columns.all.map((column) => `${quoteIdentifier(column)} ${columns.typeOf(column)}`).join(', ')})`;
    const unnestTypes = columns.all.map((column, index) => `$${String(index + 1)}::${ARRAY_ELEMENT[columns.typeOf(column)] ?? columns.typeOf(column)}[]`);
    const fromStaging = `SELECT ${columnList(columns.all)}, now(), now() FROM staging`;
    const table = quoteIdentifier(spec.table);

    await copyRows(client, 'staging', columns, batch);
    const upsertStatement = upsertFromJsonb(columns, record);
    // Every step runs once per repetition, in turn, so a change in the machine's load falls on all of them alike.
    const steps: Step[] = [
      input('input: jsonb document → jsonb_to_recordset', () =>
        client.query(`SELECT count(*) FROM jsonb_to_recordset($1::jsonb) ${record}`, [json]),
      ),
      input('input: typed arrays → unnest', () => client.query(`SELECT count(*) FROM unnest(${unnestTypes.join(', ')})`, arrays)),
      input('input: COPY text → temporary staging table', async () => {
        await copyRows(client, 'staging_input', columns, batch);
        await client.query('TRUNCATE staging_input');
      }),
      write(client, table, 'write: jsonb_to_recordset upsert (as upsertRowsJsonb)', upsertStatement, [json]),
      write(client, table, 'write: merge from staging (COPY + merge)', `${insertHead(columns)} ${fromStaging} ${conflictClause(columns)}`),
      write(client, table, 'write: INSERT from staging, same table, no conflict clause', `${insertHead(columns)} ${fromStaging}`),
      write(
        client,
        table,
        'write: INSERT from staging into an unindexed twin',
        `INSERT INTO unindexed_twin (${columnList(columns.all)}, first_seen_at, last_seen_at) ${fromStaging}`,
      ),
    ];
    const measured = steps.map(() => ({ walls: [] as number[], executions: [] as number[], wal: { records: Number.NaN, bytes: Number.NaN } }));
    for (let repetition = 0; repetition < REPETITIONS; repetition += 1) {
      for (const [index, step] of steps.entries()) {
        const into = measured[index];
        if (!into) continue;
        const outcome = await step.run();
        into.walls.push(outcome.wallMs);
        if (outcome.executionMs !== undefined) into.executions.push(outcome.executionMs);
        if (outcome.wal) into.wal = outcome.wal;
      }
    }
    const results: AnatomyStep[] = steps.map((step, index) => {
      const { walls, executions, wal } = measured[index] ?? { walls: [], executions: [], wal: { records: Number.NaN, bytes: Number.NaN } };
      return executions.length > 0
        ? { step: step.name, wallMs: median(walls), executionMs: median(executions), walRecords: wal.records, walBytes: wal.bytes }
        : { step: step.name, wallMs: median(walls) };
    });
    return { table: spec.table, batchRows: batch.length, tableRowsBefore: rows.length - batch.length, repetitions: REPETITIONS, steps: results };
  } finally {
    await session.close();
    await database.drop();
  }
}

function upsertFromJsonb(columns: TableColumns, record: string): string {
  return `${insertHead(columns)} SELECT ${columnList(columns.all)}, now(), now() FROM jsonb_to_recordset($1::jsonb) ${record} ${conflictClause(columns)}`;
}

interface StepOutcome {
  wallMs: number;
  executionMs?: number;
  wal?: { records: number; bytes: number };
}

interface Step {
  name: string;
  run(): Promise<StepOutcome>;
}

function input(name: string, work: () => Promise<unknown>): Step {
  return {
    name,
    async run() {
      const started = performance.now();
      await work();
      return { wallMs: performance.now() - started };
    },
  };
}

interface ExplainNode {
  'Execution Time'?: number;
  Plan?: { 'WAL Records'?: number; 'WAL Bytes'?: number };
}

/** The statement under EXPLAIN (ANALYZE, BUFFERS, WAL) in a transaction rolled back, after a VACUUM of the table. */
function write(client: PgClient, table: string, name: string, statement: string, values: unknown[] = []): Step {
  return {
    name,
    async run() {
      await client.query(`VACUUM ${table}`);
      await client.query('BEGIN');
      try {
        const started = performance.now();
        const result = await client.query<{ 'QUERY PLAN': ExplainNode[] }>(`EXPLAIN (ANALYZE, BUFFERS, WAL, FORMAT JSON) ${statement}`, values);
        const wallMs = performance.now() - started;
        const plan = result.rows[0]?.['QUERY PLAN'][0];
        return {
          wallMs,
          executionMs: plan?.['Execution Time'] ?? Number.NaN,
          wal: { records: plan?.Plan?.['WAL Records'] ?? Number.NaN, bytes: plan?.Plan?.['WAL Bytes'] ?? Number.NaN },
        };
      } finally {
        await client.query('ROLLBACK');
      }
    },
  };
}
