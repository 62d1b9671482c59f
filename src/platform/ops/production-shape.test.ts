import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { loadConfig } from '../../config.js';

/**
 * The container image and compose file (README, "Running it in production")
 * checked without Docker, which CI may not have: the compose file parsed
 * and held to the shape it must have, and the instances' environment run
 * through the real configuration loader as production would.
 */
const root = path.resolve(import.meta.dirname, '../../..');
const read = (file: string) => readFile(path.join(root, file), 'utf8');

const service = z.object({
  image: z.string().optional(),
  build: z.unknown().optional(),
  environment: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  healthcheck: z.object({ test: z.array(z.string()) }).optional(),
  depends_on: z.record(z.string(), z.object({ condition: z.string() })).optional(),
  volumes: z.array(z.string()).optional(),
  read_only: z.boolean().optional(),
  tmpfs: z.array(z.string()).optional(),
  cap_drop: z.array(z.string()).optional(),
  secrets: z.array(z.string()).optional(),
});
const composeFile = z.object({
  services: z.record(z.string(), service),
  secrets: z.record(z.string(), z.object({ file: z.string() })).optional(),
  volumes: z.record(z.string(), z.unknown()).optional(),
});

let compose: z.infer<typeof composeFile>;
let scratch: string;

beforeAll(async () => {
  compose = composeFile.parse(parse(await read('compose.yaml'), { merge: true }));
  scratch = await mkdtemp(path.join(tmpdir(), 'safekeep-compose-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** Compose's ${NAME:?message} and ${NAME:-default}, with values given for the required ones. */
function interpolate(value: string, given: Record<string, string>): string {
  return value.replace(/\$\{(\w+)(?::([?-])([^}]*))?\}/g, (_all, name: string, kind, rest) => {
    if (name in given) return given[name] ?? '';
    if (kind === '-') return String(rest);
    throw new Error(`${name} is required and was not given`);
  });
}

describe('compose.yaml', () => {
  it('has PostgreSQL, two app instances and a proxy, each checked for health', () => {
    const { services } = compose;
    expect(Object.keys(services).sort()).toEqual(['app-1', 'app-2', 'db', 'proxy']);
    expect(services.db?.image).toMatch(/^postgres:/);
    expect(services.db?.healthcheck?.test.join(' ')).toContain('pg_isready');
    expect(services.proxy?.image).toMatch(/^caddy:/);
    expect(Object.keys(services.proxy?.depends_on ?? {}).sort()).toEqual(['app-1', 'app-2']);
    for (const name of ['app-1', 'app-2']) {
      const app = services[name];
      expect(app?.build).toBeDefined();
      expect(app?.healthcheck?.test.join(' ')).toContain('/health/live');
      expect(app?.depends_on?.db?.condition).toBe('service_healthy');
      expect(services.proxy?.depends_on?.[name]?.condition).toBe('service_healthy');
      // A read-only root file system, with /tmp writable, and no capabilities.
      expect(app?.read_only).toBe(true);
      expect(app?.tmpfs).toContain('/tmp');
      expect(app?.cap_drop).toEqual(['ALL']);
    }
  });

  it('creates the least-privilege app role at initialisation, and the proxy sends to both', async () => {
    const init = compose.services.db?.volumes?.find((v) =>
      v.includes('docker-entrypoint-initdb.d'),
    );
    const script = init?.split(':')[0] ?? '';
    expect(script).toBe('./deploy/postgres/init-roles.sh');
    const text = await read(script);
    expect((await stat(path.join(root, script))).mode & 0o111).not.toBe(0);
    expect(text).toMatch(/create role safekeep_owner login/);
    expect(text).toMatch(/create role safekeep_app login[^;]*nosuperuser/);
    expect(text).toMatch(/create database safekeep owner safekeep_owner/);
    expect(text).toMatch(/revoke create on schema public from public/);
    const caddyfile = await read('deploy/caddy/Caddyfile');
    expect(caddyfile).toMatch(/reverse_proxy app-1:3000 app-2:3000/);
    expect(caddyfile).toMatch(/health_uri \/health\/ready/);
    expect(caddyfile).toMatch(/respond \/metrics 404/);
  });

  it('gives each instance a configuration production accepts, as the least-privilege role, behind the proxy', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const keyFile = path.join(scratch, 'audit-checkpoint-key.pem');
    await writeFile(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const given = {
      SAFEKEEP_APP_PASSWORD: 'app-password',
      SAFEKEEP_OWNER_PASSWORD: 'owner-password',
      SESSION_SECRET: 's'.repeat(40),
      RESEARCH_KEY_SECRET: 'r'.repeat(40),
      METRICS_TOKEN: 'm'.repeat(40),
    };
    expect(compose.secrets?.audit_checkpoint_key?.file).toBe('./secrets/audit-checkpoint-key.pem');
    for (const name of ['app-1', 'app-2']) {
      const environment = Object.fromEntries(
        Object.entries(compose.services[name]?.environment ?? {}).map(([key, value]) => [
          key,
          interpolate(String(value), given),
        ]),
      );
      expect(compose.services[name]?.secrets).toContain('audit_checkpoint_key');
      expect(environment.AUDIT_CHECKPOINT_KEY_FILE).toBe('/run/secrets/audit_checkpoint_key');
      const config = loadConfig({ ...environment, AUDIT_CHECKPOINT_KEY_FILE: keyFile });
      expect(config.env).toBe('production');
      expect(config.database).toMatchObject({
        kind: 'postgres',
        url: 'postgres://safekeep_app:app-password@db:5432/safekeep',
        ownerUrl: 'postgres://safekeep_owner:owner-password@db:5432/safekeep',
      });
      expect(config.trustProxy).toEqual(['uniquelocal']);
      expect(config.metricsToken).toBe(given.METRICS_TOKEN);
      expect(config.host).toBe('0.0.0.0');
      expect(config.audit.checkpointFile).toBe('/var/lib/safekeep/checkpoints.jsonl');
    }
    // Without a required secret, compose refuses (and so does this reading of it).
    expect(() =>
      interpolate(String(compose.services['app-1']?.environment?.SESSION_SECRET), {}),
    ).toThrow('SESSION_SECRET');
  });
});

describe('Dockerfile', () => {
  it('builds in stages, runs as a non-root user, and checks liveness', async () => {
    const dockerfile = await read('Dockerfile');
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    const users = [...dockerfile.matchAll(/^USER (\S+)/gm)].map((m) => m[1]);
    expect(users.at(-1)).toBe('node');
    expect(dockerfile).toMatch(/^HEALTHCHECK [\s\S]*\/health\/live/m);
    const ignored = (await read('.dockerignore')).split('\n');
    for (const entry of ['.git', '.env', 'node_modules', 'data', 'secrets']) {
      expect(ignored).toContain(entry);
    }
  });
});
