/**
 * Open-loop load (issue 16): requests arrive on a fixed schedule, the i-th at
 * start + i / rate, whether or not earlier ones were answered, over a mix of
 * routes; each latency is measured from the request's scheduled time, so time
 * spent waiting for a socket or for a slow earlier answer counts (no
 * coordinated omission). autocannon's `overallRate` is not used: its clients
 * send the next request only when the previous one is answered, up to a
 * per-connection budget per second (node_modules/autocannon/lib/httpClient.js),
 * and time each request from when it was written: a closed loop with a cap.
 */
import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { percentile } from './stats.ts';

export interface OpenLoopTarget {
  route: string;
  path: string;
}

export interface OpenLoopOptions {
  base: string;
  /** Taken in turn, one request each. */
  targets: readonly OpenLoopTarget[];
  ratePerSecond: number;
  durationSeconds: number;
  /** Sockets the generator may open; more requests than this wait (and that wait is measured). */
  maxSockets: number;
  headers: Record<string, string>;
}

export interface OpenLoopRoute {
  route: string;
  responses: number;
  p50Ms: number;
  p99Ms: number;
}

export interface OpenLoopResult {
  targetRate: number;
  durationSeconds: number;
  maxSockets: number;
  scheduled: number;
  /** Responses (any status) per second, from the start to the last answer (at least the scheduled duration). */
  achievedRate: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  non2xx: number;
  /** Requests that failed: refused, reset, or not answered within 10 s of getting a socket. */
  errors: number;
  /** Requests still waiting (for a socket or an answer) 11 s after the last was due: the run gave up on them (absent from the first runs, which missed them). */
  unanswered?: number;
  /** The most requests outstanding at once (sent or waiting for a socket). */
  maxInFlight: number;
  /** How late requests got a socket (p99 of that time − scheduled time): the generator's own lag plus any wait for a socket, part of the latencies. */
  sendLagP99Ms: number;
  routes: OpenLoopRoute[];
}

const REQUEST_TIMEOUT_MS = 10_000;

/** The scheduled time (ms after start) of request `index` at `ratePerSecond`. */
export function scheduledAt(index: number, ratePerSecond: number): number {
  return (index * 1000) / ratePerSecond;
}

/** How many requests are due by `elapsedMs` after start, never more than the run holds. */
export function dueBy(elapsedMs: number, ratePerSecond: number, total: number): number {
  return Math.min(total, Math.floor((elapsedMs * ratePerSecond) / 1000) + 1);
}

export async function runOpenLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets });
  const total = Math.round(options.ratePerSecond * options.durationSeconds);
  const latencies: number[] = [];
  const byRoute = new Map(options.targets.map((target) => [target.route, [] as number[]]));
  const sendLags: number[] = [];
  let non2xx = 0;
  let errors = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let sent = 0;
  const start = performance.now();
  let lastAnswer = start;

  const fire = (index: number) => {
    const target = options.targets[index % options.targets.length];
    if (!target) return;
    const due = start + scheduledAt(index, options.ratePerSecond);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const done = (status: number | undefined) => {
      inFlight -= 1;
      if (status === undefined) {
        errors += 1;
        return;
      }
      const latency = performance.now() - due;
      if (status < 200 || status > 299) non2xx += 1;
      latencies.push(latency);
      lastAnswer = performance.now();
      byRoute.get(target.route)?.push(latency);
    };
    const outgoing = request(`${options.base}${target.path}`, { agent, headers: options.headers, timeout: REQUEST_TIMEOUT_MS }, (response) => {
      response.resume();
      response.once('end', () => {
        done(response.statusCode);
      });
      response.once('error', () => {
        done(undefined);
      });
    });
    outgoing.once('socket', () => {
      sendLags.push(performance.now() - due);
    });
    outgoing.once('timeout', () => outgoing.destroy(new Error('timed out')));
    outgoing.once('error', () => {
      done(undefined);
    });
    outgoing.end();
  };

  while (sent < total) {
    const due = dueBy(performance.now() - start, options.ratePerSecond, total);
    for (; sent < due; sent += 1) fire(sent);
    await sleep(1);
  }
  const deadline = performance.now() + REQUEST_TIMEOUT_MS + 1000;
  while (inFlight > 0 && performance.now() < deadline) await sleep(5);
  const result: OpenLoopResult = {
    targetRate: options.ratePerSecond,
    durationSeconds: options.durationSeconds,
    maxSockets: options.maxSockets,
    scheduled: total,
    achievedRate: (latencies.length * 1000) / Math.max(lastAnswer - start, options.durationSeconds * 1000),
    p50Ms: percentile(latencies, 50),
    p90Ms: percentile(latencies, 90),
    p99Ms: percentile(latencies, 99),
    p999Ms: percentile(latencies, 99.9),
    maxMs: percentile(latencies, 100),
    non2xx,
    errors,
    unanswered: inFlight,
    maxInFlight,
    sendLagP99Ms: percentile(sendLags, 99),
    routes: [...byRoute].map(([route, times]) => ({ route, responses: times.length, p50Ms: percentile(times, 50), p99Ms: percentile(times, 99) })),
  };
  agent.destroy();
  return result;
}
