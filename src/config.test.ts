import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

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
    });
    expect(config.port).toBe(8080);
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
    const ok = loadConfig({
      NODE_ENV: 'production',
      SESSION_SECRET: 'a-real-secret-from-the-vault-0123456789abcdef',
      DATABASE_URL: 'postgres://safekeep@db.internal/safekeep',
    });
    expect(ok.env).toBe('production');
  });
});
