/**
 * node projector/src/bench/upsertStrategies.ts [DATABASE_URL_WITH_ROWS]
 *
 * Rows/s of the ways the projector could write one batch of item_appearances
 * (the widest projection), measured in one run on one machine so the ratios
 * mean something: jsonb_to_recordset (what upsertRows does), unnest of typed
 * arrays, COPY into a temp staging table then merge, and a raw COPY into an
 * unindexed table (the physical limit). Each upsert runs twice: into an empty
 * table (all inserts) and again with the same rows (all unchanged).
 * The rows come from an already-projected database (default proj_dev3).
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { createPool } from 'slonik';
import { itemAppearancesTable, type ItemAppearanceRow } from '../projections/itemAppearances.ts';
import { upsertRows } from '../upsert.ts';

const print = (line: string) => process.stdout.write(`${line}\n`);
const sourceUrl = process.argv[2] ?? 'postgres://postgres@127.0.0.1:5432/proj_dev3';
const columns = Object.keys(itemAppearancesTable.columns) as (keyof ItemAppearanceRow)[];
const types = itemAppearancesTable.columns;

const client = new pg.Client({ connectionString: sourceUrl });
await client.connect();
const { rows } = await client.query<ItemAppearanceRow>(`SELECT ${columns.join(', ')} FROM item_appearances ORDER BY kind, container_id, question_id`);
const batchSize = 5_000;
const batches: ItemAppearanceRow[][] = [];
for (let i = 0; i < rows.length; i += batchSize) batches.push(rows.slice(i, i + batchSize));

async function resetTable(name: string, indexed: boolean): Promise<void> {
  await client.query(`DROP TABLE IF EXISTS ${name}`);
  await client.query(`CREATE TABLE ${name} (LIKE item_appearances INCLUDING DEFAULTS ${indexed ? 'INCLUDING CONSTRAINTS INCLUDING INDEXES' : ''})`);
}

async function time(label: string, run: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await run();
  const seconds = (performance.now() - started) / 1000;
  const perSecond = Math.round(rows.length / seconds);
  print(`${label.padEnd(44)} ${String(rows.length).padStart(7)} rows  ${seconds.toFixed(2).padStart(6)} s  ${String(perSecond).padStart(8)} rows/s`);
  return perSecond;
}

const pgType = (column: keyof ItemAppearanceRow) => types[column];
const copyText = (value: unknown, type: string): string => {
  if (value === null || value === undefined) return '\\N';
  const text = type === 'jsonb' ? JSON.stringify(value) : type === 'text[]' ? `{${(value as string[]).map((v) => JSON.stringify(v)).join(',')}}` : `${value as string | number | boolean}`;
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
};
const contentColumns = columns.filter((c) => !['kind', 'container_id', 'question_id', 'kafka_topic', 'kafka_partition', 'kafka_offset'].includes(c));
const mergeSql = (target: string, staging: string) => `
  INSERT INTO ${target} AS t (${columns.join(', ')}, first_seen_at, last_seen_at)
  SELECT ${columns.join(', ')}, now(), now() FROM ${staging}
  ON CONFLICT (kind, container_id, question_id) DO UPDATE SET
    ${columns.filter((c) => !['kind', 'container_id', 'question_id'].includes(c)).map((c) => `${c} = EXCLUDED.${c}`).join(', ')}, last_seen_at = now()
  WHERE (${contentColumns.map((c) => `t.${c}`).join(', ')}) IS DISTINCT FROM (${contentColumns.map((c) => `EXCLUDED.${c}`).join(', ')})
  RETURNING (xmax = 0) AS inserted`;

async function copyInto(table: string, batch: ItemAppearanceRow[]): Promise<void> {
  const lines = batch.map((row) => `${columns.map((c) => copyText(row[c], pgType(c))).join('\t')}\n`);
  await pipeline(Readable.from(lines), client.query(copyStreams.from(`COPY ${table} (${columns.join(', ')}) FROM STDIN`)));
}

const pool = await createPool(sourceUrl, { maximumPoolSize: 1 });
const results: Record<string, number> = {};

await resetTable('bench_target', true);
const slonikTarget = { ...itemAppearancesTable, table: 'bench_target' };
results['jsonb_to_recordset insert'] = await time('jsonb_to_recordset upsert (slonik), inserts', async () => {
  for (const batch of batches) await pool.transaction((tx) => upsertRows(tx, slonikTarget, batch));
});
results['jsonb_to_recordset unchanged'] = await time('jsonb_to_recordset upsert (slonik), unchanged', async () => {
  for (const batch of batches) await pool.transaction((tx) => upsertRows(tx, slonikTarget, batch));
});

await resetTable('bench_target', true);
const unnestTypes = columns.map((c) => (pgType(c) === 'jsonb' ? 'text' : pgType(c) === 'text[]' ? 'text' : pgType(c) === 'double precision' ? 'float8' : pgType(c)));
const selectList = columns.map((c) => (pgType(c) === 'jsonb' ? `${c}::jsonb` : pgType(c) === 'text[]' ? `${c}::text[]` : c)).join(', ');
const unnestRun = async () => {
  for (const batch of batches) {
    const arrays = columns.map((c) =>
      batch.map((row) => {
        const value = row[c];
        if (value === null) return null;
        if (pgType(c) === 'jsonb') return JSON.stringify(value);
        if (pgType(c) === 'text[]') return `{${(value as string[]).map((v) => JSON.stringify(v)).join(',')}}`;
        return value;
      }),
    );
    const unnest = `unnest(${columns.map((_, i) => `$${String(i + 1)}::${unnestTypes[i] ?? 'text'}[]`).join(', ')})`;
    await client.query('BEGIN');
    await client.query(mergeSql('bench_target', `(SELECT ${selectList} FROM ${unnest} AS input(${columns.join(', ')})) AS input`), arrays);
    await client.query('COMMIT');
  }
};
results['unnest insert'] = await time('unnest typed arrays upsert (pg), inserts', unnestRun);
results['unnest unchanged'] = await time('unnest typed arrays upsert (pg), unchanged', unnestRun);

await resetTable('bench_target', true);
const recordDefinition = columns.map((c) => `${c} ${pgType(c)}`).join(', ');
const recordsetRun = async () => {
  for (const batch of batches) {
    await client.query('BEGIN');
    await client.query(mergeSql('bench_target', `jsonb_to_recordset($1::jsonb) AS input(${recordDefinition})`), [JSON.stringify(batch)]);
    await client.query('COMMIT');
  }
};
results['jsonb_to_recordset pg insert'] = await time('jsonb_to_recordset upsert (pg, JSON.stringify), inserts', recordsetRun);
results['jsonb_to_recordset pg unchanged'] = await time('jsonb_to_recordset upsert (pg, JSON.stringify), unchanged', recordsetRun);

await resetTable('bench_target', true);
const copyMergeRun = async () => {
  for (const batch of batches) {
    await client.query('BEGIN');
    await client.query('CREATE TEMP TABLE bench_staging (LIKE item_appearances INCLUDING DEFAULTS) ON COMMIT DROP');
    await copyInto('bench_staging', batch);
    await client.query(mergeSql('bench_target', 'bench_staging'));
    await client.query('COMMIT');
  }
};
results['copy+merge insert'] = await time('COPY into temp staging + merge (pg), inserts', copyMergeRun);
results['copy+merge unchanged'] = await time('COPY into temp staging + merge (pg), unchanged', copyMergeRun);

await resetTable('bench_raw', false);
results['raw copy'] = await time('raw COPY into an unindexed table (limit)', async () => {
  for (const batch of batches) await copyInto('bench_raw', batch);
});

await client.query('DROP TABLE IF EXISTS bench_target, bench_raw');
await pool.end();
await client.end();
const limit = results['raw copy'] ?? 1;
print('\nratio to raw COPY:');
for (const [name, perSecond] of Object.entries(results)) print(`  ${name.padEnd(30)} ${(perSecond / limit).toFixed(2)}`);
