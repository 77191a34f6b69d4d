/**
 * The peak resident set of every process the bench starts, each on its own:
 * ru_maxrss (measuredProcess.ts) gives only the largest process of a tree,
 * not which one. Walks the bench's descendants in /proc every interval and
 * keeps each process's VmHWM, the kernel's own per-process peak, so a reading
 * can only miss growth in a process's last interval before it exits.
 */
import { readdir, readFile } from 'node:fs/promises';
import { parseChildren, parseHighWaterBytes, peaksByLabel, processLabel, type ProcessPeak } from './processTree.ts';

export interface ProcessPeakSampler {
  /** Stops sampling; the largest peak per process name, largest first. */
  stop(): Promise<ProcessPeak[]>;
}

const read = (file: string) => readFile(file, 'utf8').catch(() => '');

async function childrenOf(pid: number): Promise<number[]> {
  const tasks = await readdir(`/proc/${String(pid)}/task`).catch(() => [] as string[]);
  const lists = await Promise.all(tasks.map((task) => read(`/proc/${String(pid)}/task/${task}/children`)));
  return lists.flatMap(parseChildren);
}

async function descendantsOf(root: number): Promise<number[]> {
  const found: number[] = [];
  let frontier = [root];
  while (frontier.length > 0) {
    const next = (await Promise.all(frontier.map(childrenOf))).flat();
    found.push(...next);
    frontier = next;
  }
  return found;
}

export function startProcessPeakSampler(intervalMs = 200, root = process.pid): ProcessPeakSampler {
  const peaks = new Map<number, ProcessPeak>();
  const sample = async () => {
    for (const pid of await descendantsOf(root)) {
      const peakRssBytes = parseHighWaterBytes(await read(`/proc/${String(pid)}/status`));
      if (!Number.isFinite(peakRssBytes)) continue;
      // Read each time: `sh -c node …` becomes node by exec (and its peak starts again with the new image).
      const cmdline = await read(`/proc/${String(pid)}/cmdline`);
      const known = peaks.get(pid);
      const label = cmdline === '' ? (known?.label ?? '?') : processLabel(cmdline);
      peaks.set(pid, { pid, label, peakRssBytes: known?.label === label ? Math.max(known.peakRssBytes, peakRssBytes) : peakRssBytes });
    }
  };
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  // Each sample starts an interval after the previous one ended, so a slow /proc never piles them up.
  const loop = async (): Promise<void> => {
    await sample();
    if (!stopped) timer = setTimeout(() => void (running = loop()), intervalMs);
  };
  let running = loop();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      await sample();
      return peaksByLabel([...peaks.values()]);
    },
  };
}
