import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../test/support/database.js';
import { compiledOnce } from './compiled-once.js';
import type { ScratchDatabase } from './scratch.js';

/** A query compiled once per shape gives the same SQL and values as one built each time. */
let database: ScratchDatabase;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(async () => {
  await database?.close();
});

describe('compiledOnce', () => {
  let builds = 0;
  const bySlug = compiledOnce((db, value: (name: 'slug' | 'limit') => never, shape) => {
    builds += 1;
    const query = db
      .selectFrom('organisation')
      .select(['slug', 'short_name'])
      .where('slug', '=', value('slug'))
      .where('slug', '<>', 'no-such-organisation')
      .limit(value('limit'));
    return shape === 'ordered' ? query.orderBy('slug') : query;
  });

  it('puts each value where its stand-in was, keeps constants, and builds once per shape', async () => {
    const fresh = database.db
      .selectFrom('organisation')
      .select(['slug', 'short_name'])
      .where('slug', '=', 'kent-scs')
      .where('slug', '<>', 'no-such-organisation')
      .limit(5)
      .compile();
    const first = bySlug(database.db, { slug: 'kent-scs', limit: 5 });
    expect(first.sql).toBe(fresh.sql);
    expect(first.parameters).toEqual(fresh.parameters);
    const second = bySlug(database.db, { slug: 'maidstone-bc', limit: 1 });
    expect(second.parameters).toEqual(['maidstone-bc', 'no-such-organisation', 1]);
    expect(builds).toBe(1);
    expect(bySlug(database.db, { slug: 'kent-scs', limit: 5 }, 'ordered').sql).toContain(
      'order by "slug"',
    );
    expect(builds).toBe(2);
    const { rows } = await database.db.executeQuery(second);
    expect(rows.map((r) => r.slug)).toEqual(['maidstone-bc']);
  });

  it('refuses to run with a value missing rather than send undefined', () => {
    expect(() => bySlug(database.db, { slug: 'kent-scs' })).toThrow(/no value for limit/);
  });
});
