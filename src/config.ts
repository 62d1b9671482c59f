import { createPublicKey, hkdfSync, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { parsePrivateKey, parsePublicKey } from './platform/audit/checkpoints.js';

/**
 * All configuration, read from the environment and validated once, here.
 * Defaults are safe for a first run on a laptop; production refuses to start
 * while a secret is missing or still a default.
 */
export const DEV_SESSION_SECRET = 'development-only-secret-change-me-000000000000';

/**
 * How long PostgreSQL may take before a request gives up with a 503 and
 * Retry-After (decision record 0015): a statement, a wait for a lock, a
 * transaction left idle, a new connection. Milliseconds; 0 means no limit.
 */
export interface DatabaseTimeouts {
  statementMs: number;
  lockMs: number;
  idleInTransactionMs: number;
  connectMs: number;
}

export const DATABASE_TIMEOUT_DEFAULTS: DatabaseTimeouts = {
  statementMs: 30_000,
  lockMs: 5_000,
  idleInTransactionMs: 60_000,
  connectMs: 10_000,
};

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  // The role that owns the tables and runs migrations; the app itself then
  // connects (DATABASE_URL) as a role that may not rewrite the audit log
  // (src/db/roles.ts, decision record 0015).
  DATABASE_OWNER_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  // A streaming replica for read-only work (search, lists, statistics), used
  // while it is at most DATABASE_REPLICA_MAX_LAG_SECONDS behind (db/read-replica.ts).
  DATABASE_REPLICA_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  DATABASE_REPLICA_MAX_LAG_SECONDS: z.coerce.number().min(0).max(3600).default(10),
  // Per-connection limits on PostgreSQL, in milliseconds (0 turns one off).
  DB_STATEMENT_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(DATABASE_TIMEOUT_DEFAULTS.statementMs),
  DB_LOCK_TIMEOUT_MS: z.coerce.number().int().min(0).default(DATABASE_TIMEOUT_DEFAULTS.lockMs),
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(DATABASE_TIMEOUT_DEFAULTS.idleInTransactionMs),
  DB_CONNECT_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(DATABASE_TIMEOUT_DEFAULTS.connectMs),
  // Server processes on PostgreSQL: a number, or "auto" for one per CPU the
  // machine offers. The embedded PGlite belongs to one process, so always 1.
  WORKERS: z.union([z.literal('auto'), z.coerce.number().int().min(1).max(64)]).default(1),
  // How long a stopping server lets requests in flight finish (SIGTERM).
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(1).max(600).default(25),
  DATA_DIR: z.string().min(1).default('data'),
  SESSION_SECRET: z
    .string()
    .min(32, 'SESSION_SECRET must be at least 32 characters')
    .default(DEV_SESSION_SECRET),
  COOKIE_SECURE: booleanFromEnv.default(true),
  SESSION_IDLE_MINUTES: z.coerce.number().int().positive().default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().positive().default(10),
  // Wrong second-factor codes before the second factor is locked for a while.
  LOCKOUT_THRESHOLD: z.coerce.number().int().positive().default(5),
  LOCKOUT_MINUTES: z.coerce.number().int().positive().default(15),
  // The password step's throttle (decision record 0010): failures per email
  // address typed, and per client address, before delays start doubling
  // from one minute up to the maximum.
  SIGN_IN_ACCOUNT_FAILURES: z.coerce.number().int().positive().default(5),
  SIGN_IN_ACCOUNT_MAX_DELAY_MINUTES: z.coerce.number().int().positive().default(15),
  SIGN_IN_ADDRESS_FAILURES: z.coerce.number().int().positive().default(20),
  SIGN_IN_ADDRESS_MAX_DELAY_MINUTES: z.coerce.number().int().positive().default(60),
  SIGN_IN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(20),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DEMO_DATA: booleanFromEnv.default(true),
  RETENTION_SWEEP: booleanFromEnv.default(true),
  // The audit chain (decision record 0012): how often the server links new
  // events, and how often it signs a checkpoint of the chain's head with a
  // key kept outside the database, written to a JSON Lines file (and the log).
  AUDIT_CHAIN_INTERVAL_SECONDS: z.coerce.number().int().positive().default(5),
  AUDIT_CHECKPOINT_INTERVAL_SECONDS: z.coerce.number().int().positive().default(300),
  AUDIT_CHECKPOINT_KEY: z.string().min(1).optional(),
  AUDIT_CHECKPOINT_KEY_FILE: z.string().min(1).optional(),
  AUDIT_CHECKPOINT_PUBLIC_KEY: z.string().min(1).optional(),
  AUDIT_CHECKPOINT_PUBLIC_KEY_FILE: z.string().min(1).optional(),
  AUDIT_CHECKPOINT_FILE: z.string().min(1).optional(),
  // Encrypts each research extract's pseudonym key at rest (decision 0040);
  // the previous secret, while keys are re-encrypted under a new one.
  RESEARCH_KEY_SECRET: z
    .string()
    .min(32, 'RESEARCH_KEY_SECRET must be at least 32 characters')
    .optional(),
  RESEARCH_KEY_SECRET_PREVIOUS: z
    .string()
    .min(32, 'RESEARCH_KEY_SECRET_PREVIOUS must be at least 32 characters')
    .optional(),
  // GET /metrics for Prometheus with this bearer token; no token, no /metrics.
  METRICS_TOKEN: z.string().min(32, 'METRICS_TOKEN must be at least 32 characters').optional(),
  // Behind a proxy: client addresses from X-Forwarded-For, but only as the
  // proxies named here set it: their addresses or CIDR ranges, or loopback,
  // linklocal, uniquelocal (private ranges: a compose network), comma-separated.
  TRUST_PROXY: z
    .string()
    .regex(
      /^\s*(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?)(\s*,\s*(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?))*\s*$/,
      "TRUST_PROXY is the proxies' addresses or CIDR ranges (or loopback, linklocal, uniquelocal), comma-separated",
    )
    .optional(),
});

export interface Config {
  env: 'development' | 'test' | 'production';
  port: number;
  host: string;
  /** Server processes to run (platform/serve); 1 on PGlite whatever is asked. */
  workers: number | 'auto';
  /** Seconds a stopping server gives requests in flight before it exits anyway. */
  shutdownGraceSeconds: number;
  database:
    | {
        kind: 'postgres';
        url: string;
        /** Migrations run as this role when set; null: as the app's own role. */
        ownerUrl?: string | null;
        /** A streaming replica for read-only work; null: everything on the primary. */
        replica?: { url: string; maxLagSeconds: number } | null;
        /** DATABASE_TIMEOUT_DEFAULTS when not given. */
        timeouts?: DatabaseTimeouts;
      }
    | { kind: 'pglite'; dataDir: string | null };
  sessionSecret: string;
  cookieSecure: boolean;
  session: { idleMinutes: number; absoluteHours: number };
  /** Locks the second factor (not the password step) after wrong codes. */
  lockout: { threshold: number; minutes: number };
  signInThrottle: {
    accountFailures: number;
    accountMaxDelayMinutes: number;
    addressFailures: number;
    addressMaxDelayMinutes: number;
  };
  signInRateLimitPerMinute: number;
  logLevel: string;
  /** Bearer token for GET /metrics; null: no /metrics at all. */
  metricsToken: string | null;
  /**
   * Fastify's trustProxy: false (the default) takes the client address from
   * the connection and ignores X-Forwarded-For; the proxies' addresses take
   * it from X-Forwarded-For, as far back as the proxies named are trusted.
   * Never `true`: anyone reaching the app directly could then choose their
   * address (and escape the sign-in throttle and rate limits).
   */
  trustProxy: false | string[];
  demoData: boolean;
  /** Run the daily jobs (retention sweep, booking minimisation) inside the server. */
  retentionSweep: boolean;
  audit: {
    chainIntervalSeconds: number;
    checkpointIntervalSeconds: number;
    /** Signs checkpoints; the server signs none without it. */
    checkpointKey: KeyObject | null;
    /** Checks checkpoints; the signing key's own public half if not given. */
    checkpointPublicKey: KeyObject | null;
    /** The JSON Lines file checkpoints are appended to, for shipping elsewhere. */
    checkpointFile: string | null;
  };
  /**
   * AES-256 keys that encrypt research extracts' pseudonym keys at rest
   * (publication/research/key-seal.ts): `current` seals, `previous` (during
   * a rotation) only opens. In development and tests, derived from the
   * session secret when RESEARCH_KEY_SECRET is not set.
   */
  researchKeys: ResearchKeys;
}

export interface ResearchKeys {
  current: Buffer;
  previous: Buffer | null;
}

/** A 256-bit key from a secret, by HKDF (RFC 5869), labelled for this one use. */
export function researchKeyFrom(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'safekeep', 'research extract pseudonym keys', 32));
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production') {
    const missing: string[] = [];
    if (e.SESSION_SECRET === DEV_SESSION_SECRET) missing.push('SESSION_SECRET (still the default)');
    if (!e.DATABASE_URL) missing.push('DATABASE_URL (production runs on PostgreSQL)');
    if (!e.COOKIE_SECURE) missing.push('COOKIE_SECURE must not be false in production');
    if (!e.AUDIT_CHECKPOINT_KEY && !e.AUDIT_CHECKPOINT_KEY_FILE) {
      missing.push(
        'AUDIT_CHECKPOINT_KEY or AUDIT_CHECKPOINT_KEY_FILE (signs the audit checkpoints; README "Security")',
      );
    }
    if (!e.RESEARCH_KEY_SECRET || e.RESEARCH_KEY_SECRET === e.SESSION_SECRET) {
      missing.push(
        "RESEARCH_KEY_SECRET (encrypts research extracts' keys; its own secret, not the session secret)",
      );
    }
    if (missing.length > 0) {
      throw new ConfigError(`Refusing to start in production:\n  ${missing.join('\n  ')}`);
    }
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    workers: e.WORKERS,
    shutdownGraceSeconds: e.SHUTDOWN_GRACE_SECONDS,
    database: e.DATABASE_URL
      ? {
          kind: 'postgres',
          url: e.DATABASE_URL,
          ownerUrl: e.DATABASE_OWNER_URL ?? null,
          replica: e.DATABASE_REPLICA_URL
            ? { url: e.DATABASE_REPLICA_URL, maxLagSeconds: e.DATABASE_REPLICA_MAX_LAG_SECONDS }
            : null,
          timeouts: {
            statementMs: e.DB_STATEMENT_TIMEOUT_MS,
            lockMs: e.DB_LOCK_TIMEOUT_MS,
            idleInTransactionMs: e.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
            connectMs: e.DB_CONNECT_TIMEOUT_MS,
          },
        }
      : { kind: 'pglite', dataDir: path.resolve(e.DATA_DIR, 'pglite') },
    sessionSecret: e.SESSION_SECRET,
    cookieSecure: e.COOKIE_SECURE,
    session: { idleMinutes: e.SESSION_IDLE_MINUTES, absoluteHours: e.SESSION_ABSOLUTE_HOURS },
    lockout: { threshold: e.LOCKOUT_THRESHOLD, minutes: e.LOCKOUT_MINUTES },
    signInThrottle: {
      accountFailures: e.SIGN_IN_ACCOUNT_FAILURES,
      accountMaxDelayMinutes: e.SIGN_IN_ACCOUNT_MAX_DELAY_MINUTES,
      addressFailures: e.SIGN_IN_ADDRESS_FAILURES,
      addressMaxDelayMinutes: e.SIGN_IN_ADDRESS_MAX_DELAY_MINUTES,
    },
    signInRateLimitPerMinute: e.SIGN_IN_RATE_LIMIT_PER_MINUTE,
    logLevel: e.LOG_LEVEL,
    metricsToken: e.METRICS_TOKEN ?? null,
    trustProxy: trustProxyOf(e.TRUST_PROXY),
    demoData: e.DEMO_DATA,
    retentionSweep: e.RETENTION_SWEEP,
    audit: auditConfig(e),
    researchKeys: {
      // Development and tests derive one, so they need no setup.
      current: researchKeyFrom(e.RESEARCH_KEY_SECRET ?? `research:${e.SESSION_SECRET}`),
      previous: e.RESEARCH_KEY_SECRET_PREVIOUS
        ? researchKeyFrom(e.RESEARCH_KEY_SECRET_PREVIOUS)
        : null,
    },
  };
}

function trustProxyOf(value: string | undefined): Config['trustProxy'] {
  if (value === undefined) return false;
  return value.split(',').map((part) => part.trim());
}

/** Reads a value given either inline or as a file's path; a plain sentence when the file cannot be read. */
function inlineOrFile(
  inline: string | undefined,
  file: string | undefined,
  name: string,
): { pem: string; from: string } | null {
  if (inline && file) throw new ConfigError(`Set ${name} or ${name}_FILE, not both.`);
  if (inline) return { pem: inline.replaceAll('\\n', '\n'), from: name };
  if (!file) return null;
  try {
    return { pem: readFileSync(file, 'utf8'), from: `${name}_FILE (${file})` };
  } catch {
    throw new ConfigError(`${name}_FILE: cannot read ${file}.`);
  }
}

function auditConfig(e: z.infer<typeof environmentSchema>): Config['audit'] {
  const privatePem = inlineOrFile(
    e.AUDIT_CHECKPOINT_KEY,
    e.AUDIT_CHECKPOINT_KEY_FILE,
    'AUDIT_CHECKPOINT_KEY',
  );
  const publicPem = inlineOrFile(
    e.AUDIT_CHECKPOINT_PUBLIC_KEY,
    e.AUDIT_CHECKPOINT_PUBLIC_KEY_FILE,
    'AUDIT_CHECKPOINT_PUBLIC_KEY',
  );
  try {
    const checkpointKey = privatePem ? parsePrivateKey(privatePem.pem, privatePem.from) : null;
    const checkpointPublicKey = publicPem
      ? parsePublicKey(publicPem.pem, publicPem.from)
      : checkpointKey
        ? createPublicKey(checkpointKey)
        : null;
    return {
      chainIntervalSeconds: e.AUDIT_CHAIN_INTERVAL_SECONDS,
      checkpointIntervalSeconds: e.AUDIT_CHECKPOINT_INTERVAL_SECONDS,
      checkpointKey,
      checkpointPublicKey,
      checkpointFile: e.AUDIT_CHECKPOINT_FILE ? path.resolve(e.AUDIT_CHECKPOINT_FILE) : null,
    };
  } catch (error) {
    throw new ConfigError(error instanceof Error ? error.message : String(error));
  }
}
