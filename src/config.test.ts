import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const checkpointKeyPem = generateKeyPairSync('ed25519')
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();

describe('configuration', () => {
  it('has safe defaults for a first run: embedded database under ./data, port 3000, loopback', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.database).toMatchObject({ kind: 'pglite' });
    expect(config.database.kind === 'pglite' && config.database.dataDir).toMatch(/data\/pglite$/);
    expect(config.session).toEqual({ idleMinutes: 30, absoluteHours: 10 });
    expect(config.cookieSecure).toBe(true);
  });

  it('uses PostgreSQL when DATABASE_URL is set, and PORT overrides', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u@db.example:5432/safekeep',
      PORT: '8080',
    });
    expect(config.database).toEqual({
      kind: 'postgres',
      url: 'postgres://u@db.example:5432/safekeep',
      ownerUrl: null,
      replica: null,
      timeouts: {
        statementMs: 30_000,
        lockMs: 5_000,
        idleInTransactionMs: 60_000,
        connectMs: 10_000,
      },
    });
    expect(config.port).toBe(8080);
  });

  it('takes the owner role for migrations and the database timeouts from the environment', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://safekeep_app@db.example:5432/safekeep',
      DATABASE_OWNER_URL: 'postgres://safekeep_owner@db.example:5432/safekeep',
      DB_STATEMENT_TIMEOUT_MS: '1000',
      DB_LOCK_TIMEOUT_MS: '200',
      DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: '0',
      DB_CONNECT_TIMEOUT_MS: '2500',
    });
    expect(config.database).toEqual({
      kind: 'postgres',
      url: 'postgres://safekeep_app@db.example:5432/safekeep',
      ownerUrl: 'postgres://safekeep_owner@db.example:5432/safekeep',
      replica: null,
      timeouts: { statementMs: 1000, lockMs: 200, idleInTransactionMs: 0, connectMs: 2500 },
    });
    expect(() => loadConfig({ DB_LOCK_TIMEOUT_MS: '-1' })).toThrow(/DB_LOCK_TIMEOUT_MS/);
    expect(() => loadConfig({ DB_STATEMENT_TIMEOUT_MS: 'soon' })).toThrow(
      /DB_STATEMENT_TIMEOUT_MS/,
    );
    expect(() => loadConfig({ DATABASE_OWNER_URL: 'mysql://x' })).toThrow(/DATABASE_OWNER_URL/);
  });

  it('takes a read replica and the lag it may have from the environment', () => {
    const database = (env: Record<string, string>) =>
      loadConfig({ DATABASE_URL: 'postgres://app@primary.example/safekeep', ...env }).database;
    expect(
      database({ DATABASE_REPLICA_URL: 'postgres://app@replica.example/safekeep' }),
    ).toMatchObject({
      replica: { url: 'postgres://app@replica.example/safekeep', maxLagSeconds: 10 },
    });
    expect(
      database({
        DATABASE_REPLICA_URL: 'postgres://app@replica.example/safekeep',
        DATABASE_REPLICA_MAX_LAG_SECONDS: '2.5',
      }),
    ).toMatchObject({ replica: { maxLagSeconds: 2.5 } });
    expect(() => database({ DATABASE_REPLICA_URL: 'replica.example' })).toThrow(
      /DATABASE_REPLICA_URL/,
    );
    expect(() => database({ DATABASE_REPLICA_MAX_LAG_SECONDS: 'soon' })).toThrow(
      /DATABASE_REPLICA_MAX_LAG_SECONDS/,
    );
  });

  it('derives the research key secret in development, and takes a previous one for rotation', () => {
    const dev = loadConfig({});
    expect(dev.researchKeys.current).toHaveLength(32);
    expect(loadConfig({}).researchKeys.current.equals(dev.researchKeys.current)).toBe(true);
    const set = loadConfig({
      RESEARCH_KEY_SECRET: 'a-research-secret-0123456789abcdef-new',
      RESEARCH_KEY_SECRET_PREVIOUS: 'a-research-secret-0123456789abcdef-old',
    });
    expect(set.researchKeys.current.equals(dev.researchKeys.current)).toBe(false);
    expect(set.researchKeys.previous?.equals(set.researchKeys.current)).toBe(false);
    expect(() => loadConfig({ RESEARCH_KEY_SECRET: 'short' })).toThrow(/at least 32/);
  });

  it('refuses bad values, naming each', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ SESSION_SECRET: 'short' })).toThrow(/at least 32/);
  });

  it('refuses to run in production with a default or missing secret', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /SESSION_SECRET[\s\S]*DATABASE_URL/,
    );
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        SESSION_SECRET: 'a-real-secret-from-the-vault-0123456789abcdef',
        DATABASE_URL: 'postgres://safekeep@db.internal/safekeep',
        COOKIE_SECURE: 'false',
      }),
    ).toThrow(/COOKIE_SECURE/);
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        SESSION_SECRET: 'a-real-secret-from-the-vault-0123456789abcdef',
        DATABASE_URL: 'postgres://safekeep@db.internal/safekeep',
      }),
    ).toThrow(/AUDIT_CHECKPOINT_KEY/);
    const production = {
      NODE_ENV: 'production',
      SESSION_SECRET: 'a-real-secret-from-the-vault-0123456789abcdef',
      DATABASE_URL: 'postgres://safekeep@db.internal/safekeep',
      AUDIT_CHECKPOINT_KEY: checkpointKeyPem,
    };
    expect(() => loadConfig(production)).toThrow(/RESEARCH_KEY_SECRET/);
    // Its own secret: the session secret again does not do.
    expect(() =>
      loadConfig({ ...production, RESEARCH_KEY_SECRET: production.SESSION_SECRET }),
    ).toThrow(/RESEARCH_KEY_SECRET/);
    const ok = loadConfig({
      ...production,
      RESEARCH_KEY_SECRET: 'another-real-secret-from-the-vault-0123456789',
    });
    expect(ok.env).toBe('production');
    expect(ok.researchKeys.current).toHaveLength(32);
    expect(ok.researchKeys.previous).toBeNull();
  });

  it('reads the audit checkpoint key from a file or the environment, and says plainly when it is wrong', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'safekeep-config-'));
    try {
      const keyFile = path.join(dir, 'checkpoint.pem');
      await writeFile(keyFile, checkpointKeyPem);
      const fromFile = loadConfig({ AUDIT_CHECKPOINT_KEY_FILE: keyFile });
      expect(fromFile.audit.checkpointKey?.asymmetricKeyType).toBe('ed25519');
      // The public half for verifying comes with it unless given separately.
      expect(fromFile.audit.checkpointPublicKey?.type).toBe('public');
      // One line in an environment variable, with \n for the line breaks.
      const inline = loadConfig({ AUDIT_CHECKPOINT_KEY: checkpointKeyPem.replaceAll('\n', '\\n') });
      expect(inline.audit.checkpointKey?.asymmetricKeyType).toBe('ed25519');
      expect(() => loadConfig({ AUDIT_CHECKPOINT_KEY: 'not a key' })).toThrow(
        /AUDIT_CHECKPOINT_KEY is not a PEM private key/,
      );
      const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
      expect(() =>
        loadConfig({
          AUDIT_CHECKPOINT_KEY: rsa.export({ type: 'pkcs8', format: 'pem' }).toString(),
        }),
      ).toThrow(/not an Ed25519 key/);
      expect(() =>
        loadConfig({ AUDIT_CHECKPOINT_PUBLIC_KEY_FILE: path.join(dir, 'missing.pem') }),
      ).toThrow(/AUDIT_CHECKPOINT_PUBLIC_KEY_FILE: cannot read/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
