import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

/**
 * A database handle whose `transaction()` joins `trx` instead of opening a
 * new one. Capabilities keep their rules in their own services, each of
 * which opens its own transaction; when one action must write through two
 * of them — a practice-review step through casework and sharing, a
 * rectification through people or casework and the rights request — handing
 * the other service this handle makes the whole action, with its audit
 * events, commit or roll back together, so it is never half-applied. It
 * suits service methods that do all their reads and writes through the one
 * transaction they open (docs/design.md).
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
