import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ImportResult } from './importBench.ts';
import { renderImportFloor } from './reportFloor.ts';

const MiB = 1024 * 1024;

function imported(scale: number, importSeconds: number, floorSeconds: number, replaySeconds: number, replayRss = 300 * MiB): ImportResult {
  const rows = scale * 20_000;
  return {
    scale,
    inputBytes: scale * 4 * MiB,
    run: { exitCode: 0, wallMs: importSeconds * 1000, peakRssBytes: 330 * MiB, userSeconds: 1, systemSeconds: 1, logFile: 'import.log' },
    report: { events: scale * 9000, read: scale * 9000, rejected: 0, rowsWritten: rows, elapsedMs: importSeconds * 1000 },
    rows,
    processes: [
      { label: 'projector', pid: 2, peakRssBytes: 330 * MiB },
      { label: 'importer', pid: 1, peakRssBytes: 300 * MiB },
    ],
    floor: { seconds: floorSeconds, rows, bytes: scale * 8 * MiB },
    replay: { seconds: replaySeconds, peakRssBytes: replayRss, checksumsEqual: true },
  };
}

test('nothing to render for imports measured before issue 16', () => {
  const { floor: _floor, replay: _replay, ...old } = imported(1, 10, 1, 1);
  assert.is(renderImportFloor([old]), '');
});

test('targets at 100×, the spread over 10×–300× and the largest process', () => {
  const text = renderImportFloor([imported(1, 10, 1, 9), imported(10, 20, 10, 12), imported(100, 140, 100, 130, 410 * MiB), imported(300, 420, 300, 380)]);
  assert.match(text, /import ÷ floor ≤ 1.5: met; rebuild ÷ floor ≤ 1.25: missed; RSS ≤ 384 MiB: missed/);
  assert.match(text, /over 10×, 100×, 300×\): import 43%/);
  assert.match(text, /target ≤ 15%: missed/);
  assert.match(text, /Largest process: replay at 100×, 410\.0 MiB/);
  assert.match(text, /\| 1× \| 20,000 \| 10\.00 s \| 1\.00 s \|/);
});

test('a run without 300× does not claim the spread target', () => {
  const text = renderImportFloor([imported(10, 20, 10, 12), imported(100, 140, 100, 110)]);
  assert.match(text, /this run does not span it/);
  assert.not.match(text, /target ≤ 15%: /);
});

test.run();
