/** Polling helpers for tests that wait on another connection or process (a NOTIFY, a cache, a metric). */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Registry } from 'prom-client';

/** Resolves once `condition` holds; throws `timed out waiting for <what>` after `timeoutMs`. */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** The value of a counter's sample with `label` = `value` (0 when it has none yet). */
export async function counterValue(registry: Registry, name: string, label: string, value: string): Promise<number> {
  const metric = await registry.getSingleMetric(name)?.get();
  return metric?.values.find((sample) => sample.labels[label] === value)?.value ?? 0;
}
