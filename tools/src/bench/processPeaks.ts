/**
 * The peak resident set and CPU time of every process the bench starts, each
 * on its own: ru_maxrss (measuredProcess.ts) gives only the largest process of
 * a tree, not which one. Walks the bench's descendants in /proc every interval
 * and keeps each process's VmHWM, the kernel's own per-process peak, and its
 * latest CPU seconds, so a reading can only miss what a process did in its
 * last interval before it exits. Processes outside the tree (the broker,
 * Postgres: cpuSampler.ts names them) can be followed too, for CPU only.
 */
import { readdir, readFile } from 'node:fs/promises';
import type { SampledCpu } from './cpuFigures.ts';
import { parseChildren, parseCpuSeconds, parseHighWaterBytes, peaksByLabel, processLabel, type ProcessPeak } from './processTree.ts';

export interface ProcessSampler {
  /** Takes a sample now: before the run closes a connection whose backend may never have been sampled. */
  sampleNow(): Promise<void>;
  /** Stops sampling: the largest peak per process name, largest first, and every process's CPU seconds. */
  stop(): Promise<{ peaks: ProcessPeak[]; cpu: SampledCpu[] }>;
}

/** A process outside the bench's tree to follow, named by the caller. */
export interface WatchedProcess {
  pid: number;
  label: string;
}

export interface ProcessSamplerOptions {
  intervalMs?: number;
  root?: number;
  /** Asked at every sample, since some (a database's backends) come and go; a process gone keeps its last reading. */
  watched?: () => Promise<WatchedProcess[]>;
}

export const readProc = (file: string) => readFile(file, 'utf8').catch(() => '');

export async function childrenOf(pid: number): Promise<number[]> {
  const tasks = await readdir(`/proc/${String(pid)}/task`).catch(() => [] as string[]);
  const lists = await Promise.all(tasks.map((task) => readProc(`/proc/${String(pid)}/task/${task}/children`)));
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

/** Resolves after the first sample, so the watched processes' CPU is counted from before the run starts. */
export async function startProcessSampler({ intervalMs = 200, root = process.pid, watched }: ProcessSamplerOptions = {}): Promise<ProcessSampler> {
  const peaks = new Map<number, ProcessPeak>();
  const cpu = new Map<number, SampledCpu>();
  let first = true;
  const readCpu = async (pid: number, label: string, countFromStart: boolean) => {
    const seconds = parseCpuSeconds(await readProc(`/proc/${String(pid)}/stat`));
    if (!Number.isFinite(seconds)) return;
    const known = cpu.get(pid);
    cpu.set(pid, { pid, label, baselineSeconds: known?.baselineSeconds ?? (countFromStart ? seconds : 0), lastSeconds: seconds });
  };
  const sample = async () => {
    for (const pid of await descendantsOf(root)) {
      const peakRssBytes = parseHighWaterBytes(await readProc(`/proc/${String(pid)}/status`));
      if (!Number.isFinite(peakRssBytes)) continue;
      // Read each time: `sh -c node …` becomes node by exec (and its peak starts again with the new image).
      const cmdline = await readProc(`/proc/${String(pid)}/cmdline`);
      const known = peaks.get(pid);
      const label = cmdline === '' ? (known?.label ?? '?') : processLabel(cmdline);
      peaks.set(pid, { pid, label, peakRssBytes: known?.label === label ? Math.max(known.peakRssBytes, peakRssBytes) : peakRssBytes });
      // The run starts its own processes: whatever they used before the first sample is the run's too.
      await readCpu(pid, label, false);
    }
    // A watched process seen first after the start (a new backend) started during the run.
    for (const { pid, label } of (await watched?.()) ?? []) await readCpu(pid, label, first);
    first = false;
  };
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  // Each sample starts an interval after the previous one ended, so a slow /proc never piles them up.
  const loop = async (): Promise<void> => {
    await sample();
    if (!stopped) timer = setTimeout(() => void (running = loop()), intervalMs);
  };
  let running = loop();
  await running;
  return {
    async sampleNow() {
      await running;
      await sample();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      await sample();
      return { peaks: peaksByLabel([...peaks.values()]), cpu: [...cpu.values()] };
    },
  };
}
