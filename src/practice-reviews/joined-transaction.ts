import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * A database handle whose `transaction()` joins `trx` instead of opening a
 * new one. A workflow step writes through casework (so the record's history
 * and retention stay right) and shares through sharing (so the disclosure
 * is checked and logged the one way); each of those services opens its own
 * transaction. Handing them this handle makes the whole step — workflow
 * row, record change, disclosure and their audit events — commit or roll
 * back together, so a step is never half-applied.
 */
export function joinTransaction(trx: Transaction<Database>): Kysely<Database> {
  const joined = { execute: <T>(work: (t: Transaction<Database>) => Promise<T>) => work(trx) };
  return new Proxy(trx, {
    get(target, property) {
      if (property === 'transaction') return () => joined;
      const value: unknown = Reflect.get(target, property, target);
      // Kysely keeps its state in private fields: call its methods on the real object.
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
  }) as unknown as Kysely<Database>;
}
