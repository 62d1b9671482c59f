import cluster, { type Worker } from 'node:cluster';
import type { MetricObjectWithValues, MetricValue } from 'prom-client';
import { aggregate, type Metrics } from './metrics.js';

/**
 * One scrape sees every server process (WORKERS>1). node:cluster hands a
 * scrape to any worker; that worker asks the primary, which asks each
 * worker for its registry, adds its own (job runs, figures from the
 * database, its pool) and answers with them aggregated: counters and
 * histograms summed, the database figures (only the primary has them) as
 * they are. prom-client's AggregatorRegistry does the arithmetic; the
 * messages are ours, because its own ask workers only, and only from the
 * primary. A worker that does not answer within the timeout is left out of
 * that scrape rather than failing it.
 */
type Snapshot = MetricObjectWithValues<MetricValue<string>>[];

const SCRAPE = 'safekeep:metrics:scrape';
const TEXT = 'safekeep:metrics:text';
const COLLECT = 'safekeep:metrics:collect';
const SNAPSHOT = 'safekeep:metrics:snapshot';

type Message =
  | { type: typeof SCRAPE; id: number }
  | { type: typeof TEXT; id: number; text?: string; error?: string }
  | { type: typeof COLLECT; id: number }
  | { type: typeof SNAPSHOT; id: number; snapshot: Snapshot };

function isMessage(value: unknown): value is Message {
  if (typeof value !== 'object' || value === null) return false;
  const { type, id } = value as { type?: unknown; id?: unknown };
  return (
    typeof id === 'number' &&
    typeof type === 'string' &&
    [SCRAPE, TEXT, COLLECT, SNAPSHOT].includes(type)
  );
}

/** In the primary: answers workers' scrapes with every process's metrics. */
export function aggregateWorkerMetrics(metrics: Metrics, timeoutMs = 3_000): () => void {
  let next = 0;
  const pending = new Map<number, (snapshot: Snapshot) => void>();

  const snapshotOf = (worker: Worker) =>
    new Promise<Snapshot | null>((resolve) => {
      const id = (next += 1);
      const timer = setTimeout(() => {
        pending.delete(id);
        resolve(null);
      }, timeoutMs);
      pending.set(id, (snapshot) => {
        clearTimeout(timer);
        pending.delete(id);
        resolve(snapshot);
      });
      try {
        worker.send({ type: COLLECT, id } satisfies Message);
      } catch {
        clearTimeout(timer);
        pending.delete(id);
        resolve(null);
      }
    });

  const everyProcess = async (): Promise<string> => {
    const workers = Object.values(cluster.workers ?? {}).filter(
      (w): w is Worker => w !== undefined && w.isConnected() && !w.isDead(),
    );
    const theirs = await Promise.all(workers.map(snapshotOf));
    const snapshots = [await metrics.snapshot(), ...theirs.filter((s): s is Snapshot => !!s)];
    return aggregate(snapshots);
  };

  const onMessage = (worker: Worker, message: unknown) => {
    if (!isMessage(message)) return;
    if (message.type === SNAPSHOT) pending.get(message.id)?.(message.snapshot);
    if (message.type !== SCRAPE) return;
    everyProcess().then(
      (text) => send(worker, { type: TEXT, id: message.id, text }),
      (error: unknown) =>
        send(worker, { type: TEXT, id: message.id, error: (error as Error).message }),
    );
  };
  cluster.on('message', onMessage);
  // The primary's own exposition, should anything ask it directly.
  metrics.exposition = everyProcess;
  return () => cluster.off('message', onMessage);
}

function send(worker: Worker, message: Message) {
  if (worker.isConnected()) worker.send(message);
}

/** In a worker: hands its registry to the primary, and answers scrapes with the primary's aggregate. */
export function scrapeThroughPrimary(metrics: Metrics, timeoutMs = 10_000): void {
  let next = 0;
  const waiting = new Map<number, (message: Extract<Message, { type: typeof TEXT }>) => void>();
  process.on('message', (message: unknown) => {
    if (!isMessage(message)) return;
    if (message.type === TEXT) waiting.get(message.id)?.(message);
    if (message.type === COLLECT) {
      void metrics.snapshot().then((snapshot) => {
        if (process.connected) process.send?.({ type: SNAPSHOT, id: message.id, snapshot });
      });
    }
  });
  metrics.exposition = () =>
    new Promise<string>((resolve, reject) => {
      const id = (next += 1);
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error('the primary did not answer for metrics in time'));
      }, timeoutMs);
      waiting.set(id, (answer) => {
        clearTimeout(timer);
        waiting.delete(id);
        if (answer.text !== undefined) resolve(answer.text);
        else reject(new Error(answer.error ?? 'no metrics'));
      });
      process.send?.({ type: SCRAPE, id } satisfies Message);
    });
}
