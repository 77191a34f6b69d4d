/** The projection part of docs/BENCHMARKS.md: a table per scale and table, and the verdict. */
import { markdownTable } from './markdownTable.ts';
import {
  DEFAULT_STRATEGY,
  TARGET_SHARE_OF_RAW_COPY,
  TARGET_TIMES_NAIVE,
  checksumsAgree,
  fastestUpsert,
  strategyFigures,
  type StrategyFigures,
} from './projectionFigures.ts';
import type { BenchResults } from './results.ts';
import { formatCount, formatDuration, formatPercent, formatRatio } from './stats.ts';

const check = (ok: boolean) => (ok ? '✓' : '✗');

export function renderProjection(results: BenchResults): string {
  if (results.projection.length === 0) return '';
  const sections = results.projection.flatMap(({ scale, result }) => [
    `#### ${String(scale)}× (rows loaded in ${formatDuration(result.loadMs)}; ${String(result.rounds)} round(s); ${formatCount(result.batchSize)} rows per transaction)`,
    '',
    ...result.tables.flatMap((table) => {
      const figures = strategyFigures(table);
      const { agree, checked } = checksumsAgree(table);
      return [
        `**${table.table}**: ${formatCount(table.rowsUnique)} rows (${formatCount(table.rowsMapped)} mapped, deduplicated by key). ` +
          `Content checksums of the ${String(checked)} strategies that wrote every row: ${agree ? 'all equal ✓' : 'DIFFER ✗'}.`,
        '',
        projectionTable(figures),
        '',
        verdict(figures),
        '',
      ];
    }),
  ]);
  return [
    '### 2. Projection write strategies, on the same rows',
    '',
    'Rows are made as the real path makes them: the generated exports through the producers\' streaming reader and pure source mappers, ' +
      'each event through the codec (encode, decode), then the projector\'s pure row mappers; deduplicated by key. ' +
      'Each strategy writes into its own freshly migrated database, one transaction per batch; the strategies are interleaved batch by batch ' +
      '(so a change in this shared machine\'s load hits them alike). Pass 1: every row is new. Pass 2: the same rows again, all unchanged (a re-import). ' +
      'rows/s = rows ÷ median time over the rounds; the range is the slowest and fastest round. Every upsert returns the keys of the rows it changed ' +
      '(the projector needs them). Raw COPY appends the rows again on pass 2 (it has no key).',
    '',
    ...results.projection[0]?.result.tables[0]?.strategies.map((result) => `- **${result.strategy}**: ${result.description}`) ?? [],
    '',
    ...sections,
  ].join('\n');
}

function projectionTable(figures: readonly StrategyFigures[]): string {
  const rows = figures.map((figure) => {
    const [first, second] = figure.passes;
    const name = figure.strategy === DEFAULT_STRATEGY ? `${figure.strategy} (default)` : figure.strategy;
    const rowsNote = figure.sampled ? `${formatCount(figure.rows)} (sample)` : formatCount(figure.rows);
    const range = (pass: typeof first) =>
      Number.isFinite(pass.minRowsPerSecond) && pass.minRowsPerSecond !== pass.maxRowsPerSecond
        ? `${formatCount(pass.minRowsPerSecond)}–${formatCount(pass.maxRowsPerSecond)}`
        : '';
    return [
      name,
      rowsNote,
      formatCount(first.rowsPerSecond),
      range(first),
      formatRatio(first.timesNaive),
      formatPercent(first.shareOfRawCopy),
      formatCount(second.rowsPerSecond),
      range(second),
      formatRatio(second.timesNaive),
      formatPercent(second.shareOfRawCopy),
    ];
  });
  return markdownTable(
    ['strategy', 'rows', 'pass 1 rows/s', 'range', '÷ naive', '÷ raw COPY', 'pass 2 rows/s', 'range', '÷ naive', '÷ raw COPY'],
    rows,
    [1, 2, 3, 4, 5, 6, 7, 8, 9],
  );
}

function verdict(figures: readonly StrategyFigures[]): string {
  const current = figures.find((figure) => figure.strategy === DEFAULT_STRATEGY);
  const best = fastestUpsert(figures);
  if (!current) return '';
  const [first] = current.passes;
  const meets = first.timesNaive >= TARGET_TIMES_NAIVE && first.shareOfRawCopy >= TARGET_SHARE_OF_RAW_COPY;
  const lines = [
    `Default path (${DEFAULT_STRATEGY}), pass 1: ${formatRatio(first.timesNaive)} naive ${check(first.timesNaive >= TARGET_TIMES_NAIVE)} (target ≥ ${String(TARGET_TIMES_NAIVE)}×), ` +
      `${formatPercent(first.shareOfRawCopy)} of raw COPY ${check(first.shareOfRawCopy >= TARGET_SHARE_OF_RAW_COPY)} (target ≥ ${formatPercent(TARGET_SHARE_OF_RAW_COPY)})${meets ? '.' : ': target missed.'}`,
  ];
  if (best && best.strategy !== DEFAULT_STRATEGY) {
    lines.push(
      `Fastest upsert: ${best.strategy}, ${formatRatio(best.passes[0].rowsPerSecond / first.rowsPerSecond)} the default on pass 1 ` +
        `and ${formatRatio(best.passes[1].rowsPerSecond / current.passes[1].rowsPerSecond)} on pass 2 ` +
        `(${formatRatio(best.passes[0].timesNaive)} naive, ${formatPercent(best.passes[0].shareOfRawCopy)} of raw COPY).`,
    );
  }
  return lines.join(' ');
}
