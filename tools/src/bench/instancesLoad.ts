/**
 * The loads of the several-instances bench: autocannon against one or more
 * API processes at once (its connections split between them; GET or PATCH
 * over a set of users), and clients that race read-modify-write changes of
 * one user with If-Match, as the product's clients would.
 */
import autocannon from 'autocannon';
import { percentile } from './stats.ts';

export interface LoadTimes {
  seconds: number;
  /** Response time of every answer, ms. */
  times: number[];
  statuses: Record<string, number>;
  errors: number;
}

export interface LoadRequest {
  method: 'GET' | 'PATCH';
  /** The n-th request's path (and body, for PATCH). */
  path: (n: number) => string;
  body?: (n: number) => string;
}

/** `connections` in flight against each base for `seconds`, all bases at once. */
export async function autocannonLoad(bases: readonly string[], connections: number, seconds: number, token: string, request: LoadRequest): Promise<LoadTimes> {
  const merged: LoadTimes = { seconds, times: [], statuses: {}, errors: 0 };
  let next = 0;
  await Promise.all(
    bases.map(
      (url) =>
        new Promise<void>((resolve, reject) => {
          const instance = autocannon(
            {
              url,
              connections,
              duration: seconds,
              headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
              requests: [
                {
                  method: request.method,
                  setupRequest: (prepared) => {
                    const n = next;
                    next += 1;
                    return { ...prepared, path: request.path(n), ...(request.body ? { body: request.body(n) } : {}) };
                  },
                },
              ],
            },
            (error: unknown, result: autocannon.Result) => {
              if (error) {
                reject(error instanceof Error ? error : new Error('autocannon failed', { cause: error }));
                return;
              }
              merged.errors += result.errors;
              resolve();
            },
          );
          instance.on('response', (_client, statusCode, _bytes, responseTime) => {
            merged.times.push(responseTime);
            merged.statuses[String(statusCode)] = (merged.statuses[String(statusCode)] ?? 0) + 1;
          });
        }),
    ),
  );
  return merged;
}

/**
 * `clients` spread over the bases, each in a loop for `seconds`: GET the
 * user and its ETag, then PATCH its own counter in metadata + 1 with If-Match.
 * Times are the PATCHes'.
 */
export async function hotUserLoad(bases: readonly string[], clients: number, seconds: number, token: string, uid: string): Promise<LoadTimes> {
  const load: LoadTimes = { seconds, times: [], statuses: {}, errors: 0 };
  const until = Date.now() + seconds * 1000;
  const headers = { authorization: `Bearer ${token}` };
  const client = async (index: number) => {
    const base = bases[index % bases.length] ?? '';
    const name = `bench-client-${String(index)}`;
    while (Date.now() < until) {
      try {
        const read = await fetch(`${base}/users/${uid}`, { headers });
        const profile = (await read.json()) as { metadata: Record<string, number> | null };
        const metadata = { ...profile.metadata, [name]: (profile.metadata?.[name] ?? 0) + 1 };
        const started = performance.now();
        const changed = await fetch(`${base}/users/${uid}`, {
          method: 'PATCH',
          headers: { ...headers, 'content-type': 'application/json', 'if-match': read.headers.get('etag') ?? '*' },
          body: JSON.stringify({ metadata }),
        });
        await changed.arrayBuffer();
        load.times.push(performance.now() - started);
        load.statuses[String(changed.status)] = (load.statuses[String(changed.status)] ?? 0) + 1;
      } catch {
        load.errors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, index) => client(index)));
  return load;
}

export interface LoadFigures {
  /** Answers per second, any status. */
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  statuses: Record<string, number>;
  errors: number;
}

export function figuresOf(load: LoadTimes): LoadFigures {
  return {
    perSecond: load.times.length / load.seconds,
    p50Ms: percentile(load.times, 50),
    p99Ms: percentile(load.times, 99),
    statuses: load.statuses,
    errors: load.errors,
  };
}
