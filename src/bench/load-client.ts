import autocannon from 'autocannon';

/**
 * The load generator, run as a child process by bench/load.ts so that it
 * has an event loop (and a core's share) of its own, not the server's.
 * Takes one job over IPC, runs it against 127.0.0.1 for the job's duration,
 * answers with the figures and exits.
 */

export interface LoadJob {
  url: string;
  connections: number;
  duration: number;
  /** GET unless a method is given (the soak's writes: POST with a JSON body). */
  requests: { method?: 'POST'; path: string; headers?: Record<string, string>; body?: string }[];
}

export interface LoadFigures {
  requests: number;
  seconds: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  /** Non-2xx answers, socket errors and timeouts. */
  errors: number;
  /** Answers by status code, to say what the errors were. */
  statuses: Record<string, number>;
  /** CPU milliseconds the load generator itself used. */
  cpuMs: number;
}

/** The q-th quantile of sorted samples (nearest rank), to a tenth of a millisecond. */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  const value = sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
  return Math.round(value * 10) / 10;
}

export async function runJob(job: LoadJob): Promise<LoadFigures> {
  const url = new URL(job.url);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    throw new Error('The load benchmark sends traffic to this machine (127.0.0.1) only');
  }
  let times = new Float64Array(1 << 16);
  let count = 0;
  const statuses: Record<string, number> = {};
  const cpuBefore = process.cpuUsage();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: job.url,
        connections: job.connections,
        duration: job.duration,
        timeout: 10,
        requests: job.requests.map((r) => ({
          method: r.method ?? ('GET' as const),
          path: r.path,
          ...(r.headers ? { headers: r.headers } : {}),
          ...(r.body ? { body: r.body } : {}),
        })),
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client, statusCode: number, _bytes: number, responseTime: number) => {
      if (count === times.length) {
        const grown = new Float64Array(times.length * 2);
        grown.set(times);
        times = grown;
      }
      times[count] = responseTime;
      count += 1;
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    });
  });
  const cpu = process.cpuUsage(cpuBefore);
  const sorted = times.subarray(0, count).sort();
  return {
    requests: count,
    seconds: result.duration,
    p50Ms: quantile(sorted, 0.5),
    p95Ms: quantile(sorted, 0.95),
    p99Ms: quantile(sorted, 0.99),
    errors: result.non2xx + result.errors + result.timeouts,
    statuses,
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
}

if (process.send) {
  process.once('message', (job: LoadJob) => {
    runJob(job).then(
      (figures) => process.send?.({ figures }, () => process.exit(0)),
      (error: unknown) =>
        process.send?.({ error: error instanceof Error ? error.message : String(error) }, () =>
          process.exit(1),
        ),
    );
  });
}
