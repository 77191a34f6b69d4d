/**
 * What every write strategy of the projection bench implements: open a
 * session on a migrated database, write batches of rows (unique by key) into
 * a projection table, report what happened to them, close.
 */
import type { TableSpec } from '@medly/projector/tableWriter';
import type { UpsertCounts } from '@medly/projector/upsertCounts';

export type StrategyId = 'naive' | 'values' | 'unnest' | 'copyMerge' | 'rawCopy';

export interface StrategySession {
  /** Writes one batch of rows, unique by the spec's key, in its own transaction (naive: one per row). */
  write<Row extends object>(spec: TableSpec<Row>, rows: readonly Row[]): Promise<UpsertCounts>;
  close(): Promise<void>;
}

export interface WriteStrategy {
  id: StrategyId;
  /** One line for the report: what the strategy sends to Postgres. */
  description: string;
  open(databaseUrl: string): Promise<StrategySession>;
}
