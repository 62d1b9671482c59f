import { createQueryId, type Compilable, type CompiledQuery, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * A query the hottest paths run on every request (resuming a session,
 * reading a record with its access decision's inputs, reading it and
 * recording its audit event), built and compiled to SQL by Kysely once
 * instead of on every request: building the query tree and compiling it
 * was the largest share of the server's own work on an audited read
 * (docs/decisions/0024-prepared-statements-and-cheaper-pages.md).
 *
 * `build` is called once per `shape` with a stand-in for each value; the
 * compiled SQL is kept, and each call puts the real values where the
 * stand-ins were. So `build` must give a query whose SQL does not depend
 * on the values — every choice that changes the SQL goes into `shape`
 * (`compiledOnce.test.ts` and each caller's tests compare the result with
 * a query built afresh). A value is only ever a bound parameter, never
 * text in the SQL, exactly as when the query is built each time.
 */
const STAND_IN = '\u0000compiled-once:';

type Slot<K> = { name: K } | { constant: unknown };

export function compiledOnce<K extends string, O>(
  build: (db: Kysely<Database>, value: (name: K) => never, shape: string) => Compilable<O>,
): (db: Kysely<Database>, values: Partial<Record<K, unknown>>, shape?: string) => CompiledQuery<O> {
  const templates = new Map<string, { compiled: CompiledQuery<O>; slots: Slot<K>[] }>();
  return (db, values, shape = '') => {
    let template = templates.get(shape);
    if (!template) {
      // Every database here speaks PostgreSQL's SQL, so one compilation serves all.
      const compiled = build(db, (name) => `${STAND_IN}${name}` as never, shape).compile();
      const slots = compiled.parameters.map((parameter): Slot<K> =>
        typeof parameter === 'string' && parameter.startsWith(STAND_IN)
          ? { name: parameter.slice(STAND_IN.length) as K }
          : { constant: parameter },
      );
      template = { compiled, slots };
      templates.set(shape, template);
    }
    return {
      query: template.compiled.query,
      queryId: createQueryId(),
      sql: template.compiled.sql,
      parameters: template.slots.map((slot) => {
        if (!('name' in slot)) return slot.constant;
        const value = values[slot.name];
        // null is a value; undefined is a value the caller forgot.
        if (value === undefined) throw new Error(`compiledOnce: no value for ${slot.name}`);
        return value;
      }),
    };
  };
}
