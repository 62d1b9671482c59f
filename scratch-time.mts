import { PGlite } from '@electric-sql/pglite';
import { fuzzystrmatch } from '@electric-sql/pglite/contrib/fuzzystrmatch';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect } from 'kysely';
import { pglitePool } from './src/db/pglite-pool.js';
import { migrateToLatest } from './src/db/migrate.js';
import { syncReferenceData } from './src/platform/reference-data.js';
let t = performance.now();
const lap = (s: string) => { const n = performance.now(); console.log(s, Math.round(n - t)); t = n; };
const pg1 = await PGlite.create({ extensions: { pg_trgm, fuzzystrmatch } }); lap('create');
const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: pglitePool(pg1) }) });
await migrateToLatest(db); await syncReferenceData(db); lap('migrate');
const dump = await pg1.dumpDataDir('none'); lap('dump ' + dump.size);
await db.destroy();
for (let i = 0; i < 3; i++) {
const pg2 = await PGlite.create({ loadDataDir: dump, extensions: { pg_trgm, fuzzystrmatch } }); lap('create from dump');
const r = await pg2.query('select count(*) from organisation'); lap('query ' + JSON.stringify(r.rows));
await pg2.close();
}
