/**
 * The projector's database libraries, as the projector has them: pg,
 * pg-copy-streams and slonik are dependencies of the projector package, not
 * of the root, so a script under scripts/ reaches them through the projector
 * (in this one file). pg's types come from the root @types packages.
 */
import { createRequire } from 'node:module';
import type * as Pg from 'pg';
import type * as PgCopyStreams from 'pg-copy-streams';

const requireFromProjector = createRequire(new URL('../../projector/package.json', import.meta.url));

export const pg = requireFromProjector('pg') as typeof Pg;
export const pgCopyStreams = requireFromProjector('pg-copy-streams') as typeof PgCopyStreams;
export type PgClient = Pg.Client;

export { sql } from '../../projector/node_modules/slonik/dist/index.js';
export type { CommonQueryMethods, FragmentSqlToken, ListSqlToken, SqlToken } from '../../projector/node_modules/slonik/dist/index.js';
export { z } from '../../projector/node_modules/zod/index.js';
