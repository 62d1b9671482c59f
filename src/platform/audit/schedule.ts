import type { Kysely } from 'kysely';
import type { Config } from '../../config.js';
import type { Database } from '../../db/schema.js';
import { chainAuditEvents } from './chainer.js';
import { latestCheckpoint, writeCheckpoint, type Checkpoint } from './checkpoints.js';

interface Log {
  info(obj: unknown, msg: string): void;
  error(obj: unknown, msg: string): void;
}

/**
 * Other lines shipped out of the database with the checkpoints, to the same
 * file and log: the retention disposal journal (retention/disposal-journal.ts),
 * passed in from the composition root so the platform imports no capability.
 */
export type ShipBeside = (sink: {
  file: string | null;
  log?: { info(obj: unknown, msg: string): void };
}) => Promise<unknown>;

/**
 * One round of the server's audit work: link what has committed, then sign
 * a checkpoint if one is due — the chain has grown and the last checkpoint
 * is older than the interval (or `force`, at shutdown and from the CLI).
 * Answers the checkpoint written, if any.
 */
export async function chainAndCheckpoint(
  db: Kysely<Database>,
  audit: Config['audit'],
  options: { log?: Log; force?: boolean; wait?: boolean; ship?: ShipBeside } = {},
): Promise<Checkpoint | null> {
  const linked = await chainAuditEvents(db, { wait: options.wait ?? false });
  // Another chainer (another instance) is at work and will sign its own.
  if (linked === null) return null;
  await options.ship?.({
    file: audit.checkpointFile,
    ...(options.log ? { log: options.log } : {}),
  });
  if (!audit.checkpointKey) return null;
  const last = await latestCheckpoint(db);
  const head = await db
    .selectFrom('audit_chain_link')
    .select('seq')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const headSeq = head?.seq ?? 0;
  const grown = !last || last.seq !== headSeq;
  const ageMs = last ? Date.now() - last.signedAt.getTime() : Infinity;
  const due = grown && (options.force || ageMs >= audit.checkpointIntervalSeconds * 1000);
  if (!due) return null;
  return writeCheckpoint(db, audit.checkpointKey, {
    file: audit.checkpointFile,
    ...(options.log ? { log: options.log } : {}),
  });
}

/**
 * Runs the chainer every AUDIT_CHAIN_INTERVAL_SECONDS in the server. Stopping
 * runs one last round that signs whatever the chain has grown by, so a
 * clean shutdown leaves nothing uncovered by a checkpoint.
 */
export function scheduleAuditChainer(
  db: Kysely<Database>,
  audit: Config['audit'],
  log: Log,
  ship?: ShipBeside,
): () => Promise<void> {
  let running: Promise<void> | null = null;
  const round = (force: boolean): Promise<void> => {
    // A slow round is not doubled up on; the next tick picks up after it.
    if (running) return force ? running.then(() => round(true)) : running;
    running = chainAndCheckpoint(db, audit, { log, force, ...(ship ? { ship } : {}) })
      .then(() => undefined)
      .catch((error: unknown) => log.error({ err: error }, 'audit chainer failed'))
      .finally(() => (running = null));
    return running;
  };
  const timer = setInterval(() => void round(false), audit.chainIntervalSeconds * 1000);
  timer.unref();
  void round(false);
  return async () => {
    clearInterval(timer);
    await round(true);
  };
}
