import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { recordAudit } from '../../audit/audit-log.js';
import { hashPassword } from '../passwords.js';
import type { AuthService, StaffContext } from '../service.js';
import { newToken, sha256 } from '../tokens.js';
import { grantedRoles, readClaims, type ProviderClaims, type RoleMapping } from './claims.js';
import { removeProviderRoles } from './leavers.js';
import type { ClientSettings, ProviderClients } from './provider-client.js';

/** How long the browser has at the provider before the sign-in must start again. */
const PENDING_MINUTES = 10;

export type SingleSignOnResult =
  | { outcome: 'signed-in'; token: string; staff: StaffContext }
  /** The provider's answer was missing, forged, replayed, expired or refused. */
  | { outcome: 'failed' }
  /** The provider grants no Safekeep role: refused (and, for a known account, disabled). */
  | { outcome: 'no-access' }
  /** A new person whose email address a local account already has: an administrator links them. */
  | { outcome: 'email-in-use' };

type ProviderRow = Awaited<ReturnType<typeof providerQuery>>;

/**
 * Signing staff in through their organisation's provider, and keeping their
 * roles in step with its groups (decision record 0037). Every change writes
 * its audit event in the same transaction; the events carry ids only, never
 * a claim's value (a group name can say more about a person than it seems).
 */
export class SingleSignOnService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly auth: AuthService,
    private readonly clients: ProviderClients,
    private readonly environment: Readonly<Record<string, string | undefined>>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The organisations whose staff may sign in through a provider, for the sign-in page. */
  async organisationsWithProviders(): Promise<{ slug: string; name: string }[]> {
    return this.db
      .selectFrom('sso_provider')
      .innerJoin('organisation', 'organisation.id', 'sso_provider.organisation_id')
      .select(['organisation.slug', 'organisation.name'])
      .orderBy('organisation.name')
      .execute();
  }

  /**
   * Starts a sign-in at an organisation's provider: the address to send the
   * browser to and the state to bind to it (a cookie), or null when the
   * organisation has no provider.
   */
  async begin(organisationSlug: string): Promise<{ url: string; state: string } | null> {
    const provider = await providerQuery(this.db, organisationSlug);
    if (!provider) return null;
    const { url, pending } = await this.clients.begin(this.settingsOf(provider));
    const now = this.now();
    await this.db.transaction().execute(async (trx) => {
      // Abandoned sign-ins are cleared as new ones start: the table stays small.
      await trx.deleteFrom('sso_pending').where('expires_at', '<', now).execute();
      await trx
        .insertInto('sso_pending')
        .values({
          state_hash: sha256(pending.state),
          provider_id: provider.id,
          code_verifier: pending.codeVerifier,
          nonce: pending.nonce,
          expires_at: new Date(now.getTime() + PENDING_MINUTES * 60_000),
        })
        .execute();
    });
    return { url: url.href, state: pending.state };
  }

  /**
   * The browser is back from the provider. `boundState` is the state the
   * browser's cookie carries: a callback whose state is not this browser's
   * own (login CSRF) fails, as does one used twice.
   */
  async complete(
    query: string,
    boundState: string | undefined,
    requestId?: string,
  ): Promise<SingleSignOnResult> {
    const state = new URLSearchParams(query).get('state');
    if (!state || !boundState || state !== boundState) return this.failed(null, requestId);
    // Taken once: a replayed callback finds nothing.
    const pending = await this.db
      .deleteFrom('sso_pending')
      .where('state_hash', '=', sha256(state))
      .returningAll()
      .executeTakeFirst();
    if (!pending || pending.expires_at < this.now()) return this.failed(null, requestId);
    const provider = await providerQuery(this.db, { id: pending.provider_id });
    if (!provider) return this.failed(null, requestId);

    let claims: ProviderClaims | null;
    try {
      const raw = await this.clients.finish(this.settingsOf(provider), query, {
        state,
        nonce: pending.nonce,
        codeVerifier: pending.code_verifier,
      });
      claims = readClaims(raw, {
        subjectClaim: provider.subject_claim,
        groupsClaim: provider.groups_claim,
        nameClaim: provider.name_claim,
        emailClaim: provider.email_claim,
        mfaAmrValues: provider.mfa_amr_values,
        mfaAcrValues: provider.mfa_acr_values,
      });
    } catch {
      // The provider refused, or its answer failed a check: the details may
      // carry personal data, so only the fact is recorded.
      return this.failed(provider.organisation_id, requestId);
    }
    if (!claims) return this.failed(provider.organisation_id, requestId);
    return this.signIn(provider, claims, requestId);
  }

  private async signIn(
    provider: NonNullable<ProviderRow>,
    claims: ProviderClaims,
    requestId: string | undefined,
  ): Promise<SingleSignOnResult> {
    const mappings: RoleMapping[] = await this.db
      .selectFrom('sso_role_mapping')
      .select(['group_value as group', 'role_slug as roleSlug', 'team_id as teamId'])
      .where('provider_id', '=', provider.id)
      .execute();
    const granted = grantedRoles(claims.groups, mappings);
    // A new starter's first sign-in hashes a password nobody knows, outside the transaction.
    const unusablePassword = await hashPassword(newToken());
    const audit = { organisationId: provider.organisation_id, ...(requestId ? { requestId } : {}) };
    return this.db.transaction().execute(async (trx): Promise<SingleSignOnResult> => {
      const identity = await trx
        .selectFrom('account_identity')
        .innerJoin('account', 'account.id', 'account_identity.account_id')
        .select(['account.id as accountId', 'account.disabled_at', 'account_identity.id'])
        .where('account_identity.provider_id', '=', provider.id)
        .where('account_identity.subject', '=', claims.subject)
        .forUpdate()
        .executeTakeFirst();

      if (granted.length === 0) {
        if (identity) {
          await removeProviderRoles(trx, {
            accountId: identity.accountId,
            organisationId: provider.organisation_id,
            now: this.now(),
            disabledAction: 'account.disabled-by-sso',
          });
        }
        await recordAudit(trx, {
          action: 'sign-in.sso-no-role',
          actorAccountId: identity?.accountId ?? null,
          outcome: 'denied',
          ...audit,
        });
        return { outcome: 'no-access' };
      }

      let accountId: string;
      if (identity) {
        accountId = identity.accountId;
        await trx
          .updateTable('account')
          .set({ disabled_at: null, ...(claims.name ? { display_name: claims.name } : {}) })
          .where('id', '=', accountId)
          .execute();
        await trx
          .updateTable('account_identity')
          .set({ last_sign_in_at: this.now() })
          .where('id', '=', identity.id)
          .execute();
        if (identity.disabled_at) {
          await recordAudit(trx, {
            action: 'account.re-enabled-by-sso',
            actorAccountId: null,
            objectType: 'account',
            objectIds: [accountId],
            ...audit,
          });
        }
      } else {
        const email = claims.email;
        if (!email) return this.failedIn(trx, provider.organisation_id, requestId);
        const taken = await trx
          .selectFrom('account')
          .select('id')
          .where('email', '=', email)
          .executeTakeFirst();
        if (taken) {
          await recordAudit(trx, {
            action: 'sign-in.sso-email-in-use',
            actorAccountId: null,
            outcome: 'denied',
            objectType: 'account',
            objectIds: [taken.id],
            ...audit,
          });
          return { outcome: 'email-in-use' };
        }
        ({ id: accountId } = await trx
          .insertInto('account')
          .values({
            email,
            display_name: claims.name ?? email,
            password_hash: unusablePassword,
          })
          .returning('id')
          .executeTakeFirstOrThrow());
        await trx
          .insertInto('account_identity')
          .values({
            account_id: accountId,
            provider_id: provider.id,
            subject: claims.subject,
            last_sign_in_at: this.now(),
          })
          .execute();
        await recordAudit(trx, {
          action: 'account.provisioned-by-sso',
          actorAccountId: null,
          objectType: 'account',
          objectIds: [accountId],
          ...audit,
        });
      }

      await this.applyRoles(trx, accountId, provider.organisation_id, granted);
      return this.auth.openSession(trx, accountId, {
        action: 'sign-in.sso-success',
        organisationId: provider.organisation_id,
        // Privileged roles need a second factor: the provider's word for
        // it, or else Safekeep's own TOTP step (the session's stage says which).
        mfaVerified: claims.multiFactor,
        ...(requestId ? { requestId } : {}),
      });
    });
  }

  /** The account's single-sign-on roles in the organisation become exactly what the groups grant. */
  private async applyRoles(
    trx: Transaction<Database>,
    accountId: string,
    organisationId: string,
    granted: readonly RoleMapping[],
  ): Promise<void> {
    await trx
      .deleteFrom('membership')
      .where('account_id', '=', accountId)
      .where('organisation_id', '=', organisationId)
      .where('source', '=', 'sso')
      .execute();
    await trx
      .insertInto('membership')
      .values(
        granted.map((g) => ({
          account_id: accountId,
          organisation_id: organisationId,
          role_slug: g.roleSlug,
          team_id: g.teamId,
          source: 'sso' as const,
        })),
      )
      // A role also held locally stays the local one.
      .onConflict((oc) => oc.doNothing())
      .execute();
    await recordAudit(trx, {
      action: 'membership.synced-from-sso',
      actorAccountId: null,
      organisationId,
      objectType: 'account',
      objectIds: [accountId],
    });
  }

  private async failed(
    organisationId: string | null,
    requestId: string | undefined,
  ): Promise<SingleSignOnResult> {
    return this.db.transaction().execute((trx) => this.failedIn(trx, organisationId, requestId));
  }

  private async failedIn(
    trx: Transaction<Database>,
    organisationId: string | null,
    requestId: string | undefined,
  ): Promise<SingleSignOnResult> {
    await recordAudit(trx, {
      action: 'sign-in.sso-failure',
      actorAccountId: null,
      organisationId,
      outcome: 'failure',
      ...(requestId ? { requestId } : {}),
    });
    return { outcome: 'failed' };
  }

  private settingsOf(provider: NonNullable<ProviderRow>): ClientSettings {
    const secret = provider.client_secret_env
      ? this.environment[provider.client_secret_env]
      : undefined;
    if (provider.client_secret_env && !secret) {
      throw new Error(
        `single sign-on: environment variable ${provider.client_secret_env} (the client secret) is not set`,
      );
    }
    return {
      id: provider.id,
      issuer: provider.issuer,
      clientId: provider.client_id,
      clientSecret: secret ?? null,
      redirectUri: provider.redirect_uri,
      scopes: provider.scopes,
    };
  }
}

function providerQuery(db: Kysely<Database>, by: string | { id: string }) {
  let query = db
    .selectFrom('sso_provider')
    .innerJoin('organisation', 'organisation.id', 'sso_provider.organisation_id')
    .selectAll('sso_provider');
  query =
    typeof by === 'string'
      ? query.where('organisation.slug', '=', by)
      : query.where('sso_provider.id', '=', by.id);
  return query.executeTakeFirst();
}
