/**
 * A content checksum per projection table: md5 over the sorted md5s of its
 * rows as JSON, without the volatile provenance (when a row was seen, and
 * which Kafka offset last wrote it). Two databases built from the same events
 * in any order, or rebuilt by a replay, have equal checksums.
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
export type ProjectionTable = (typeof PROJECTION_TABLES)[number];

const VOLATILE_COLUMNS = ['first_seen_at', 'last_seen_at', 'kafka_topic', 'kafka_partition', 'kafka_offset'] as const;

export interface TableChecksum {
  rows: number;
  checksum: string;
}

const checksumRow = z.object({ rows: z.number(), checksum: z.string() });

export async function tableChecksum(connection: CommonQueryMethods, table: ProjectionTable): Promise<TableChecksum> {
  const volatile = sql.array([...VOLATILE_COLUMNS], 'text');
  return connection.one(sql.type(checksumRow)`
    SELECT count(*)::int AS rows, md5(coalesce(string_agg(row_hash, '' ORDER BY row_hash), '')) AS checksum
    FROM (SELECT md5((to_jsonb(t) - ${volatile})::text) AS row_hash FROM ${sql.identifier([table])} t) hashed`);
}

export async function projectionChecksums(connection: CommonQueryMethods): Promise<Record<ProjectionTable, TableChecksum>> {
  const entries: [ProjectionTable, TableChecksum][] = [];
  for (const table of PROJECTION_TABLES) entries.push([table, await tableChecksum(connection, table)]);
  return Object.fromEntries(entries) as Record<ProjectionTable, TableChecksum>;
}

/** The tables whose checksums differ between two readings. */
export function differingTables(
  a: Record<ProjectionTable, TableChecksum>,
  b: Record<ProjectionTable, TableChecksum>,
): ProjectionTable[] {
  return PROJECTION_TABLES.filter((table) => a[table].checksum !== b[table].checksum || a[table].rows !== b[table].rows);
}
