import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { OrganisationSlug } from '../../policy/index.js';
import { grantRoles } from '../access/role-holders.js';
import type { RoleSlug } from '../access/roles.js';
import { recordAudit } from '../audit/audit-log.js';
import { hashPassword } from './passwords.js';
import type { StaffContext } from './service.js';
import { newToken, sha256 } from './tokens.js';

/**
 * Integrations (a MASH system, a reporting tool) call /api/v1 as a service
 * account: an account with roles in one organisation, no password sign-in,
 * and expiring bearer tokens stored hashed. The token stands for a signed-in
 * staff member in every other respect, so the same access function decides.
 */
export class ServiceAccounts {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Creates the account and its first token; the token is returned once and never stored. */
  async create(input: {
    name: string;
    organisationSlug: OrganisationSlug;
    roles: RoleSlug[];
    validDays: number;
  }): Promise<{ accountId: string; token: string; expiresAt: Date }> {
    // A password nobody knows: service accounts cannot use the sign-in page.
    const unusablePassword = await hashPassword(newToken());
    return this.db.transaction().execute(async (trx) => {
      const organisation = await trx
        .selectFrom('organisation')
        .select('id')
        .where('slug', '=', input.organisationSlug)
        .executeTakeFirst();
      if (!organisation) throw new Error(`No organisation "${input.organisationSlug}"`);
      const slug = input.name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '');
      const { id: accountId } = await trx
        .insertInto('account')
        .values({
          email: `${slug}.${organisation.id.slice(0, 8)}@service.safekeep.invalid`,
          display_name: input.name,
          password_hash: unusablePassword,
          kind: 'service',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      // Integration roles only, and within the notice's limits on holders.
      await grantRoles(trx, {
        accountId,
        holderKind: 'service',
        organisation: { id: organisation.id, slug: input.organisationSlug },
        roles: input.roles,
      });
      const token = newToken();
      const expiresAt = new Date(this.now().getTime() + input.validDays * 86_400_000);
      const { id: tokenId } = await trx
        .insertInto('api_token')
        .values({
          account_id: accountId,
          organisation_id: organisation.id,
          token_hash: sha256(token),
          expires_at: expiresAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAudit(trx, {
        action: 'service-account.create',
        actorAccountId: null,
        organisationId: organisation.id,
        objectType: 'api-token',
        objectIds: [accountId, tokenId],
      });
      return { accountId, token, expiresAt };
    });
  }

  async revokeAll(accountId: string): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const revoked = await trx
        .updateTable('api_token')
        .set({ revoked_at: this.now() })
        .where('account_id', '=', accountId)
        .where('revoked_at', 'is', null)
        .returning('id')
        .execute();
      await recordAudit(trx, {
        action: 'service-account.revoke',
        actorAccountId: null,
        organisationId: null,
        objectType: 'api-token',
        objectIds: revoked.map((r) => r.id),
      });
      return revoked.length;
    });
  }

  /** The service account behind a bearer token, or null if unknown, expired or revoked. */
  async resume(token: string): Promise<StaffContext | null> {
    const now = this.now();
    const row = await this.db
      .selectFrom('api_token')
      .innerJoin('account', 'account.id', 'api_token.account_id')
      .innerJoin('organisation', 'organisation.id', 'api_token.organisation_id')
      .select([
        'api_token.id as tokenId',
        'api_token.expires_at',
        'api_token.revoked_at',
        'api_token.last_used_at',
        'account.id as accountId',
        'account.display_name',
        'account.kind',
        'organisation.id as orgId',
        'organisation.slug as orgSlug',
        'organisation.short_name as orgShortName',
      ])
      .where('api_token.token_hash', '=', sha256(token))
      .executeTakeFirst();
    if (!row || row.kind !== 'service' || row.revoked_at || row.expires_at <= now) return null;
    if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > 60_000) {
      await this.db
        .updateTable('api_token')
        .set({ last_used_at: now })
        .where('id', '=', row.tokenId)
        .execute();
    }
    const memberships = await this.db
      .selectFrom('membership')
      .select(['role_slug'])
      .where('account_id', '=', row.accountId)
      .where('organisation_id', '=', row.orgId)
      .execute();
    return {
      accountId: row.accountId,
      // The token has no session; its id stands in, so audit can tell tokens apart.
      sessionId: row.tokenId,
      displayName: row.display_name,
      organisation: { id: row.orgId, slug: row.orgSlug, shortName: row.orgShortName },
      roles: memberships.map((m) => m.role_slug as RoleSlug),
      teams: [],
      organisationCount: 1,
      stage: 'complete',
    };
  }
}
