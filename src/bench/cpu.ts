import { readFile } from 'node:fs/promises';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * CPU time spent on a load scenario, by whom: this process (the server),
 * the PostgreSQL backends serving its pool, and the load generator. On a
 * machine shared with other work, requests per second move with everyone
 * else's load; CPU milliseconds per request barely do, so they say what a
 * change saved.
 */

/** Clock ticks a second for /proc/<pid>/stat (Linux: 100 everywhere it runs). */
const TICKS_PER_SECOND = 100;

/** Milliseconds of CPU this process has used (user and system, all threads). */
export function processCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * CPU milliseconds used so far by each PostgreSQL backend of this pool (the
 * connections that share its application_name), read from /proc: so only
 * when PostgreSQL runs on this machine and /proc is readable; otherwise
 * undefined. Never on PGlite, which runs inside this process.
 */
export async function databaseCpuMs(
  db: Kysely<Database>,
  kind: 'postgres' | 'pglite' | undefined,
): Promise<Map<number, number> | undefined> {
  if (kind !== 'postgres' || process.platform !== 'linux') return undefined;
  const { rows } = await sql<{ pid: number }>`
    select pid from pg_stat_activity
    where application_name = current_setting('application_name')`.execute(db);
  const used = new Map<number, number>();
  for (const { pid } of rows) {
    const ms = await procCpuMs(pid);
    if (ms === undefined) return undefined;
    used.set(pid, ms);
  }
  return used;
}

/** CPU milliseconds process `pid` has used so far, from /proc; undefined if it cannot be read. */
export async function procCpuMs(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at state.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/**
 * What the backends used between two readings. A backend opened during the
 * scenario counts from its start; one closed during it is lost (the pool
 * keeps its connections while busy, so that is rare).
 */
export function databaseCpuBetween(
  before: Map<number, number> | undefined,
  after: Map<number, number> | undefined,
): number | undefined {
  if (!before || !after) return undefined;
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}
