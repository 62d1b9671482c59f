import { sql, type Kysely } from 'kysely';
import type { Config } from '../config.js';
import { openDatabase, type DatabaseHandle } from './connection.js';
import type { Database } from './schema.js';

/**
 * Where read-only work goes: search, lists and statistics (issue 16, "Read-
 * only work can be pointed at a replica by configuration; writes and
 * audited reads stay on the primary").
 *
 * Every service is given the primary for what it writes and audits, and a
 * `ReadSource` for the read-only queries it runs first. Without a replica
 * the read source is the primary. With one, the read source is the replica
 * while it keeps up and the primary otherwise: a standby far behind would
 * show a search without a person created a minute ago, or with one whose
 * restriction was placed a minute ago. The restriction matters most: a
 * record opened from a search result is read on the primary, under the
 * access rules as they are there, so a lagging list can show a name, never
 * a record.
 */
export interface ReadSource {
  /** The database for read-only work now. */
  readonly db: Kysely<Database>;
}

/** No replica: read-only work on the primary. */
export function primaryReads(db: Kysely<Database>): ReadSource {
  return { db };
}

/**
 * The read source the configuration asks for: the replica named by
 * DATABASE_REPLICA_URL (its connections read-only), measured once before
 * the server takes requests; otherwise the primary.
 */
export async function openReadSource(
  database: Config['database'],
  primary: Kysely<Database>,
  log?: ReadReplicaOptions['log'],
  checkEveryMs?: number,
): Promise<ReadSource & { close(): Promise<void> }> {
  if (database.kind !== 'postgres' || !database.replica) {
    return { db: primary, close: async () => undefined };
  }
  const handle = await openDatabase(
    { ...database, url: database.replica.url },
    {
      readOnly: true,
      applicationName: 'safekeep-reads',
      // A lost replica connection is found by the next lag check, which
      // then sends reads to the primary; nothing to do here.
      onConnectionError: () => undefined,
    },
  );
  return new ReadReplica(primary, handle, {
    maxLagSeconds: database.replica.maxLagSeconds,
    ...(log ? { log } : {}),
    ...(checkEveryMs ? { checkEveryMs } : {}),
  }).start();
}

export interface ReplicaHealth {
  /** Whether read-only work goes to the replica now. */
  inUse: boolean;
  /** Seconds the replica was behind at the last check; null when it could not be asked. */
  lagSeconds: number | null;
}

export interface ReadReplicaOptions {
  /** The replica is used while it is at most this far behind. */
  maxLagSeconds: number;
  /** How often its lag is measured. */
  checkEveryMs?: number;
  /** Told when the replica is given up or taken back (no personal data). */
  log?: { warn(message: string): void; info(message: string): void };
}

/**
 * A streaming replica used for reads while its lag is within the limit.
 *
 * Lag is measured on the replica itself, so it needs no access to the
 * primary: caught up when all the WAL it has received is replayed,
 * otherwise the time since the last transaction it replayed. On a quiet
 * primary that overstates the lag of the first write after a pause, which
 * only sends reads to the primary a little more often than needed; it never
 * understates it. A replica that cannot be reached is not used until it
 * answers again. Measured at start and then every few seconds, not per
 * query: a request never waits on the replica's health.
 */
export class ReadReplica implements ReadSource {
  private health: ReplicaHealth = { inUse: false, lagSeconds: null };
  private timer: NodeJS.Timeout | null = null;
  private checking: Promise<void> | null = null;

  constructor(
    private readonly primary: Kysely<Database>,
    private readonly replica: DatabaseHandle,
    private readonly options: ReadReplicaOptions,
  ) {}

  get db(): Kysely<Database> {
    return this.health.inUse ? this.replica.db : this.primary;
  }

  /** The last measurement (metrics; tests). */
  status(): ReplicaHealth {
    return { ...this.health };
  }

  /** Measures now, then every `checkEveryMs`. */
  async start(): Promise<this> {
    await this.check();
    this.timer = setInterval(() => void this.check(), this.options.checkEveryMs ?? 5_000);
    this.timer.unref();
    return this;
  }

  /** Measures the replica's lag and decides whether to use it; one measurement at a time. */
  check(): Promise<void> {
    this.checking ??= this.measure().finally(() => {
      this.checking = null;
    });
    return this.checking;
  }

  private async measure(): Promise<void> {
    let lagSeconds: number | null = null;
    try {
      const { rows } = await sql<{ caught_up: boolean | null; behind: number | null }>`
        select pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() as caught_up,
               extract(epoch from now() - pg_last_xact_replay_timestamp())::float8 as behind
      `.execute(this.replica.db);
      const row = rows[0];
      // Not a standby (both null): a copy that is not replaying is as
      // current as it will ever be, which is what an operator pointing the
      // setting at the primary itself would mean.
      lagSeconds = row?.caught_up !== false ? 0 : Math.max(0, row.behind ?? Infinity);
    } catch {
      lagSeconds = null;
    }
    const inUse = lagSeconds !== null && lagSeconds <= this.options.maxLagSeconds;
    if (inUse !== this.health.inUse) {
      if (inUse) this.options.log?.info('read replica in use for read-only work');
      else
        this.options.log?.warn(
          lagSeconds === null
            ? 'read replica unreachable: read-only work goes to the primary'
            : `read replica ${Math.round(lagSeconds)} s behind: read-only work goes to the primary`,
        );
    }
    this.health = { inUse, lagSeconds };
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.checking;
    await this.replica.close();
  }
}
