import { isIPv4, isIPv6 } from 'node:net';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Config } from '../../config.js';
import type { Database } from '../../db/schema.js';
import { sha256 } from './tokens.js';

/**
 * Slows password guessing without letting anyone lock an account's owner
 * out (decision record 0010). Failures are counted per account key (the
 * email address typed, whether or not an account has it, so the answers
 * cannot tell them apart) and per client address, in the database so that
 * every app instance shares them. Past a threshold each further failure
 * doubles a delay, up to a cap, during which attempts are refused without
 * the password being checked:
 *
 * - an address's delay refuses everything from that address — the attacker's
 *   own address is the one slowed hardest — except from a browser this
 *   account has signed in on before (staff behind one office address are not
 *   shut out by a colleague's typing or an attacker sharing it);
 * - an account's delay is short, and refuses only attempts from addresses
 *   that have themselves failed recently, unless from a browser this account
 *   has signed in on before: its owner, at a clean address or their own
 *   browser, still gets in while an attacker elsewhere hammers it.
 */
export type ThrottleSettings = Config['signInThrottle'];

/** A failure is forgotten a day after the last one from the same key. */
const FORGET_AFTER_MS = 24 * 3_600_000;
const FIRST_DELAY_MS = 60_000;

export interface ThrottleKeys {
  account: string;
  address: string;
}

/** The browser cookie naming the account last signed in on it, as an opaque hash. */
export const KNOWN_DEVICE_COOKIE = 'safekeep_device';

export function throttleKeys(normalisedEmail: string, clientAddress: string): ThrottleKeys {
  return {
    account: `account:${sha256(`account\0${normalisedEmail}`)}`,
    address: `address:${sha256(`address\0${addressBlock(clientAddress)}`)}`,
  };
}

/** The value of the known-device cookie for an account key: reveals nothing by itself. */
export function knownDeviceValue(normalisedEmail: string): string {
  return sha256(`device\0${normalisedEmail}`);
}

/**
 * IPv4 addresses are counted one by one; IPv6 ones by their /64 network,
 * since one connection is routinely given a whole /64 to pick from.
 */
export function addressBlock(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped && isIPv4(mapped)) return mapped;
  if (!isIPv6(address)) return address;
  const [head = '', tail] = address.toLowerCase().split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const missing = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(missing).fill('0'), ...tailGroups];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

export class SignInThrottle {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly settings: ThrottleSettings,
  ) {}

  /**
   * Until when this attempt must be refused without checking the password,
   * or null when the password may be checked.
   */
  async refusedUntil(keys: ThrottleKeys, knownDevice: boolean, now: Date): Promise<Date | null> {
    if (knownDevice) return null;
    const rows = await this.db
      .selectFrom('sign_in_throttle')
      .select(['key', 'failures', 'blocked_until'])
      .where('key', 'in', [keys.account, keys.address])
      .where('last_failure_at', '>', new Date(now.getTime() - FORGET_AFTER_MS))
      .execute();
    const address = rows.find((r) => r.key === keys.address);
    const account = rows.find((r) => r.key === keys.account);
    if (address?.blocked_until && address.blocked_until > now) return address.blocked_until;
    if (account?.blocked_until && account.blocked_until > now && address) {
      return account.blocked_until;
    }
    return null;
  }

  /**
   * Counts a failure against both keys, in the caller's transaction; returns
   * the latest delay now running on either, if any.
   */
  async recordFailure(
    trx: Transaction<Database>,
    keys: ThrottleKeys,
    now: Date,
  ): Promise<Date | null> {
    const forgetBefore = new Date(now.getTime() - FORGET_AFTER_MS);
    // Forgotten failures are removed as new ones come in: no job needed.
    await trx.deleteFrom('sign_in_throttle').where('last_failure_at', '<=', forgetBefore).execute();
    const limits = [
      [keys.account, this.settings.accountFailures, this.settings.accountMaxDelayMinutes],
      [keys.address, this.settings.addressFailures, this.settings.addressMaxDelayMinutes],
    ] as const;
    let latest: Date | null = null;
    for (const [key, threshold, maxDelayMinutes] of limits) {
      // One statement per key, so that concurrent failures on two app
      // instances each add one (the row lock orders them).
      const row = await trx
        .insertInto('sign_in_throttle')
        .values({ key, failures: 1, last_failure_at: now })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({
            failures: sql<number>`sign_in_throttle.failures + 1`,
            last_failure_at: now,
          }),
        )
        .returning(['failures', 'blocked_until'])
        .executeTakeFirstOrThrow();
      let blockedUntil = row.blocked_until;
      if (row.failures >= threshold) {
        const delay = Math.min(
          maxDelayMinutes * 60_000,
          FIRST_DELAY_MS * 2 ** Math.min(row.failures - threshold, 30),
        );
        blockedUntil = new Date(now.getTime() + delay);
        await trx
          .updateTable('sign_in_throttle')
          .set({ blocked_until: blockedUntil })
          .where('key', '=', key)
          .execute();
      }
      if (blockedUntil && blockedUntil > now && (!latest || blockedUntil > latest)) {
        latest = blockedUntil;
      }
    }
    return latest;
  }
}
