/**
 * A service's `GET /metrics` (Prometheus text format) on a port of its own,
 * METRICS_PORT: Prometheus scrapes every instance there, directly, apart
 * from the traffic port a load balancer fronts, and the port is left out of
 * what is exposed to clients. Nothing else is served; the registry (the
 * service's own prom-client one) is read on every scrape.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from './logger.ts';

/** What a prom-client Registry offers a scrape. */
export interface MetricsSource {
  readonly contentType: string;
  metrics(): Promise<string>;
}

export interface MetricsServer {
  /** The port it listens on (the one given, or the one the OS chose for 0). */
  port: number;
  close(): Promise<void>;
}

export async function startMetricsServer({ port, source, logger }: { port: number; source: MetricsSource; logger: Logger }): Promise<MetricsServer> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(path === '/metrics' ? 405 : 404, { 'content-type': 'text/plain' }).end(path === '/metrics' ? 'GET only\n' : 'only /metrics here\n');
      return;
    }
    source.metrics().then(
      (text) => {
        response.writeHead(200, { 'content-type': source.contentType, 'cache-control': 'no-store' }).end(request.method === 'HEAD' ? undefined : text);
      },
      (error: unknown) => {
        logger.warn({ err: error }, 'metrics could not be collected');
        response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics could not be collected\n');
      },
    );
  });
  server.keepAliveTimeout = 65_000; // longer than Prometheus' default scrape interval, so connections are reused
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const listening = (server.address() as AddressInfo).port;
  logger.info({ port: listening }, 'metrics on /metrics');
  return {
    port: listening,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}
