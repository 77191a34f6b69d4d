/**
 * The figures of issue 16 (items 1 and 4) from one import result: how far the
 * import and a replay are from the write floor (a plain COPY of the same final
 * rows into a freshly migrated database), the cost per row, and how flat that
 * cost stays across scales. Pure, so the report and the charts agree.
 */
const MiB = 1024 * 1024;

export const FLOOR_TARGETS = {
  /** At this scale the ratios are held to their targets. */
  scale: 100,
  importOverFloor: 1.5,
  replayOverFloor: 1.25,
  peakRssBytes: 384 * MiB,
  /** max ÷ min − 1 of the import's µs per row, from 10× to 300×. */
  costSpread: 0.15,
  spreadFrom: 10,
  spreadTo: 300,
} as const;

export interface FloorInput {
  scale: number;
  rows: number;
  run: { wallMs: number };
  floor?: { seconds: number; rows: number; bytes: number };
  replay?: { seconds: number; rebuildSeconds?: number };
}

/** a ÷ b, NaN when either is missing or b is not positive. */
export function ratioOf(a: number | undefined, b: number | undefined): number {
  if (a === undefined || b === undefined || !(b > 0)) return Number.NaN;
  return a / b;
}

/** Microseconds per row, NaN without rows. */
export function microsPerRow(seconds: number, rows: number | undefined): number {
  return rows !== undefined && rows > 0 ? (seconds * 1e6) / rows : Number.NaN;
}

/** max ÷ min − 1 over the finite values; NaN with fewer than two. */
export function spreadOf(values: readonly number[]): number {
  const finite = values.filter((value) => Number.isFinite(value) && value > 0);
  if (finite.length < 2) return Number.NaN;
  return Math.max(...finite) / Math.min(...finite) - 1;
}

export interface FloorFigures {
  importSeconds: number;
  importOverFloor: number;
  replayOverFloor: number;
  importMicrosPerRow: number;
  floorMicrosPerRow: number;
}

export function floorFigures(result: FloorInput): FloorFigures {
  const importSeconds = result.run.wallMs / 1000;
  return {
    importSeconds,
    importOverFloor: ratioOf(importSeconds, result.floor?.seconds),
    // The rebuild (reset to caught up) against the floor; the checksum passes around it are verification, not writing.
    replayOverFloor: ratioOf(result.replay?.rebuildSeconds ?? result.replay?.seconds, result.floor?.seconds),
    importMicrosPerRow: microsPerRow(importSeconds, result.rows),
    floorMicrosPerRow: result.floor ? microsPerRow(result.floor.seconds, result.floor.rows) : Number.NaN,
  };
}

export interface CostSpread {
  /** The scales it was taken over (those of the run between 10× and 300×). */
  scales: number[];
  import: number;
  floor: number;
}

/** The spread of the cost per row over the scales between 10× and 300× the run has. */
export function costSpread(results: readonly FloorInput[]): CostSpread {
  const inRange = results.filter((result) => result.scale >= FLOOR_TARGETS.spreadFrom && result.scale <= FLOOR_TARGETS.spreadTo);
  const figures = inRange.map(floorFigures);
  return {
    scales: inRange.map((result) => result.scale),
    import: spreadOf(figures.map((figure) => figure.importMicrosPerRow)),
    floor: spreadOf(figures.map((figure) => figure.floorMicrosPerRow)),
  };
}
