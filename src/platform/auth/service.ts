import { randomInt } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres';
import type { Config } from '../../config.js';
import { compiledOnce } from '../../db/compiled-once.js';
import type { Database } from '../../db/schema.js';
import type { RoleSlug } from '../access/roles.js';
import { recordAudit } from '../audit/audit-log.js';
import { hashPassword, verifyAgainstNothing, verifyPassword } from './passwords.js';
import { SignInThrottle, throttleKeys } from './sign-in-throttle.js';
import { newToken, sha256 } from './tokens.js';
import { acknowledgementDue, staffConfidentialityStatement } from './confidentiality.js';
import { checkTotp, newTotpSecret, totpUri } from './totp.js';

/** Who is signed in, as every route and the access function see them. */
export interface StaffContext {
  accountId: string;
  sessionId: string;
  displayName: string;
  organisation: { id: string; slug: string; shortName: string } | null;
  /** Roles held in the current organisation only. */
  roles: RoleSlug[];
  /** Teams belonged to in the current organisation (allocation is by worker or team). */
  teams: { id: string; slug: string }[];
  organisationCount: number;
  /** The session may act only once every step of sign-in is done. */
  stage:
    'needs-mfa-setup' | 'needs-mfa' | 'needs-organisation' | 'needs-confidentiality' | 'complete';
}

export type SignInResult =
  | { outcome: 'signed-in'; token: string; staff: StaffContext }
  | { outcome: 'invalid' }
  /** Too many failures for this account key or address: wait this long. */
  | { outcome: 'throttled'; waitMinutes: number };

export const RECOVERY_CODE_COUNT = 10;

/**
 * Accounts, sessions and two-factor authentication. Every state change
 * writes its audit event in the same transaction.
 */
export class AuthService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly config: Pick<Config, 'session' | 'lockout' | 'signInThrottle'>,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.throttle = new SignInThrottle(db, config.signInThrottle);
  }

  private readonly throttle: SignInThrottle;

  async createAccount(input: {
    email: string;
    displayName: string;
    password: string;
  }): Promise<string> {
    const passwordHash = await hashPassword(input.password);
    return this.db.transaction().execute(async (trx) => {
      const { id } = await trx
        .insertInto('account')
        .values({
          email: input.email.toLowerCase(),
          display_name: input.displayName,
          password_hash: passwordHash,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAudit(trx, {
        action: 'account.create',
        actorAccountId: null,
        organisationId: null,
        objectType: 'account',
        objectIds: [id],
      });
      return id;
    });
  }

  /**
   * Checks an email address and password, throttled per account key and per
   * client address (sign-in-throttle.ts). Every answer but success is the
   * same for an email address with an account and one without: the same
   * outcome, the same delay, and the same work (a dummy hash for unknown ones).
   */
  async signIn(
    email: string,
    password: string,
    attempt: { requestId?: string; address?: string; knownDevice?: boolean } = {},
  ): Promise<SignInResult> {
    const normalised = email.trim().toLowerCase();
    const requestId = attempt.requestId;
    const keys = throttleKeys(normalised, attempt.address ?? 'no-address');
    const account = await this.db
      .selectFrom('account')
      .select(['id', 'password_hash'])
      .where('email', '=', normalised)
      // Service accounts act through API tokens only, never the sign-in page.
      .where('kind', '=', 'staff')
      // A leaver disabled by single sign-on fails as an unknown address does.
      .where('disabled_at', 'is', null)
      .executeTakeFirst();
    const now = this.now();

    const refusedUntil = await this.throttle.refusedUntil(keys, attempt.knownDevice ?? false, now);
    if (refusedUntil) {
      await this.db.transaction().execute((trx) =>
        recordAudit(trx, {
          action: 'sign-in.throttled',
          actorAccountId: account?.id ?? null,
          organisationId: null,
          outcome: 'denied',
          ...(requestId ? { requestId } : {}),
        }),
      );
      return { outcome: 'throttled', waitMinutes: minutesUntil(refusedUntil, now) };
    }

    const passwordOk = account
      ? await verifyPassword(account.password_hash, password)
      : await verifyAgainstNothing(password);
    return this.db.transaction().execute(async (trx): Promise<SignInResult> => {
      if (!account || !passwordOk) {
        const until = await this.throttle.recordFailure(trx, keys, now);
        await recordAudit(trx, {
          action: 'sign-in.failure',
          actorAccountId: account?.id ?? null,
          organisationId: null,
          outcome: 'failure',
          ...(requestId ? { requestId } : {}),
        });
        return until
          ? { outcome: 'throttled', waitMinutes: minutesUntil(until, now) }
          : { outcome: 'invalid' };
      }
      return this.openSession(trx, account.id, {
        action: 'sign-in.success',
        ...(requestId ? { requestId } : {}),
      });
    });
  }

  /**
   * A new session for an account whose credentials have just been checked
   * (a password here, or a provider's ID token in single-sign-on/), inside
   * the caller's transaction. A provider that reported multi-factor
   * authentication marks the session as having passed it.
   */
  async openSession(
    trx: Transaction<Database>,
    accountId: string,
    how: { action: string; requestId?: string; mfaVerified?: boolean; organisationId?: string },
  ): Promise<{ outcome: 'signed-in'; token: string; staff: StaffContext }> {
    const now = this.now();
    const token = newToken();
    const memberships = await this.memberships(trx, accountId);
    const organisationIds = [...new Set(memberships.map((m) => m.organisation_id))];
    const organisationId =
      how.organisationId && organisationIds.includes(how.organisationId)
        ? how.organisationId
        : organisationIds.length === 1
          ? (organisationIds[0] ?? null)
          : null;
    const { id: sessionId } = await trx
      .insertInto('session')
      .values({
        token_hash: sha256(token),
        account_id: accountId,
        organisation_id: organisationId,
        last_seen_at: now,
        expires_at: new Date(now.getTime() + this.config.session.absoluteHours * 3_600_000),
        mfa_verified_at: how.mfaVerified ? now : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      action: how.action,
      actorAccountId: accountId,
      organisationId: null,
      objectType: 'session',
      objectIds: [sessionId],
      ...(how.requestId ? { requestId: how.requestId } : {}),
    });
    const staff = await this.contextFor(trx, sessionId);
    if (!staff) throw new Error('session vanished inside its own transaction');
    return { outcome: 'signed-in', token, staff };
  }

  /**
   * Adds a wrong second-factor code; locks the second factor at the
   * threshold. Returns the lock's end, if locked. Only someone who already
   * has the password reaches this step, and six digits are few enough that
   * a hard limit is needed (the password step is throttled instead).
   */
  private async countFailure(
    trx: Transaction<Database>,
    accountId: string,
    now: Date,
  ): Promise<Date | null> {
    const row = await trx
      .updateTable('account')
      .set((eb) => ({ failed_sign_ins: eb('failed_sign_ins', '+', 1) }))
      .where('id', '=', accountId)
      .returning('failed_sign_ins')
      .executeTakeFirstOrThrow();
    if (row.failed_sign_ins < this.config.lockout.threshold) return null;
    const until = new Date(now.getTime() + this.config.lockout.minutes * 60_000);
    await trx
      .updateTable('account')
      .set({ failed_sign_ins: 0, locked_until: until })
      .where('id', '=', accountId)
      .execute();
    await recordAudit(trx, {
      action: 'account.locked',
      actorAccountId: accountId,
      organisationId: null,
      objectType: 'account',
      objectIds: [accountId],
    });
    return until;
  }

  /**
   * The staff member behind a session cookie, or null when the session is
   * unknown, signed out, idle for too long or past its absolute lifetime.
   */
  async resume(token: string): Promise<StaffContext | null> {
    const now = this.now();
    // One round trip on every request: the session, its account, organisation
    // and memberships together (contextQuery), since this runs before every
    // signed-in page and API call.
    const {
      rows: [row],
    } = await this.db.executeQuery(sessionByTokenHash(this.db, { tokenHash: sha256(token) }));
    if (!row || row.ended_at) return null;
    const idleLimit = row.last_seen_at.getTime() + this.config.session.idleMinutes * 60_000;
    if (now.getTime() >= idleLimit || now >= row.expires_at) {
      await this.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('session')
          .set({ ended_at: now })
          .where('id', '=', row.sessionId)
          .execute();
        await recordAudit(trx, {
          action: 'session.expired',
          actorAccountId: row.accountId,
          organisationId: null,
          objectType: 'session',
          objectIds: [row.sessionId],
        });
      });
      return null;
    }
    // Record activity at most once a minute: enough for a 30-minute idle limit.
    if (now.getTime() - row.last_seen_at.getTime() > 60_000) {
      await this.db
        .updateTable('session')
        .set({ last_seen_at: now })
        .where('id', '=', row.sessionId)
        .execute();
    }
    return staffContextOf(row, now);
  }

  async signOut(staff: StaffContext): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('session')
        .set({ ended_at: this.now() })
        .where('id', '=', staff.sessionId)
        .execute();
      await recordAudit(trx, {
        action: 'sign-out',
        actorAccountId: staff.accountId,
        organisationId: staff.organisation?.id ?? null,
        objectType: 'session',
        objectIds: [staff.sessionId],
      });
    });
  }

  /** The organisations a staff member may act for, to choose between. */
  async organisationsFor(accountId: string) {
    return this.db
      .selectFrom('membership')
      .innerJoin('organisation', 'organisation.id', 'membership.organisation_id')
      .innerJoin('role', 'role.slug', 'membership.role_slug')
      .select([
        'organisation.id',
        'organisation.short_name as shortName',
        'organisation.name',
        'role.name as roleName',
      ])
      .where('membership.account_id', '=', accountId)
      .orderBy('organisation.short_name')
      .execute();
  }

  async chooseOrganisation(staff: StaffContext, organisationId: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const member = await trx
        .selectFrom('membership')
        .select('id')
        .where('account_id', '=', staff.accountId)
        .where('organisation_id', '=', organisationId)
        .executeTakeFirst();
      if (!member) return false;
      await trx
        .updateTable('session')
        .set({ organisation_id: organisationId })
        .where('id', '=', staff.sessionId)
        .execute();
      await recordAudit(trx, {
        action: 'session.organisation-chosen',
        actorAccountId: staff.accountId,
        organisationId,
        objectType: 'session',
        objectIds: [staff.sessionId],
      });
      return true;
    });
  }

  /**
   * Records that the staff member acknowledges the confidentiality statement
   * for the organisation their session acts for (confidentiality.ts).
   */
  async acknowledgeConfidentiality(staff: StaffContext): Promise<void> {
    const organisationId = staff.organisation?.id;
    if (!organisationId) throw new Error('an organisation is chosen before confidentiality');
    await this.db.transaction().execute(async (trx) => {
      await acknowledgeConfidentialityFor(trx, staff.accountId, organisationId, this.now());
      await recordAudit(trx, {
        action: 'staff.confidentiality-acknowledged',
        actorAccountId: staff.accountId,
        organisationId,
        objectType: 'account',
        objectIds: [staff.accountId],
      });
    });
  }

  /** When the staff member last acknowledged the statement for their organisation. */
  async latestConfidentialityAcknowledgement(staff: StaffContext): Promise<Date | null> {
    if (!staff.organisation) return null;
    const row = await this.db
      .selectFrom('staff_confidentiality_acknowledgement')
      .select('acknowledged_at')
      .where('account_id', '=', staff.accountId)
      .where('organisation_id', '=', staff.organisation.id)
      .orderBy('acknowledged_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.acknowledged_at ?? null;
  }

  /** Starts (or restarts) authenticator set-up; the secret is live only once confirmed. */
  async beginTotpSetup(staff: StaffContext): Promise<{ secret: string; uri: string }> {
    const account = await this.db
      .selectFrom('account')
      .select(['email', 'totp_secret', 'totp_enabled_at'])
      .where('id', '=', staff.accountId)
      .executeTakeFirstOrThrow();
    if (account.totp_enabled_at) throw new Error('two-factor authentication is already set up');
    let secret = account.totp_secret;
    if (!secret) {
      secret = newTotpSecret();
      await this.db
        .updateTable('account')
        .set({ totp_secret: secret })
        .where('id', '=', staff.accountId)
        .execute();
    }
    return { secret, uri: totpUri(secret, account.email) };
  }

  /** Confirms set-up with a first code; returns the one-time recovery codes, shown once. */
  async confirmTotpSetup(staff: StaffContext, code: string): Promise<string[] | null> {
    return this.db.transaction().execute(async (trx) => {
      const account = await trx
        .selectFrom('account')
        .select(['totp_secret', 'totp_enabled_at'])
        .where('id', '=', staff.accountId)
        .forUpdate()
        .executeTakeFirstOrThrow();
      if (!account.totp_secret || account.totp_enabled_at) return null;
      const check = await checkTotp(account.totp_secret, code, null, this.nowSeconds());
      if (!check.valid) return null;
      const now = this.now();
      await trx
        .updateTable('account')
        .set({ totp_enabled_at: now, totp_last_step: check.step })
        .where('id', '=', staff.accountId)
        .execute();
      const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
      await trx.deleteFrom('recovery_code').where('account_id', '=', staff.accountId).execute();
      await trx
        .insertInto('recovery_code')
        .values(codes.map((c) => ({ account_id: staff.accountId, code_hash: sha256(c) })))
        .execute();
      await this.markMfaPassed(trx, staff, 'mfa.enrolled');
      return codes;
    });
  }

  async verifyTotp(staff: StaffContext, code: string): Promise<'ok' | 'invalid' | 'locked'> {
    return this.db.transaction().execute(async (trx) => {
      const account = await trx
        .selectFrom('account')
        .select(['totp_secret', 'totp_last_step', 'locked_until'])
        .where('id', '=', staff.accountId)
        .forUpdate()
        .executeTakeFirstOrThrow();
      const now = this.now();
      if (account.locked_until && account.locked_until > now) return 'locked';
      if (!account.totp_secret) return 'invalid';
      const check = await checkTotp(
        account.totp_secret,
        code,
        account.totp_last_step,
        this.nowSeconds(),
      );
      if (!check.valid) {
        const locked = await this.countFailure(trx, staff.accountId, now);
        await recordAudit(trx, {
          action: 'mfa.failure',
          actorAccountId: staff.accountId,
          organisationId: null,
          outcome: 'failure',
        });
        if (locked) await this.endSessionIn(trx, staff);
        return locked ? 'locked' : 'invalid';
      }
      await trx
        .updateTable('account')
        .set({ totp_last_step: check.step, failed_sign_ins: 0 })
        .where('id', '=', staff.accountId)
        .execute();
      await this.markMfaPassed(trx, staff, 'mfa.success');
      return 'ok';
    });
  }

  /** The recovery path when the authenticator is lost: each code works once. */
  async useRecoveryCode(
    staff: StaffContext,
    code: string,
  ): Promise<{ ok: true; remaining: number } | { ok: false; locked: boolean }> {
    return this.db.transaction().execute(async (trx) => {
      const normalised = code.replace(/[\s-]/g, '').toLowerCase();
      const match = await trx
        .selectFrom('recovery_code')
        .select('id')
        .where('account_id', '=', staff.accountId)
        .where('code_hash', '=', sha256(normalised))
        .where('used_at', 'is', null)
        .forUpdate()
        .executeTakeFirst();
      if (!match) {
        const locked = await this.countFailure(trx, staff.accountId, this.now());
        await recordAudit(trx, {
          action: 'mfa.recovery-code-failure',
          actorAccountId: staff.accountId,
          organisationId: null,
          outcome: 'failure',
        });
        if (locked) await this.endSessionIn(trx, staff);
        return { ok: false, locked: locked !== null };
      }
      await trx
        .updateTable('recovery_code')
        .set({ used_at: this.now() })
        .where('id', '=', match.id)
        .execute();
      await this.markMfaPassed(trx, staff, 'mfa.recovery-code-used');
      const { count } = await trx
        .selectFrom('recovery_code')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('account_id', '=', staff.accountId)
        .where('used_at', 'is', null)
        .executeTakeFirstOrThrow();
      return { ok: true, remaining: Number(count) };
    });
  }

  /**
   * After signing in with a recovery code, a lost authenticator is replaced:
   * the old secret and codes are cleared and set-up starts again.
   */
  async resetAuthenticator(staff: StaffContext): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('account')
        .set({ totp_secret: null, totp_enabled_at: null, totp_last_step: null })
        .where('id', '=', staff.accountId)
        .execute();
      await trx.deleteFrom('recovery_code').where('account_id', '=', staff.accountId).execute();
      await trx
        .updateTable('session')
        .set({ mfa_verified_at: null })
        .where('id', '=', staff.sessionId)
        .execute();
      await recordAudit(trx, {
        action: 'mfa.reset',
        actorAccountId: staff.accountId,
        organisationId: staff.organisation?.id ?? null,
        objectType: 'account',
        objectIds: [staff.accountId],
      });
    });
  }

  private async markMfaPassed(
    trx: Transaction<Database>,
    staff: StaffContext,
    action: string,
  ): Promise<void> {
    await trx
      .updateTable('session')
      .set({ mfa_verified_at: this.now() })
      .where('id', '=', staff.sessionId)
      .execute();
    await recordAudit(trx, {
      action,
      actorAccountId: staff.accountId,
      organisationId: null,
      objectType: 'session',
      objectIds: [staff.sessionId],
    });
  }

  private async endSessionIn(trx: Transaction<Database>, staff: StaffContext): Promise<void> {
    await trx
      .updateTable('session')
      .set({ ended_at: this.now() })
      .where('id', '=', staff.sessionId)
      .execute();
  }

  private nowSeconds(): number {
    return Math.floor(this.now().getTime() / 1000);
  }

  private memberships(db: Kysely<Database>, accountId: string) {
    return db
      .selectFrom('membership')
      .select(['organisation_id', 'role_slug'])
      .where('account_id', '=', accountId)
      .execute();
  }

  private async contextFor(db: Kysely<Database>, sessionId: string): Promise<StaffContext | null> {
    const row = await contextQuery(db).where('session.id', '=', sessionId).executeTakeFirst();
    return row ? staffContextOf(row, this.now()) : null;
  }
}

/**
 * One acknowledgement of the current statement. Also used where staff are
 * created already briefed (the demo's accounts, benchmarks' and tests'
 * synthetic staff), who would otherwise stop at the statement page.
 */
export async function acknowledgeConfidentialityFor(
  db: Kysely<Database>,
  accountId: string,
  organisationId: string,
  at: Date,
): Promise<void> {
  await db
    .insertInto('staff_confidentiality_acknowledgement')
    .values({
      account_id: accountId,
      organisation_id: organisationId,
      statement_version: staffConfidentialityStatement.version,
      acknowledged_at: at,
    })
    .execute();
}

/** A session with everything its StaffContext is made of, in one statement. */
function contextQuery(db: Kysely<Database>) {
  return db
    .selectFrom('session')
    .innerJoin('account', 'account.id', 'session.account_id')
    .leftJoin('organisation', 'organisation.id', 'session.organisation_id')
    .select((eb) => [
      'session.id as sessionId',
      'session.mfa_verified_at',
      'account.id as accountId',
      'account.display_name',
      'account.totp_enabled_at',
      'organisation.id as orgId',
      'organisation.slug as orgSlug',
      'organisation.short_name as orgShortName',
      // The latest acknowledgement of the confidentiality statement for the
      // organisation the session acts for (confidentiality.ts).
      jsonObjectFrom(
        eb
          .selectFrom('staff_confidentiality_acknowledgement as ack')
          .select(['ack.acknowledged_at', 'ack.statement_version'])
          .whereRef('ack.account_id', '=', 'account.id')
          .whereRef('ack.organisation_id', '=', 'session.organisation_id')
          .orderBy('ack.acknowledged_at', 'desc')
          .limit(1),
      ).as('confidentiality'),
      jsonArrayFrom(
        eb
          .selectFrom('membership')
          .innerJoin('role', 'role.slug', 'membership.role_slug')
          .leftJoin('team', 'team.id', 'membership.team_id')
          .select([
            'membership.organisation_id',
            'membership.role_slug',
            'role.privileged',
            'team.id as teamId',
            'team.slug as teamSlug',
          ])
          .whereRef('membership.account_id', '=', 'account.id'),
      ).as('memberships'),
    ]);
}

/**
 * The session a request's cookie names, with its StaffContext: run before
 * every signed-in page and API call, so built and compiled once
 * (db/compiled-once.ts).
 */
const sessionByTokenHash = compiledOnce((db, value: (name: 'tokenHash') => never) =>
  contextQuery(db)
    .select(['session.last_seen_at', 'session.expires_at', 'session.ended_at'])
    .where('session.token_hash', '=', value('tokenHash'))
    // A disabled account's sessions end with it (single sign-on leavers).
    .where('account.disabled_at', 'is', null),
);

type ContextRow = {
  sessionId: string;
  mfa_verified_at: Date | null;
  accountId: string;
  display_name: string;
  totp_enabled_at: Date | null;
  orgId: string | null;
  orgSlug: string | null;
  orgShortName: string | null;
  /** Timestamps inside JSON arrive as text. */
  confidentiality: { acknowledged_at: Date | string; statement_version: string } | null;
  memberships: {
    organisation_id: string;
    role_slug: string;
    privileged: boolean;
    teamId: string | null;
    teamSlug: string | null;
  }[];
};

function staffContextOf(row: ContextRow, now: Date): StaffContext {
  const { memberships } = row;
  const privileged = memberships.some((m) => m.privileged);
  const organisation =
    row.orgId && row.orgSlug && row.orgShortName
      ? { id: row.orgId, slug: row.orgSlug, shortName: row.orgShortName }
      : null;
  const stage: StaffContext['stage'] =
    privileged && !row.mfa_verified_at
      ? row.totp_enabled_at
        ? 'needs-mfa'
        : 'needs-mfa-setup'
      : !organisation
        ? 'needs-organisation'
        : acknowledgementDue(
              row.confidentiality ? new Date(row.confidentiality.acknowledged_at) : null,
              row.confidentiality?.statement_version ?? null,
              now,
            )
          ? 'needs-confidentiality'
          : 'complete';
  return {
    accountId: row.accountId,
    sessionId: row.sessionId,
    displayName: row.display_name,
    organisation,
    roles: [
      ...new Set(
        memberships
          .filter((m) => m.organisation_id === organisation?.id)
          .map((m) => m.role_slug as RoleSlug),
      ),
    ],
    teams: memberships.flatMap((m) =>
      m.organisation_id === organisation?.id && m.teamId && m.teamSlug
        ? [{ id: m.teamId, slug: m.teamSlug }]
        : [],
    ),
    organisationCount: new Set(memberships.map((m) => m.organisation_id)).size,
    stage,
  };
}

function minutesUntil(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
}

/** Ten lower-case letters and digits, shown as two groups of five. */
function newRecoveryCode(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  return Array.from({ length: 10 }, () => alphabet[randomInt(alphabet.length)]).join('');
}
