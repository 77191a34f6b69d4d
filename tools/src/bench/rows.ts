/**
 * The rows the projection bench writes, made the way the real path makes
 * them: the generated exports are read by the producers' streaming reader and
 * pure source mappers, each event goes through the event codec (encode, then
 * decode, as it would cross Kafka), and the projector's pure row mappers turn
 * the envelopes into rows. Rows are deduplicated by key (last wins, as the
 * projector does inside a batch), so every strategy receives the same unique rows.
 */
import { createJsonCodec } from '@medly/shared/codec';
import { topicName, type TopicId } from '@medly/shared/topics';
import { discoverSourceFiles } from '@medly/producers/discover';
import { mapSourceFile } from '@medly/producers/mapSourceFile';
import type { EnvelopeOf } from '@medly/projector/envelope';
import { attemptRows, attemptsTable, type AttemptRow } from '@medly/projector/projections/attempts';
import { itemAppearanceRows, itemAppearancesTable, type ItemAppearanceRow } from '@medly/projector/projections/itemAppearances';
import { dedupeByKey } from '@medly/projector/dedupeByKey';
import type { TableSpec } from '@medly/projector/tableWriter';

export interface BenchTable<Row extends object> {
  spec: TableSpec<Row>;
  rows: readonly Row[];
  /** Rows mapped before deduplication by key. */
  mapped: number;
}

export interface BenchRows {
  itemAppearances: BenchTable<ItemAppearanceRow>;
  attempts: BenchTable<AttemptRow>;
}

const BENCH_TOPIC_PREFIX = 'bench.';

export async function loadBenchRows(dataDir: string): Promise<BenchRows> {
  const codec = createJsonCodec();
  const files = await discoverSourceFiles(dataDir, ['practices', 'exams', 'users']);
  const appearances: ItemAppearanceRow[] = [];
  const attempts: AttemptRow[] = [];
  const offsets = new Map<TopicId, number>();
  const positionFor = (topicId: TopicId) => {
    const offset = offsets.get(topicId) ?? 0;
    offsets.set(topicId, offset + 1);
    return { topic: topicName(BENCH_TOPIC_PREFIX, topicId), partition: 0, offset };
  };

  const now = new Date().toISOString();
  const seen = { importedAt: now, firstSeenAt: now, entityFirstSeenAt: now };
  for (const file of [...files.values()].flat()) {
    for await (const mapped of mapSourceFile(file, { onBytes: () => undefined, importStartedAt: Date.now() })) {
      for (const outgoing of mapped.events) {
        if (outgoing.topic === 'itemAppearances') {
          const event = await codec.decode('itemAppearances', await codec.encode('itemAppearances', outgoing.event));
          const envelope: EnvelopeOf<'itemAppearances'> = { topicId: 'itemAppearances', event, position: positionFor('itemAppearances'), seen };
          appearances.push(...itemAppearanceRows([envelope]));
        } else if (outgoing.topic === 'attempts') {
          const event = await codec.decode('attempts', await codec.encode('attempts', outgoing.event));
          const envelope: EnvelopeOf<'attempts'> = { topicId: 'attempts', event, position: positionFor('attempts'), seen };
          attempts.push(...attemptRows([envelope]));
        }
      }
    }
  }
  return {
    itemAppearances: { spec: itemAppearancesTable, rows: dedupeByKey(appearances, itemAppearancesTable.key), mapped: appearances.length },
    attempts: { spec: attemptsTable, rows: dedupeByKey(attempts, attemptsTable.key), mapped: attempts.length },
  };
}
