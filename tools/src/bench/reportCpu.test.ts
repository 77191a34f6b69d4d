import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CpuBreakdown } from './cpuFigures.ts';
import type { ImportResult } from './importBench.ts';
import { partiesOf, renderImportCpu } from './reportCpu.ts';

function breakdown(seconds: Record<string, number>, wallSeconds: number): CpuBreakdown {
  const totalSeconds = Object.values(seconds).reduce((sum, value) => sum + value, 0);
  return { wallSeconds, seconds, totalSeconds, coresBusy: totalSeconds / wallSeconds, machineIdle: 0.1, machineBusySeconds: totalSeconds + 1 };
}

function imported(cpu?: CpuBreakdown): ImportResult {
  return {
    scale: 10,
    inputBytes: 1,
    run: { exitCode: 0, wallMs: 10_000, peakRssBytes: 1, userSeconds: 1, systemSeconds: 1, logFile: 'import.log' },
    report: { events: 1, read: 1, rejected: 0, rowsWritten: 1, elapsedMs: 1 },
    rows: 1,
    ...(cpu === undefined ? {} : { cpu }),
    floor: { seconds: 2, rows: 1, bytes: 1, cpu: breakdown({ bench: 0.5, postgres: 1.5 }, 2) },
  };
}

test('nothing to render for imports measured before the CPU table', () => {
  assert.is(renderImportCpu([imported()]), '');
});

test('parties in reading order, unknown ones after', () => {
  assert.equal(partiesOf([breakdown({ postgres: 1, zeta: 1, importer: 1 }, 1), breakdown({ broker: 1, bench: 1 }, 1)]), ['importer', 'bench', 'broker', 'postgres', 'zeta']);
});

test('one table per scale: import, replay (not run: a dash), floor', () => {
  const text = renderImportCpu([imported(breakdown({ importer: 4, projector: 3, broker: 1, postgres: 2 }, 8))]);
  assert.match(text, /\*\*10×\*\*/);
  assert.match(text, /\| importer \(producers in-process\) \| 4\.00 s \(40%\) \| — \| — \|/);
  assert.match(text, /\| Postgres backends of the database \| 2\.00 s \(20%\) \| — \| 1\.50 s \(75%\) \|/);
  assert.match(text, /\| \*\*total CPU\*\* \| \*\*10\.00 s\*\* \| — \| \*\*2\.00 s\*\* \|/);
  assert.match(text, /\| total ÷ floor's total \| 5\.0× \| — \| 1\.0× \|/);
  assert.match(text, /\| cores busy \(CPU ÷ wall\) \| 1\.25 \| — \| 1\.00 \|/);
});

test.run();
