import cluster, { type Worker } from 'node:cluster';
import type { KeyObject } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { procCpuMs } from './cpu.js';

/** What a benchmark server process needs to open the scratch database as the app. */
export interface ServerJob {
  url: string;
  schema: string;
  applicationName: string;
  /** The run's throw-away audit checkpoint key, PKCS#8 PEM. */
  checkpointKeyPem: string;
}

export interface ServerProcesses {
  url: string;
  /** CPU milliseconds all of them have used so far. */
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

const serverModule = fileURLToPath(new URL('./load-server.ts', import.meta.url));

/**
 * `count` server processes on one loopback port, as `safekeep serve` runs
 * with WORKERS (platform/serve), for the load benchmark on PostgreSQL: the
 * server then uses every core, as in production. The daily jobs and the
 * audit chainer stay in the benchmark's own process, as they stay in the
 * primary.
 */
export async function startServerProcesses(
  count: number,
  connection: { url: string; schema: string; applicationName: string },
  checkpointKey: KeyObject,
): Promise<ServerProcesses> {
  const job: ServerJob = {
    ...connection,
    checkpointKeyPem: checkpointKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
  cluster.setupPrimary({ exec: serverModule, execArgv: ['--import', 'tsx'] });
  const workers: Worker[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    let listening = 0;
    const onListening = (_worker: Worker, address: { port: number }) => {
      listening += 1;
      if (listening === count) {
        cluster.off('listening', onListening);
        cluster.off('exit', onExit);
        resolve(address.port);
      }
    };
    const onExit = (_worker: Worker, code: number) =>
      reject(new Error(`a benchmark server process stopped at start (${code})`));
    cluster.on('listening', onListening);
    cluster.on('exit', onExit);
    for (let i = 0; i < count; i += 1) {
      workers.push(cluster.fork({ SAFEKEEP_BENCH_SERVER: JSON.stringify(job) }));
    }
  });
  return {
    url: `http://127.0.0.1:${port}`,
    async cpuMs() {
      let total = 0;
      for (const worker of workers) total += (await procCpuMs(worker.process.pid ?? 0)) ?? 0;
      return total;
    },
    async stop() {
      await Promise.all(
        workers
          .filter((worker) => !worker.isDead())
          .map(
            (worker) =>
              new Promise<void>((resolve) => {
                worker.once('exit', () => resolve());
                worker.process.kill('SIGTERM');
              }),
          ),
      );
    },
  };
}
