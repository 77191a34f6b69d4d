/**
 * The bare floor beside the API (issue 16): `node:http` and a `pg` Pool, no
 * framework, no auth, no validation of params or rows. It answers
 * /users/<id>, /papers/<paperId> and /items/<questionID> with the API's own
 * statements (apiFloorQueries.ts), run in parallel as the routes run them, as
 * named prepared statements on a pool of the API's size (10), the API's
 * settings (shared/src/db.ts); the rows go out through JSON.stringify.
 * What the API spends above this is its framework, auth, validation and
 * logging. Run by the API bench as its own process:
 *
 *   DATABASE_URL=… PORT=… node tools/src/bench/apiFloorServer.ts
 */
import { createHash } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import pg from 'pg';
import { boundValues, floorRoutes, type FloorStatement } from './apiFloorQueries.ts';

const API_POOL_SIZE = 10;

const databaseUrl = process.env.DATABASE_URL;
const port = Number(process.env.PORT);
if (!databaseUrl || !(port > 0)) throw new Error('apiFloorServer needs DATABASE_URL and PORT');

const routes = new Map((await floorRoutes()).map((route) => [route.prefix, route]));
const pool = new pg.Pool({ connectionString: databaseUrl, max: API_POOL_SIZE });
const statementName = (text: string) => `f${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
const names = new Map([...routes.values()].flatMap((route) => route.statements.map((statement) => [statement, statementName(statement.text)] as const)));

async function run(statement: FloorStatement, id: string): Promise<unknown> {
  const result = await pool.query({ name: names.get(statement), text: statement.text, values: boundValues(statement, id) });
  return statement.rows === 'one' ? (result.rows[0] ?? null) : result.rows;
}

function send(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

const server = createServer((request, response) => {
  const [, prefix = '', encodedId = '', extra] = (request.url ?? '').split('?', 1)[0]?.split('/') ?? [];
  const route = routes.get(prefix);
  if (request.method === 'GET' && prefix === 'health') {
    send(response, 200, '{"status":"ok"}');
    return;
  }
  if (request.method !== 'GET' || !route || encodedId === '' || extra !== undefined) {
    send(response, 404, '{"title":"Not Found"}');
    return;
  }
  const id = decodeURIComponent(encodedId);
  Promise.all(route.statements.map((statement) => run(statement, id))).then(
    (answers) => {
      if (answers[0] === null) {
        send(response, 404, '{"title":"Not Found"}');
        return;
      }
      send(response, 200, JSON.stringify(Object.fromEntries(route.statements.map((statement, index) => [statement.name, answers[index]]))));
    },
    (error: unknown) => {
      console.error(error);
      send(response, 500, '{"title":"Internal Server Error"}');
    },
  );
});

server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1', () => {
  console.log(`floor server on 127.0.0.1:${String(port)}`);
});

process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void pool.end();
});
