import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Command } from 'commander';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

import { testApp } from '../../../test/support/app.js';
import { testDatabase } from '../../../test/support/database.js';
import type { DatabaseHandle } from '../../db/connection.js';
import type { ScratchDatabase } from '../../db/scratch.js';
import { registerServiceAccountCommands } from '../../platform/auth/cli.js';
import { registerOrganisationCommands } from './cli.js';
import { PolicyVersions } from './versions.js';

const fixtures = join(import.meta.dirname, '../../../test/fixtures/policy');

let database: ScratchDatabase;
let app: FastifyInstance;
const out: string[] = [];
const err: string[] = [];

/**
 * The commands as `safekeep` registers them, over the test's database. Each
 * open does what the CLI's start-up does for policy: organisations added
 * from a document are put in force from their stored version.
 */
function cli(): Command {
  const program = new Command().exitOverride();
  const open = async (): Promise<DatabaseHandle> => {
    await new PolicyVersions(database.db).registerVersionsInForce();
    return { ...database, close: async () => {} };
  };
  registerOrganisationCommands(program, open, {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  registerServiceAccountCommands(program, open);
  return program;
}

const run = (...args: string[]) => cli().parseAsync(['node', 'safekeep', ...args]);

beforeAll(async () => {
  database = await testDatabase();
  app = await testApp(database);
});
afterAll(async () => {
  await app.close();
  await database.close();
});
afterEach(() => {
  out.length = 0;
  err.length = 0;
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

describe('safekeep organisation', () => {
  it('refuses a document with mistakes whole, naming the file, the place and what is wrong', async () => {
    const broken = readFileSync(join(fixtures, 'wessex-bc.yaml'), 'utf8')
      .replace('years: 10', 'years: -10')
      .replace('          action: destroy', '          action: shred');
    const file = join(mkdtempSync(join(tmpdir(), 'policy-')), 'wessex-bc.yaml');
    writeFileSync(file, broken);
    await run('organisation', 'add', file);
    expect(process.exitCode).toBe(1);
    // Each problem names the line it is on, so it can be found in the file.
    const lineOf = (text: string) => broken.split('\n').findIndex((l) => l.includes(text)) + 1;
    expect(err).toEqual([
      `${file} was not added; nothing was saved. Put right:`,
      `  wessex-bc.yaml line ${lineOf('years: -10')} at categories[0].retention.rules[0].period.years: must be at least 1 year`,
      `  wessex-bc.yaml line ${lineOf('action: shred')} at categories[0].retention.rules[0].action: must be one of: destroy, make-inaccessible, return-to-partnership, review, archive`,
    ]);
    const organisations = await database.db
      .selectFrom('organisation')
      .select('slug')
      .where('slug', '=', 'wessex-bc')
      .execute();
    expect(organisations).toEqual([]);
    await run('organisation', 'add', join(fixtures, 'no-such-file.yaml'));
    expect(err.at(-1)).toMatch(/^Cannot read .*no-such-file\.yaml: check the path/);
  });

  it('adds a sixth council whose staff then work under its own retention rule, with no code change', async () => {
    await run('organisation', 'add', join(fixtures, 'wessex-bc.yaml'));
    expect(err).toEqual([]);
    expect(out[0]).toBe(
      'Added Wessex Borough Council (wessex-bc) with policy version 1: 1 category of record.',
    );
    const audit = await database.db
      .selectFrom('audit_event')
      .select('action')
      .where('action', '=', 'organisation.add')
      .execute();
    expect(audit).toHaveLength(1);

    out.length = 0;
    await run('organisation', 'list');
    expect(out.find((line) => line.startsWith('wessex-bc'))).toMatch(
      /Wessex Borough Council — policy version 1 in force since \d{1,2} [A-Z][a-z]+ \d{4} \(1 version, added\)/,
    );

    // An account made with the existing account command.
    const logged: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => logged.push(line));
    await run(
      'service-account',
      'create',
      '--name',
      'Wessex concerns feed',
      '--organisation',
      'wessex-bc',
      '--role',
      'practitioner',
    );
    expect(process.exitCode).toBeUndefined();
    const token = logged.find((line) => line.startsWith('Token'))?.split('\n')[1] ?? '';
    expect(token).not.toBe('');
    const headers = { authorization: `Bearer ${token}` };

    const person = await app.inject({
      method: 'POST',
      url: '/api/v1/people',
      headers,
      payload: { givenName: 'Synthetic', familyName: 'Wessexperson', dateOfBirth: '1990-03-03' },
    });
    expect(person.statusCode).toBe(201);
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/records',
      headers,
      payload: {
        category: 'safeguarding-concern',
        subjectPersonId: (person.json() as { id: string }).id,
        openedOn: '2026-01-15',
        detail: { concernTypes: ['neglect'] },
      },
    });
    expect(created.statusCode).toBe(201);
    const record = await app.inject({
      url: `/api/v1/records/${(created.json() as { id: string }).id}`,
      headers,
    });
    expect(record.statusCode).toBe(200);
    // Wessex's own rule: ten years from the day the concern was logged
    // (Maidstone's would give 2033).
    expect((record.json() as { retention: unknown }).retention).toMatchObject({
      status: 'scheduled',
      due: '2036-01-15',
      action: 'destroy',
      ruleId: 'wessex-bc/safeguarding-concern/recorded-plus-10',
    });
  });
});
