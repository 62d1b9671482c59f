import type { FastifyInstance } from 'fastify';
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, TestClock, testApp } from '../../../test/support/app.js';
import { testDatabase } from '../../../test/support/database.js';
import { createStaff, type TestStaff } from '../../../test/support/staff.js';
import type { DatabaseHandle } from '../../db/connection.js';
import { chainAndVerify } from '../../../test/support/audit.js';
import { SESSION_COOKIE } from './session-hook.js';

let database: DatabaseHandle;
let app: FastifyInstance;
const clock = new TestClock();
let practitioner: TestStaff;

beforeAll(async () => {
  database = await testDatabase();
  app = await testApp(database, { clock });
  practitioner = await createStaff(database.db, [
    { organisation: 'kent-scs', role: 'practitioner' },
  ]);
});
afterAll(async () => {
  await app.close();
  await database.close();
});

async function auditActions(accountId: string): Promise<string[]> {
  const rows = await database.db
    .selectFrom('audit_event')
    .select('action')
    .where('actor_account_id', '=', accountId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => r.action);
}

describe('signing in', () => {
  it('sends anyone not signed in to the sign-in page', async () => {
    const agent = new Agent(app);
    const home = await agent.get('/');
    expect(home.statusCode).toBe(302);
    expect(home.headers.location).toBe('/sign-in');
    const api = await agent.get('/api/v1/me');
    expect(api.statusCode).toBe(401);
    expect(api.json()).toMatchObject({ error: 'sign-in-required' });
  });

  it('signs in, shows the home page with the user and organisation, and signs out for good', async () => {
    const agent = new Agent(app);
    const signIn = await agent.signIn(practitioner.email, practitioner.password);
    expect(signIn.statusCode).toBe(303);
    expect(signIn.headers.location).toBe('/');
    const cookie = signIn.cookies.find((c) => c.name === SESSION_COOKIE);
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax' });

    const home = await agent.get('/');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('Kent Children&#39;s Social Care');
    const me = await agent.get('/api/v1/me');
    expect(me.json()).toMatchObject({ accountId: practitioner.accountId, roles: ['practitioner'] });

    const token = agent.cookie(SESSION_COOKIE)!;
    const out = await agent.post('/sign-out', {});
    expect(out.headers.location).toBe('/signed-out');
    // The old cookie is dead on the server, not merely forgotten by the browser.
    const replay = await app.inject({
      url: '/',
      headers: { cookie: `${SESSION_COOKIE}=${token}` },
    });
    expect(replay.headers.location).toBe('/sign-in');
    const session = await database.db
      .selectFrom('session')
      .select('ended_at')
      .where('account_id', '=', practitioner.accountId)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    expect(session.ended_at).not.toBeNull();
    expect(await auditActions(practitioner.accountId)).toEqual(
      expect.arrayContaining(['sign-in.success', 'sign-out']),
    );
  });

  it('shows a GOV.UK error summary for empty and wrong input, keeping what was typed', async () => {
    const agent = new Agent(app);
    const empty = await agent.signIn('', '');
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('govuk-error-summary');
    expect(empty.body).toContain('Enter your email address');
    expect(empty.body).toContain('<title>Error: Sign in');

    const wrong = await agent.signIn(practitioner.email, 'not the password');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain('Enter a correct email address and password');
    expect(wrong.body).toContain(`value="${practitioner.email}"`);
  });

  it('does not say whether an email address has an account', async () => {
    const agent = new Agent(app);
    const unknown = await agent.signIn('nobody@staff.example', 'whatever');
    expect(unknown.statusCode).toBe(401);
    expect(unknown.body).toContain('Enter a correct email address and password');
  });

  it('refuses a form post without its CSRF token', async () => {
    const agent = new Agent(app);
    await agent.get('/sign-in');
    const response = await agent.post(
      '/sign-in',
      { email: practitioner.email, password: practitioner.password },
      false,
    );
    expect(response.statusCode).toBe(403);
  });

  it('slows an address down after 5 failures on an account, even against the right password, and audits it', async () => {
    const staff = await createStaff(database.db, [
      { organisation: 'kent-scs', role: 'practitioner' },
    ]);
    const agent = new Agent(app);
    for (let i = 0; i < 4; i += 1) {
      expect((await agent.signIn(staff.email, 'wrong')).statusCode).toBe(401);
    }
    const fifth = await agent.signIn(staff.email, 'wrong');
    expect(fifth.statusCode).toBe(429);
    expect(fifth.body).toContain('Enter a correct email address and password, or wait 1 minute');
    // This address has failed, so it waits too; the owner elsewhere would not
    // (sign-in-throttle.test.ts).
    const right = await agent.signIn(staff.email, staff.password);
    expect(right.statusCode).toBe(429);
    const actions = await auditActions(staff.accountId);
    expect(actions.filter((a) => a === 'sign-in.failure')).toHaveLength(5);
    expect(actions).toContain('sign-in.throttled');
    clock.advanceMinutes(1);
    expect((await agent.signIn(staff.email, staff.password)).statusCode).toBe(303);
  });

  it('ends a session idle for 30 minutes, and any session past its absolute lifetime', async () => {
    const agent = new Agent(app);
    await agent.signIn(practitioner.email, practitioner.password);
    clock.advanceMinutes(29);
    expect((await agent.get('/')).statusCode).toBe(200);
    clock.advanceMinutes(31);
    expect((await agent.get('/')).headers.location).toBe('/sign-in');

    // A tab that only refetches the page's stylesheets and scripts is idle:
    // those are served without looking at the session at all.
    const tab = new Agent(app);
    await tab.signIn(practitioner.email, practitioner.password);
    clock.advanceMinutes(20);
    const asset = await tab.get('/assets/app.css');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['set-cookie']).toBeUndefined();
    clock.advanceMinutes(15);
    expect((await tab.get('/')).headers.location).toBe('/sign-in');

    const busy = new Agent(app);
    await busy.signIn(practitioner.email, practitioner.password);
    // Active every 20 minutes, but 10 hours is the most any session lives.
    for (let minutes = 0; minutes < 600; minutes += 20) {
      clock.advanceMinutes(20);
      const page = await busy.get('/');
      if (minutes + 20 >= 600) expect(page.headers.location).toBe('/sign-in');
      else expect(page.statusCode).toBe(200);
    }
  });

  it('rate-limits sign-in attempts from one address', async () => {
    const limited = await testApp(database, {
      config: (await import('../../../test/support/app.js')).testConfig({
        SIGN_IN_RATE_LIMIT_PER_MINUTE: '3',
      }),
    });
    try {
      const agent = new Agent(limited);
      const statuses: number[] = [];
      for (let i = 0; i < 4; i += 1)
        statuses.push((await agent.signIn('x@staff.example', 'y')).statusCode);
      expect(statuses).toEqual([401, 401, 401, 429]);
    } finally {
      await limited.close();
    }
  });

  it('keeps the audit chain intact through all of the above', async () => {
    expect((await chainAndVerify(database.db)).ok).toBe(true);
  });
});

describe('two-factor authentication for privileged roles', () => {
  it('makes a LADO officer set up TOTP, then asks for a code at every sign-in, with recovery codes as the way back', async () => {
    const lado = await createStaff(database.db, [
      { organisation: 'kent-lado', role: 'lado-officer' },
    ]);
    const agent = new Agent(app);
    const signIn = await agent.signIn(lado.email, lado.password);
    expect(signIn.headers.location).toBe('/sign-in/two-factor/set-up');
    // Nothing else is reachable until the second factor is done.
    expect((await agent.get('/')).headers.location).toBe('/sign-in/two-factor/set-up');
    expect((await agent.get('/api/v1/me')).statusCode).toBe(401);

    const setUp = await agent.get('/sign-in/two-factor/set-up');
    const secret = /data-testid="totp-secret">([A-Z2-7 ]+)</
      .exec(setUp.body)![1]!
      .replace(/ /g, '');
    const bad = await agent.post('/sign-in/two-factor/set-up', { code: '000000' });
    expect(bad.statusCode).toBe(400);
    const code = await generate({ secret, epoch: Math.floor(clock.now().getTime() / 1000) });
    const confirmed = await agent.post('/sign-in/two-factor/set-up', { code });
    expect(confirmed.statusCode).toBe(200);
    const recoveryCodes = [...confirmed.body.matchAll(/<li>([a-z0-9]{5}-[a-z0-9]{5})<\/li>/g)].map(
      (m) => m[1]!,
    );
    expect(recoveryCodes).toHaveLength(10);
    expect((await agent.get('/')).statusCode).toBe(200);
    await agent.post('/sign-out', {});

    // Next sign-in: a code is needed; the same code cannot be replayed.
    const again = new Agent(app);
    expect((await again.signIn(lado.email, lado.password)).headers.location).toBe(
      '/sign-in/two-factor',
    );
    await again.get('/sign-in/two-factor');
    const replay = await again.post('/sign-in/two-factor', { code });
    expect(replay.statusCode).toBe(400);
    clock.advanceMinutes(1);
    const fresh = await generate({ secret, epoch: Math.floor(clock.now().getTime() / 1000) });
    expect((await again.post('/sign-in/two-factor', { code: fresh })).headers.location).toBe('/');
    await again.post('/sign-out', {});

    // Lost phone: a recovery code works once and leads to setting up again.
    const recovering = new Agent(app);
    await recovering.signIn(lado.email, lado.password);
    await recovering.get('/sign-in/recovery-code');
    const used = await recovering.post('/sign-in/recovery-code', { code: recoveryCodes[0]! });
    expect(used.headers.location).toBe('/sign-in/two-factor/set-up');
    const reused = new Agent(app);
    await reused.signIn(lado.email, lado.password);
    // The authenticator was reset, so set-up is asked for again; the old code is spent.
    expect((await reused.get('/')).headers.location).toBe('/sign-in/two-factor/set-up');
    expect(await auditActions(lado.accountId)).toEqual(
      expect.arrayContaining([
        'mfa.enrolled',
        'mfa.success',
        'mfa.recovery-code-used',
        'mfa.reset',
      ]),
    );
  });
});

describe('staff in more than one organisation', () => {
  it('chooses an organisation and sees roles held there only', async () => {
    const joint = await createStaff(database.db, [
      { organisation: 'kent-scs', role: 'practitioner' },
      { organisation: 'kscmp', role: 'partnership-business' },
    ]);
    const agent = new Agent(app);
    expect((await agent.signIn(joint.email, joint.password)).headers.location).toBe(
      '/choose-organisation',
    );
    const chooser = await agent.get('/choose-organisation');
    const kscmp = await database.db
      .selectFrom('organisation')
      .select('id')
      .where('slug', '=', 'kscmp')
      .executeTakeFirstOrThrow();
    expect(chooser.body).toContain(kscmp.id);
    const missing = await agent.post('/choose-organisation', {});
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Select the organisation you are working for');
    await agent.post('/choose-organisation', { organisationId: kscmp.id });
    const me = (await agent.get('/api/v1/me')).json();
    expect(me).toMatchObject({ organisation: { slug: 'kscmp' }, roles: ['partnership-business'] });
  });
});
