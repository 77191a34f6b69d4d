/**
 * `pnpm replay`: rebuilds every projection from the topics. It catches up
 * first and takes the content checksums, empties the projections, their
 * stats and the group's checkpoints in one transaction, projects again from
 * the earliest offsets, and compares the checksums: equal, or exit 1.
 *
 * A projector running meanwhile is harmless: the reset holds the group's
 * advisory lock, and a running consumer whose next batch starts past the
 * (now empty) checkpoint is told to seek back (see applyBatch).
 */
import { sql, type CommonQueryMethods } from 'slonik';
import { configOf, loadConfig } from '@medly/shared/config';
import { createDatabasePool } from '@medly/shared/db';
import { createLogger, type Logger } from '@medly/shared/logger';
import { projectorGroupId } from '@medly/shared/progress';
import { catchUp, type CatchUpOptions } from './catchUp.ts';
import { differingTables, projectionChecksums, REPLAYED_TABLES, type ProjectionTable, type TableChecksum } from './checksums.ts';
import { noRows } from './noRows.ts';

/** Empties the projections, projection_stats and the group's checkpoints, all or nothing. */
async function resetProjections(connection: CommonQueryMethods, group: string): Promise<void> {
  await connection.query(sql.type(noRows)`SELECT pg_advisory_xact_lock(hashtext(${group}))`);
  await connection.query(sql.type(noRows)`
    TRUNCATE ${sql.join([...REPLAYED_TABLES, 'projection_stats'].map((table) => sql.identifier([table])), sql.fragment`, `)}`);
  await connection.query(sql.type(noRows)`DELETE FROM checkpoints WHERE consumer_group = ${group}`);
}

export interface ReplayResult {
  before: Record<ProjectionTable, TableChecksum>;
  after: Record<ProjectionTable, TableChecksum>;
  differing: ProjectionTable[];
  elapsedMs: number;
  /** From the reset to caught up again: the rebuild itself, without the checksum passes. */
  rebuildMs: number;
}

export async function replay(options: CatchUpOptions): Promise<ReplayResult> {
  const started = Date.now();
  const group = options.group ?? projectorGroupId(options.topicPrefix);
  const pool = await createDatabasePool(options.databaseUrl);
  try {
    await catchUp(options);
    const before = await projectionChecksums(pool);
    const resetAt = Date.now();
    await pool.transaction((tx) => resetProjections(tx, group));
    options.logger.info({ group }, 'projections and checkpoints emptied; rebuilding from the earliest offsets');
    await catchUp(options);
    const rebuildMs = Date.now() - resetAt;
    options.logger.info({ rebuildMs }, 'projections rebuilt; comparing checksums');
    const after = await projectionChecksums(pool);
    return { before, after, differing: differingTables(before, after), elapsedMs: Date.now() - started, rebuildMs };
  } finally {
    await pool.end();
  }
}

function printResult(result: ReplayResult, logger: Logger): void {
  const lines = REPLAYED_TABLES.map((table) => {
    const { rows, checksum } = result.after[table];
    const same = result.differing.includes(table) ? `DIFFERS (was ${String(result.before[table].rows)} rows, ${result.before[table].checksum})` : 'same';
    return `${table.padEnd(18)} ${String(rows).padStart(8)} rows  ${checksum}  ${same}`;
  });
  process.stdout.write(`${lines.join('\n')}\n`);
  logger.info({ elapsedMs: result.elapsedMs, rebuildMs: result.rebuildMs, differing: result.differing }, 'replay finished');
}

if (import.meta.main) {
  const config = loadConfig(configOf('DATABASE_URL', 'KAFKA_BROKERS', 'TOPIC_PREFIX', 'TOPIC_PARTITIONS', 'LOG_LEVEL'));
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'replay' });
  try {
    const result = await replay({
      databaseUrl: config.DATABASE_URL,
      kafkaBrokers: config.KAFKA_BROKERS,
      topicPrefix: config.TOPIC_PREFIX,
      topicPartitions: config.TOPIC_PARTITIONS,
      logger,
    });
    printResult(result, logger);
    if (result.differing.length > 0) process.exitCode = 1;
  } catch (error) {
    logger.fatal({ err: error }, 'replay failed');
    process.exitCode = 1;
  }
}
