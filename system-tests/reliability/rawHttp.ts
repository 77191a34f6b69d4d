/**
 * One HTTP request with the request line exactly as given: fetch() would
 * resolve `..` segments and re-encode the path before sending, hiding what a
 * hostile client really sends. Bodies of any size go out in chunks, with or
 * without a Content-Length, and sending stops once the server has answered
 * (as curl does): a server may refuse a large body (413) before reading it.
 */
import { request, type ClientRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface RawRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Send the body with Transfer-Encoding: chunked (no Content-Length). */
  chunked?: boolean;
}

const CHUNK_BYTES = 16 * 1024;

export function rawRequest(baseUrl: string, path: string, options: RawRequest = {}): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  const body = options.body === undefined ? undefined : Buffer.from(options.body);
  return new Promise((resolve, reject) => {
    let answered = false;
    const outgoing = request(
      { host: hostname, port, method: options.method ?? 'GET', path, headers: options.headers, agent: false },
      (response) => {
        answered = true;
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') });
        });
        response.on('error', reject);
      },
    );
    // A write error after the answer (the server closed a connection it had refused) is expected.
    outgoing.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (body === undefined) {
      outgoing.end();
      return;
    }
    if (options.chunked) outgoing.setHeader('transfer-encoding', 'chunked');
    else outgoing.setHeader('content-length', body.length);
    void sendBody(outgoing, body, () => answered);
  });
}

async function sendBody(outgoing: ClientRequest, body: Buffer, answered: () => boolean): Promise<void> {
  const stopped = () => answered() || outgoing.destroyed;
  outgoing.flushHeaders();
  for (let start = 0; start < body.length; start += CHUNK_BYTES) {
    // A turn of the event loop between chunks lets an early answer be read before more is written.
    await sleep(1);
    if (stopped()) return;
    if (!outgoing.write(body.subarray(start, start + CHUNK_BYTES))) {
      await new Promise<void>((resolve) => {
        const done = () => {
          outgoing.off('drain', done);
          outgoing.off('close', done);
          resolve();
        };
        outgoing.once('drain', done);
        outgoing.once('close', done);
      });
    }
  }
  if (!stopped()) outgoing.end();
}
