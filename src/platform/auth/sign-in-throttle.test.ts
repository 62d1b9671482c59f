import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, TestClock, testApp, testConfig } from '../../../test/support/app.js';
import { testDatabase } from '../../../test/support/database.js';
import { createStaff, type TestStaff } from '../../../test/support/staff.js';
import type { DatabaseHandle } from '../../db/connection.js';
import { addressBlock } from './sign-in-throttle.js';

/**
 * The sign-in throttle (decision record 0010). Two app instances over one
 * database, as behind a load balancer: the throttle's state is shared.
 */
let database: DatabaseHandle;
let first: FastifyInstance;
let second: FastifyInstance;
const clock = new TestClock();
const config = testConfig({
  SIGN_IN_ACCOUNT_FAILURES: '4',
  SIGN_IN_ACCOUNT_MAX_DELAY_MINUTES: '15',
  SIGN_IN_ADDRESS_FAILURES: '8',
  SIGN_IN_ADDRESS_MAX_DELAY_MINUTES: '60',
});
let addressCount = 0;
/** A fresh client address per agent, so that tests do not share address counts. */
const agentOn = (app: FastifyInstance, remoteAddress = `10.0.0.${(addressCount += 1)}`) =>
  new Agent(app, { remoteAddress });

beforeAll(async () => {
  database = await testDatabase();
  first = await testApp(database, { clock, config });
  second = await testApp(database, { clock, config });
});
afterAll(async () => {
  await first?.close();
  await second?.close();
  await database?.close();
});

const newStaff = () =>
  createStaff(database.db, [{ organisation: 'kent-scs', role: 'practitioner' }]);

/** What a client can see of an answer, with what it typed and per-request tokens taken out. */
function visible(response: LightMyRequestResponse, email: string) {
  return {
    status: response.statusCode,
    retryAfter: response.headers['retry-after'],
    location: response.headers.location,
    body: response.body
      .replaceAll(email, 'EMAIL')
      .replace(/name="_csrf" value="[^"]+"/g, '')
      .replace(/nonce="[^"]+"/g, ''),
  };
}

describe('the sign-in throttle', () => {
  it('answers an email address with an account and one without identically, failure after failure', async () => {
    const staff = await newStaff();
    const unknown = 'no.such.person@staff.example';
    const existing = agentOn(first);
    const missing = agentOn(first);
    for (let attempt = 1; attempt <= 7; attempt += 1) {
      const a = visible(await existing.signIn(staff.email, `wrong-${attempt}`), staff.email);
      const b = visible(await missing.signIn(unknown, `wrong-${attempt}`), unknown);
      expect(a, `attempt ${attempt}`).toEqual(b);
      if (attempt < 4) expect(a.status).toBe(401);
      else {
        expect(a.status).toBe(429);
        expect(a.body).toContain('Enter a correct email address and password, or wait');
      }
    }
  });

  it('grows its delays, capped, and lets the right password in once the delay has passed', async () => {
    const staff = await newStaff();
    const agent = agentOn(first);
    const waits: string[] = [];
    for (let attempt = 1; attempt <= 8; attempt += 1) {
      const response = await agent.signIn(staff.email, 'wrong');
      waits.push(response.headers['retry-after']?.toString() ?? '-');
      // Wait out each delay, so every attempt is a counted failure.
      clock.advanceMinutes(Number(response.headers['retry-after'] ?? 0) / 60);
    }
    // Account delays from the 4th failure: 1, 2, 4, 8, then capped at 15
    // minutes; the address's own (from its 8th) is 1 minute, shorter.
    expect(waits).toEqual(['-', '-', '-', '60', '120', '240', '480', '900']);
    const right = await agent.signIn(staff.email, staff.password);
    expect(right.statusCode).toBe(303);
  });

  it('lets the owner in while an attacker at another address hammers the account', async () => {
    const owner = await newStaff();
    const attacker = agentOn(first, '203.0.113.66');
    const statuses: number[] = [];
    for (let attempt = 1; attempt <= 12; attempt += 1) {
      statuses.push((await attacker.signIn(owner.email, `guess-${attempt}`)).statusCode);
    }
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.slice(3).every((s) => s === 429)).toBe(true);
    // The attacker's own address is now refused even the right password...
    expect((await attacker.signIn(owner.email, owner.password)).statusCode).toBe(429);
    // ...but the owner, at a clean address, on the other app instance, gets in.
    const ownerAgent = agentOn(second, '198.51.100.7');
    const signedIn = await ownerAgent.signIn(owner.email, owner.password);
    expect(signedIn.statusCode).toBe(303);
    expect((await ownerAgent.get('/')).statusCode).toBe(200);
  });

  it('lets the owner in from a browser they signed in on before, even at an address that has failed', async () => {
    const owner: TestStaff = await newStaff();
    const officeAddress = '192.0.2.10';
    const ownersBrowser = agentOn(first, officeAddress);
    expect((await ownersBrowser.signIn(owner.email, owner.password)).statusCode).toBe(303);
    await ownersBrowser.post('/sign-out', {});
    // Someone at the same office address runs the account into its delay.
    const colleague = agentOn(first, officeAddress);
    for (let attempt = 1; attempt <= 4; attempt += 1) await colleague.signIn(owner.email, 'wrong');
    expect((await colleague.signIn(owner.email, owner.password)).statusCode).toBe(429);
    expect((await ownersBrowser.signIn(owner.email, owner.password)).statusCode).toBe(303);
  });

  it('shares its counts between app instances over one database', async () => {
    const staff = await newStaff();
    const onFirst = agentOn(first, '10.9.9.9');
    const onSecond = agentOn(second, '10.9.9.9');
    const statuses = [
      (await onFirst.signIn(staff.email, 'wrong-1')).statusCode,
      (await onSecond.signIn(staff.email, 'wrong-2')).statusCode,
      (await onFirst.signIn(staff.email, 'wrong-3')).statusCode,
      (await onSecond.signIn(staff.email, 'wrong-4')).statusCode,
      (await onFirst.signIn(staff.email, staff.password)).statusCode,
    ];
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    const rows = await database.db.selectFrom('sign_in_throttle').selectAll().execute();
    // Hashes only: neither the email address typed nor the client address is stored.
    expect(JSON.stringify(rows)).not.toContain(staff.email);
    expect(JSON.stringify(rows)).not.toContain('10.9.9.9');
  });

  it('counts an IPv6 client by its /64 network', () => {
    expect(addressBlock('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressBlock('2001:0db8:0001:0002:ffff:1:2:3')).toBe('2001:db8:1:2::/64');
    expect(addressBlock('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressBlock('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(addressBlock('192.0.2.1')).toBe('192.0.2.1');
  });
});
