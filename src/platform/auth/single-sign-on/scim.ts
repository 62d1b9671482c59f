import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { recordAudit } from '../../audit/audit-log.js';
import { newToken, sha256 } from '../tokens.js';
import { removeProviderRoles } from './leavers.js';
import { ScimError, type IdentityAttribute, type ScimUserRow } from './scim-protocol.js';

/** The provider whose token came with a SCIM request: everything it reaches is its own. */
export interface ScimClient {
  providerId: string;
  organisationId: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Deprovisioning by SCIM 2.0 (decision record 0037): an organisation's
 * identity provider reads the people it has linked to Safekeep accounts
 * (`account_identity`) and tells Safekeep when one has left. A SCIM User
 * here is that link — the provider's subject and a Safekeep account — and
 * its id is the link's id. Every query is held to the token's own provider,
 * so a token reaches only its own organisation's people. Changes write
 * their audit event in the same transaction, with ids only.
 */
export class ScimService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * A new token for the organisation's provider, replacing any before it;
   * only its hash is kept, so it is shown once. Null when the organisation
   * has no provider.
   */
  async issueToken(organisationSlug: string): Promise<string | null> {
    const provider = await this.db
      .selectFrom('sso_provider')
      .innerJoin('organisation', 'organisation.id', 'sso_provider.organisation_id')
      .select(['sso_provider.id', 'sso_provider.organisation_id'])
      .where('organisation.slug', '=', organisationSlug)
      .executeTakeFirst();
    if (!provider) return null;
    const token = newToken();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('sso_scim_token')
        .values({ provider_id: provider.id, token_hash: sha256(token), issued_at: this.now() })
        .onConflict((oc) =>
          oc
            .column('provider_id')
            .doUpdateSet({ token_hash: sha256(token), issued_at: this.now() }),
        )
        .execute();
      await recordAudit(trx, {
        action: 'sso.scim-token-issued',
        actorAccountId: null,
        organisationId: provider.organisation_id,
      });
    });
    return token;
  }

  /** The provider a bearer token was issued to, or null for any other. */
  async clientFor(token: string | undefined): Promise<ScimClient | null> {
    if (!token || token.length > 200) return null;
    const found = await this.db
      .selectFrom('sso_scim_token')
      .innerJoin('sso_provider', 'sso_provider.id', 'sso_scim_token.provider_id')
      .select(['sso_provider.id as providerId', 'sso_provider.organisation_id as organisationId'])
      .where('sso_scim_token.token_hash', '=', sha256(token))
      .executeTakeFirst();
    return found ?? null;
  }

  /** The provider's people, all or the one whose subject a filter names, a page at a time. */
  async list(
    client: ScimClient,
    options: {
      filter?: { attribute: IdentityAttribute; value: string };
      startIndex: number;
      count: number;
    },
  ): Promise<{ users: ScimUserRow[]; totalResults: number }> {
    let query = this.users(this.db, client);
    // externalId and userName both carry the subject.
    if (options.filter) query = query.where('account_identity.subject', '=', options.filter.value);
    const { total } = await query
      .clearSelect()
      .select((eb) => eb.fn.countAll<string>().as('total'))
      .executeTakeFirstOrThrow();
    const users =
      options.count === 0
        ? []
        : await query
            .orderBy('account_identity.created_at')
            .orderBy('account_identity.id')
            .offset(options.startIndex - 1)
            .limit(options.count)
            .execute();
    return { users: users.map(toRow), totalResults: Number(total) };
  }

  async get(client: ScimClient, id: string): Promise<ScimUserRow> {
    return this.find(this.db, client, id);
  }

  /**
   * The provider says whether the person is active. Inactive: their roles
   * from the provider go and, with none left, the account is disabled and
   * its sessions end. Active does not re-enable anyone by itself: roles
   * come from the provider's groups at the next sign-in.
   */
  async setActive(
    client: ScimClient,
    id: string,
    change: (subject: string) => { active?: boolean },
    requestId?: string,
  ): Promise<ScimUserRow> {
    return this.db.transaction().execute(async (trx) => {
      const user = await this.lockedIdentity(trx, client, id);
      const { active } = change(user.subject);
      if (active === false) await this.deprovision(trx, client, user.accountId, requestId);
      return this.find(trx, client, id);
    });
  }

  /**
   * The provider has deleted the person: as for inactive, and the link
   * between its subject and the account goes. The account stays, for the
   * records it is named in.
   */
  async delete(client: ScimClient, id: string, requestId?: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const user = await this.lockedIdentity(trx, client, id);
      await this.deprovision(trx, client, user.accountId, requestId);
      await trx.deleteFrom('account_identity').where('id', '=', user.id).execute();
      await recordAudit(trx, {
        action: 'account.identity-deleted-by-scim',
        actorAccountId: null,
        organisationId: client.organisationId,
        objectType: 'account',
        objectIds: [user.accountId],
        ...(requestId ? { requestId } : {}),
      });
    });
  }

  private async deprovision(
    trx: Transaction<Database>,
    client: ScimClient,
    accountId: string,
    requestId: string | undefined,
  ): Promise<void> {
    const { rolesRemoved, disabled } = await removeProviderRoles(trx, {
      accountId,
      organisationId: client.organisationId,
      now: this.now(),
      disabledAction: 'account.disabled-by-scim',
    });
    // Roles held locally too keep the account open: the removal is recorded on its own.
    if (rolesRemoved > 0 && !disabled) {
      await recordAudit(trx, {
        action: 'membership.removed-by-scim',
        actorAccountId: null,
        organisationId: client.organisationId,
        objectType: 'account',
        objectIds: [accountId],
        ...(requestId ? { requestId } : {}),
      });
    }
  }

  private async lockedIdentity(trx: Transaction<Database>, client: ScimClient, id: string) {
    const found = UUID.test(id)
      ? await trx
          .selectFrom('account_identity')
          .select(['id', 'account_id as accountId', 'subject'])
          .where('provider_id', '=', client.providerId)
          .where('id', '=', id)
          .forUpdate()
          .executeTakeFirst()
      : undefined;
    if (!found) throw notFound();
    return found;
  }

  private async find(db: Kysely<Database>, client: ScimClient, id: string): Promise<ScimUserRow> {
    const found = UUID.test(id)
      ? await this.users(db, client).where('account_identity.id', '=', id).executeTakeFirst()
      : undefined;
    if (!found) throw notFound();
    return toRow(found);
  }

  /**
   * The provider's people. Active: the account is enabled and holds a role
   * from this provider in its organisation — what the provider granted is
   * still in force.
   */
  private users(db: Kysely<Database>, client: ScimClient) {
    return db
      .selectFrom('account_identity')
      .innerJoin('account', 'account.id', 'account_identity.account_id')
      .select((eb) => [
        'account_identity.id',
        'account_identity.subject',
        'account_identity.created_at',
        'account.disabled_at',
        eb
          .exists(
            eb
              .selectFrom('membership')
              .select('membership.id')
              .whereRef('membership.account_id', '=', 'account.id')
              .where('membership.organisation_id', '=', client.organisationId)
              .where('membership.source', '=', 'sso'),
          )
          .as('holds_provider_role'),
      ])
      .where('account_identity.provider_id', '=', client.providerId);
  }
}

function toRow(found: {
  id: string;
  subject: string;
  created_at: Date;
  disabled_at: Date | null;
  holds_provider_role: boolean | number;
}): ScimUserRow {
  return {
    id: found.id,
    subject: found.subject,
    createdAt: found.created_at,
    active: found.disabled_at === null && Boolean(found.holds_provider_role),
  };
}

function notFound(): ScimError {
  return new ScimError(404, 'No such User.');
}
