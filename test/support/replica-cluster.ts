import { execFile } from 'node:child_process';
import { appendFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A PostgreSQL primary and a streaming standby of it, each its own server
 * on loopback, started by the test that needs them and removed after it:
 * the machine's own server is not set up for replication (no replication
 * line in pg_hba.conf), and a test must not change it.
 *
 * Uses the server binaries of the installed PostgreSQL (Debian's
 * /usr/lib/postgresql/N/bin). PostgreSQL refuses to run as root, so as
 * root the servers run as the postgres user.
 */
export interface ReplicaCluster {
  primaryUrl: string;
  standbyUrl: string;
  /** Runs SQL on the standby as the superuser (pausing and resuming replay). */
  onStandby(statement: string): Promise<string>;
  /** Stops the standby at once, as a lost replica would. */
  stopStandby(): Promise<void>;
  stop(): Promise<void>;
}

export async function startReplicaCluster(): Promise<ReplicaCluster> {
  const bin = await serverBinaries();
  const folder = await mkdtemp(path.join(tmpdir(), 'safekeep-replica-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) await run('chown', ['postgres:postgres', folder]);
  const as = (command: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', command, ...args]) : run(command, args);
  const primaryDir = path.join(folder, 'primary');
  const standbyDir = path.join(folder, 'standby');
  const [primaryPort, standbyPort] = [await freePort(), await freePort()];
  const started: string[] = [];
  const stop = async () => {
    for (const dir of started.reverse()) {
      await as(path.join(bin, 'pg_ctl'), ['-D', dir, '-m', 'immediate', 'stop']).catch(
        () => undefined,
      );
    }
    await rm(folder, { recursive: true, force: true });
  };
  try {
    await as(path.join(bin, 'initdb'), [
      '-D',
      primaryDir,
      '-U',
      'postgres',
      '--auth=trust',
      '--no-sync',
      '-E',
      'UTF8',
      '--locale=C.UTF-8',
    ]);
    // Loopback only, sockets in the test's folder, and replication allowed
    // from loopback (trust: a throwaway server no one else can reach).
    await append(
      path.join(primaryDir, 'postgresql.conf'),
      [
        `port = ${primaryPort}`,
        `listen_addresses = '127.0.0.1'`,
        `unix_socket_directories = '${folder}'`,
        'wal_level = replica',
        'max_wal_senders = 4',
        'fsync = off',
        'hot_standby = on',
      ].join('\n'),
    );
    await append(path.join(primaryDir, 'pg_hba.conf'), 'host replication all 127.0.0.1/32 trust\n');
    await as(path.join(bin, 'pg_ctl'), [
      '-D',
      primaryDir,
      '-w',
      '-l',
      path.join(folder, 'primary.log'),
      'start',
    ]);
    started.push(primaryDir);
    // The standby is a base backup of the primary that streams from it (-R).
    await as(path.join(bin, 'pg_basebackup'), [
      '-h',
      '127.0.0.1',
      '-p',
      String(primaryPort),
      '-U',
      'postgres',
      '-D',
      standbyDir,
      '-R',
      '-X',
      'stream',
      '--no-sync',
    ]);
    await append(path.join(standbyDir, 'postgresql.conf'), `port = ${standbyPort}\n`);
    await as(path.join(bin, 'pg_ctl'), [
      '-D',
      standbyDir,
      '-w',
      '-l',
      path.join(folder, 'standby.log'),
      'start',
    ]);
    started.push(standbyDir);
  } catch (error) {
    await stop();
    throw error;
  }
  const database = 'safekeep';
  await run('createdb', ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres', database]);
  return {
    primaryUrl: `postgres://postgres@127.0.0.1:${primaryPort}/${database}`,
    standbyUrl: `postgres://postgres@127.0.0.1:${standbyPort}/${database}`,
    async onStandby(statement) {
      const { stdout } = await run('psql', [
        '-h',
        '127.0.0.1',
        '-p',
        String(standbyPort),
        '-U',
        'postgres',
        '-d',
        database,
        '-Atc',
        statement,
      ]);
      return stdout.trim();
    },
    async stopStandby() {
      await as(path.join(bin, 'pg_ctl'), ['-D', standbyDir, '-m', 'immediate', 'stop']);
      started.splice(started.indexOf(standbyDir), 1);
    },
    stop,
  };
}

/** The installed server's bin folder (Debian: /usr/lib/postgresql/N/bin, the newest N). */
async function serverBinaries(): Promise<string> {
  const versions = (await readdir('/usr/lib/postgresql')).sort((a, b) => Number(b) - Number(a));
  if (!versions[0]) throw new Error('no PostgreSQL server installed under /usr/lib/postgresql');
  return path.join('/usr/lib/postgresql', versions[0], 'bin');
}

/** Appends settings; the file keeps its owner (postgres, when run as root). */
async function append(file: string, text: string): Promise<void> {
  await appendFile(file, `\n${text}\n`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
