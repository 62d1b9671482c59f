import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliDatabase } from '../../../test/support/cli.js';
import type { Config } from '../../config.js';

/**
 * `safekeep serve` as an operator runs it: on PostgreSQL with WORKERS=2,
 * two server processes behind one port, one replaced when it dies, and
 * SIGTERM letting a request in flight finish before everything exits; on
 * PGlite one process whatever WORKERS says.
 */
let env: NodeJS.ProcessEnv;
let database: Config['database'];
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ env, database, cleanup } = await cliDatabase('safekeep_serve'));
}, 120_000);
afterAll(() => cleanup());

interface Server {
  process: ChildProcessWithoutNullStreams;
  port: number;
  banner: string;
  /** What it wrote to stderr: said when an expectation fails. */
  errors: () => string;
  exited: Promise<number | null>;
}

async function start(extra: NodeJS.ProcessEnv): Promise<Server> {
  const child = spawn(process.execPath, [cli, 'serve'], {
    env: { ...env, PORT: '0', DEMO_DATA: 'false', RETENTION_SWEEP: 'false', ...extra },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let banner = '';
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      banner += chunk.toString();
      const found = /localhost:(\d+)\/sign-in/.exec(banner);
      if (found) resolve(Number(found[1]));
    });
    void exited.then((code) => reject(new Error(`serve exited with ${code}`)));
  });
  return { process: child, port, banner, errors: () => errors, exited };
}

/** The server processes the primary started (its children), by pid. */
async function workersOf(pid: number): Promise<number[]> {
  const children = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  return children.trim().split(/\s+/).filter(Boolean).map(Number);
}

const until = async (check: () => Promise<boolean>, ms = 60_000) => {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
};

const status = (port: number, path: string) =>
  fetch(`http://127.0.0.1:${port}${path}`).then((r) => r.status);

describe('safekeep serve', { timeout: 180_000 }, () => {
  it('runs one process on PGlite, or the number asked for on PostgreSQL, and replaces one that dies', async () => {
    const server = await start({ WORKERS: '2' });
    try {
      expect(await status(server.port, '/health/ready')).toBe(200);
      if (database.kind === 'pglite') {
        expect(server.banner).not.toContain('server processes');
        expect(await workersOf(server.process.pid!)).toEqual([]);
        return;
      }
      expect(server.banner).toContain('in 2 server processes');
      const first = await workersOf(server.process.pid!);
      expect(first).toHaveLength(2);
      // Every request answered, whichever process takes it.
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => status(server.port, '/sign-in')),
      );
      expect(answers.every((s) => s === 200)).toBe(true);

      process.kill(first[0]!, 'SIGKILL');
      const replaced = await until(async () => {
        const now = await workersOf(server.process.pid!);
        return now.length === 2 && !now.includes(first[0]!);
      });
      expect(replaced).toBe(true);
      expect(server.process.exitCode).toBeNull();
      expect(await status(server.port, '/sign-in')).toBe(200);
    } finally {
      server.process.kill('SIGTERM');
      await server.exited;
    }
  });

  it('lets a request in flight finish on SIGTERM, then exits cleanly', async () => {
    const server = await start({ WORKERS: '2' });
    // A request whose body is still arriving when the signal comes.
    const socket = net.connect(server.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    const body = 'email=someone%40example.org&password=not-this-one';
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    const closed = new Promise<void>((resolve) => socket.once('close', resolve));
    socket.write(
      `POST /sign-in HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
        `Content-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    server.process.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    socket.write(body.slice(10));
    await closed;
    // Answered in full (the form's own refusal without its token), not cut off.
    expect(answer).toMatch(/^HTTP\/1\.1 \d{3} /);
    expect(answer).not.toMatch(/^HTTP\/1\.1 5\d\d /);
    expect(await server.exited, server.errors()).toBe(0);
    if (database.kind === 'postgres') {
      expect(await workersOf(server.process.pid!)).toEqual([]);
    }
  });
});
