import { performance } from 'node:perf_hooks';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * What the soak run saw of the audit chainer running beside the servers:
 * how far behind it fell (events recorded but not yet linked, sampled every
 * few seconds, as `safekeep_audit_unchained_events` counts them) and whether
 * any of its rounds failed. A chainer that falls behind under load leaves
 * the last minutes of the log unchained, and `audit verify` slow to answer.
 */
export interface ChainerWatch {
  /** The chainer's `log.error`, to count its failed rounds. */
  error(obj: unknown, msg: string): void;
  /** What has been seen so far, the run still going. */
  sofar(): ChainerLag;
  stop(): Promise<ChainerLag>;
}

export interface ChainerLag {
  maxWaiting: number;
  /** Seconds into the run when the most were waiting. */
  maxAtSecond: number;
  waitingAtEnd: number;
  failedRounds: number;
  /** The first failure's message (a database or code error, never personal data). */
  firstFailure?: string;
}

/** Events past the last linked one: the same estimate the metric makes, cheap at any size. */
async function eventsWaiting(db: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{ waiting: number }>`
    select greatest(0, coalesce((select max(seq) from audit_event), 0)
      - coalesce((select event_seq from audit_chain_link order by seq desc limit 1), 0))::integer
      as waiting`.execute(db);
  return rows[0]?.waiting ?? 0;
}

export function watchChainer(db: Kysely<Database>, everyMs = 5000): ChainerWatch {
  const started = performance.now();
  const lag: ChainerLag = { maxWaiting: 0, maxAtSecond: 0, waitingAtEnd: 0, failedRounds: 0 };
  let sampling: Promise<void> = Promise.resolve();
  const sample = async () => {
    const waiting = await eventsWaiting(db);
    if (waiting > lag.maxWaiting) {
      lag.maxWaiting = waiting;
      lag.maxAtSecond = Math.round((performance.now() - started) / 1000);
    }
  };
  const timer = setInterval(() => {
    sampling = sampling.then(sample).catch(() => undefined);
  }, everyMs);
  return {
    error(obj) {
      lag.failedRounds += 1;
      if (lag.firstFailure === undefined) {
        const err = (obj as { err?: unknown }).err;
        lag.firstFailure = err instanceof Error ? err.message : String(err);
      }
    },
    sofar: () => ({ ...lag }),
    async stop() {
      clearInterval(timer);
      await sampling;
      lag.waitingAtEnd = await eventsWaiting(db);
      return lag;
    },
  };
}

export function formatChainerLag(lag: ChainerLag): string {
  const failed =
    lag.failedRounds === 0
      ? 'no round failed'
      : `${lag.failedRounds} rounds failed, the first with "${lag.firstFailure ?? 'no message'}"`;
  return `audit chainer during the run: at most ${lag.maxWaiting.toLocaleString('en-GB')} events waiting to be linked (${lag.maxAtSecond} s in), ${lag.waitingAtEnd.toLocaleString('en-GB')} at the end; ${failed}`;
}
