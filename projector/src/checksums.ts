/**
 * A content checksum per projection table: md5 over the sorted md5s of its
 * rows as JSON, without the volatile provenance (which Kafka offset last
 * wrote a row: a compacted topic may hold a later copy of the same event).
 * Two databases built from the same events in any order, or rebuilt by a
 * replay, have equal checksums, the times a record was first seen included
 * (the events carry them). Two imports of one export at different times
 * differ only in those times: compare them `withSeenTimes: false`.
 */
import { sql, type CommonQueryMethods } from 'slonik';
import { z } from 'zod';

export const PROJECTION_TABLES = [
  'subjects',
  'units',
  'topics',
  'lessons',
  'papers',
  'questions',
  'items',
  'item_appearances',
  'item_lessons',
  'practice_banks',
  'users',
  'attempts',
  'rejections',
] as const;

/** What a replay empties and rebuilds: the projections the report counts, and each source's latest snapshot. */
export const REPLAYED_TABLES = [...PROJECTION_TABLES, 'source_snapshots'] as const;
export type ProjectionTable = (typeof REPLAYED_TABLES)[number];

const VOLATILE_COLUMNS = ['kafka_topic', 'kafka_partition', 'kafka_offset'] as const;
/** When a record was seen: true to the events, but different for two imports of one export. */
const SEEN_COLUMNS = ['first_seen_at', 'item_first_seen_at', 'user_first_seen_at', 'taken_at'] as const;

export interface ChecksumOptions {
  /** Include the times records were first seen (default true: a replay must reproduce them). */
  withSeenTimes?: boolean;
}

export interface TableChecksum {
  rows: number;
  checksum: string;
}

const checksumRow = z.object({ rows: z.number(), checksum: z.string() });

export async function tableChecksum(connection: CommonQueryMethods, table: ProjectionTable, options: ChecksumOptions = {}): Promise<TableChecksum> {
  const volatile = sql.array([...VOLATILE_COLUMNS, ...(options.withSeenTimes === false ? SEEN_COLUMNS : [])], 'text');
  return connection.one(sql.type(checksumRow)`
    SELECT count(*)::int AS rows, md5(coalesce(string_agg(row_hash, '' ORDER BY row_hash), '')) AS checksum
    FROM (SELECT md5((to_jsonb(t) - ${volatile})::text) AS row_hash FROM ${sql.identifier([table])} t) hashed`);
}

export async function projectionChecksums(connection: CommonQueryMethods, options: ChecksumOptions = {}): Promise<Record<ProjectionTable, TableChecksum>> {
  const entries: [ProjectionTable, TableChecksum][] = [];
  for (const table of REPLAYED_TABLES) entries.push([table, await tableChecksum(connection, table, options)]);
  return Object.fromEntries(entries) as Record<ProjectionTable, TableChecksum>;
}

/** The tables whose checksums differ between two readings (of every replayed table, or of those given). */
export function differingTables(
  a: Record<ProjectionTable, TableChecksum>,
  b: Record<ProjectionTable, TableChecksum>,
  tables: readonly ProjectionTable[] = REPLAYED_TABLES,
): ProjectionTable[] {
  return tables.filter((table) => a[table].checksum !== b[table].checksum || a[table].rows !== b[table].rows);
}
