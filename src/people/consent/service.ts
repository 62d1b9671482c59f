import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { canPeople } from '../../platform/access/access.js';
import { recordAudit } from '../../platform/audit/audit-log.js';
import type { StaffContext } from '../../platform/auth/service.js';
import { NotFoundError, ValidationError } from '../../platform/errors/errors.js';
import { isOrganisationSlug, policyFor, type ConsentPurpose } from '../../policy/index.js';
import type { PeopleService } from '../service.js';
import type { ConsentMethod, PersonConsentTable } from '../tables.js';

/** One consent as a page shows it. */
export interface ConsentView {
  id: string;
  purpose: ConsentPurpose;
  givenOn: string;
  givenHow: ConsentMethod;
  evidence: string;
  withdrawnOn: string | null;
  withdrawnHow: PersonConsentTable['withdrawn_how'];
}

export interface GiveConsentInput {
  purpose: string;
  givenOn: string;
  givenHow: ConsentMethod;
  evidence: string;
}

export interface WithdrawConsentInput {
  withdrawnOn: string;
  withdrawnHow: ConsentMethod;
}

/** The purposes the organisation's policy rests on consent; none for most. */
export function consentPurposesOf(staff: StaffContext): readonly ConsentPurpose[] {
  const slug = staff.organisation?.slug;
  return slug && isOrganisationSlug(slug) ? (policyFor(slug).consentPurposes ?? []) : [];
}

/**
 * Consent to the purposes an organisation's policy says rest on consent
 * (issue 12 item 7). Captured with how it was given and where the evidence
 * is; withdrawn at once, by staff on the person's word, by a rights request
 * to withdraw consent, or — for direct marketing — by an objection (Art
 * 21(3)). The purposes themselves check for a standing consent each time
 * they act (standingConsent), so a withdrawal stops them from that moment.
 * Only staff who may see the person see or change their consents; every
 * read and change is audited in the same transaction.
 */
export class ConsentService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly people: PeopleService,
  ) {}

  /** The person's consents, standing and withdrawn, newest first. */
  async list(staff: StaffContext, personId: string): Promise<ConsentView[]> {
    const organisationId = await this.visiblePerson(staff, personId, 'person.read');
    return this.db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('person_consent')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .where('person_id', '=', personId)
        .orderBy('given_on', 'desc')
        .orderBy('recorded_at', 'desc')
        .execute();
      await recordAudit(trx, {
        action: 'person.consent.read',
        actorAccountId: staff.accountId,
        organisationId,
        objectType: 'person',
        objectIds: [personId],
      });
      const purposes = consentPurposesOf(staff);
      return rows.flatMap((row) => {
        const purpose = purposes.find((p) => p.id === row.purpose);
        return purpose
          ? [
              {
                id: row.id,
                purpose,
                givenOn: row.given_on,
                givenHow: row.given_how,
                evidence: row.evidence,
                withdrawnOn: row.withdrawn_on,
                withdrawnHow: row.withdrawn_how,
              },
            ]
          : [];
      });
    });
  }

  async give(staff: StaffContext, personId: string, input: GiveConsentInput): Promise<string> {
    const organisationId = await this.visiblePerson(staff, personId, 'person.write');
    if (!consentPurposesOf(staff).some((p) => p.id === input.purpose)) {
      throw new ValidationError([{ field: 'purpose', message: 'Select what they consented to' }]);
    }
    return this.db.transaction().execute(async (trx) => {
      const standing = await trx
        .selectFrom('person_consent')
        .select('id')
        .where('person_id', '=', personId)
        .where('purpose', '=', input.purpose)
        .where('withdrawn_on', 'is', null)
        .executeTakeFirst();
      if (standing) {
        throw new ValidationError([
          {
            field: 'purpose',
            message: 'They have already consented to this, and have not withdrawn it',
          },
        ]);
      }
      const { id } = await trx
        .insertInto('person_consent')
        .values({
          organisation_id: organisationId,
          person_id: personId,
          purpose: input.purpose,
          given_on: input.givenOn,
          given_how: input.givenHow,
          evidence: input.evidence,
          recorded_by: staff.accountId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAudit(trx, {
        action: 'person.consent.give',
        actorAccountId: staff.accountId,
        organisationId,
        objectType: 'person',
        objectIds: [personId, id],
      });
      return id;
    });
  }

  async withdraw(
    staff: StaffContext,
    personId: string,
    consentId: string,
    input: WithdrawConsentInput,
  ): Promise<void> {
    const organisationId = await this.visiblePerson(staff, personId, 'person.write');
    await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('person_consent')
        .select(['id', 'given_on'])
        .where('id', '=', consentId)
        .where('person_id', '=', personId)
        .where('organisation_id', '=', organisationId)
        .where('withdrawn_on', 'is', null)
        .executeTakeFirst();
      if (!row) throw new NotFoundError();
      if (input.withdrawnOn < row.given_on) {
        throw new ValidationError([
          {
            field: 'withdrawnOn',
            message: 'The date they withdrew consent must be on or after the date they gave it',
          },
        ]);
      }
      await trx
        .updateTable('person_consent')
        .set({
          withdrawn_on: input.withdrawnOn,
          withdrawn_how: input.withdrawnHow,
          withdrawn_by: staff.accountId,
        })
        .where('id', '=', consentId)
        .execute();
      await recordAudit(trx, {
        action: 'person.consent.withdraw',
        actorAccountId: staff.accountId,
        organisationId,
        objectType: 'person',
        objectIds: [personId, consentId],
      });
    });
  }

  /**
   * The people with a standing consent to a purpose, for the staff who act
   * on it (the events mailing list): withdrawn consents are gone from it the
   * moment they are withdrawn. Audited as a list of those people.
   */
  async consenting(
    staff: StaffContext,
    purposeId: string,
  ): Promise<{
    purpose: ConsentPurpose;
    people: { id: string; givenName: string; familyName: string; since: string }[];
  }> {
    const organisationId = staff.organisation?.id;
    const purpose = consentPurposesOf(staff).find((p) => p.id === purposeId);
    if (!organisationId || !purpose || !canPeople(staff, 'person.list', organisationId)) {
      throw new NotFoundError();
    }
    return this.db.transaction().execute(async (trx) => {
      const people = await trx
        .selectFrom('person_consent as c')
        .innerJoin('person as p', 'p.id', 'c.person_id')
        .select([
          'p.id',
          'p.given_name as givenName',
          'p.family_name as familyName',
          'c.given_on as since',
        ])
        .where('c.organisation_id', '=', organisationId)
        .where('c.purpose', '=', purposeId)
        .where('c.withdrawn_on', 'is', null)
        .where('p.merged_into_id', 'is', null)
        .orderBy('p.family_name')
        .orderBy('p.given_name')
        .execute();
      await recordAudit(trx, {
        action: 'person.consent.list',
        actorAccountId: staff.accountId,
        organisationId,
        objectType: 'person',
        objectIds: people.map((p) => p.id),
      });
      return { purpose, people };
    });
  }

  private async visiblePerson(
    staff: StaffContext,
    personId: string,
    action: 'person.read' | 'person.write',
  ): Promise<string> {
    const organisationId = staff.organisation?.id;
    if (
      !organisationId ||
      !canPeople(staff, action, organisationId) ||
      consentPurposesOf(staff).length === 0 ||
      !(await this.people.isVisible(staff, personId))
    ) {
      throw new NotFoundError();
    }
    return organisationId;
  }
}

/**
 * Whether each person has a standing consent to the purpose: asked by the
 * purpose itself each time it acts (sharing with the purpose's recipient).
 * Returns the ids of those who do not.
 */
export async function withoutStandingConsent(
  db: Kysely<Database> | Transaction<Database>,
  organisationId: string,
  personIds: readonly string[],
  purposeId: string,
): Promise<string[]> {
  if (personIds.length === 0) return [];
  const consenting = await db
    .selectFrom('person_consent')
    .select('person_id')
    .where('organisation_id', '=', organisationId)
    .where('purpose', '=', purposeId)
    .where('withdrawn_on', 'is', null)
    .where('person_id', 'in', personIds)
    .execute();
  const yes = new Set(consenting.map((c) => c.person_id));
  return personIds.filter((id) => !yes.has(id));
}

/**
 * Withdraws at once, for a rights request: every standing consent of the
 * person (a request to withdraw consent), or only those to direct marketing
 * (an objection to direct marketing, Art 21(3)). Returns how many.
 */
export async function withdrawForRightsRequest(
  trx: Transaction<Database>,
  input: {
    organisationId: string;
    personId: string;
    requestId: string;
    accountId: string;
    on: string;
    directMarketingOnly: boolean;
  },
): Promise<number> {
  const slug = await trx
    .selectFrom('organisation')
    .select('slug')
    .where('id', '=', input.organisationId)
    .executeTakeFirst();
  const purposes =
    slug && isOrganisationSlug(slug.slug) ? (policyFor(slug.slug).consentPurposes ?? []) : [];
  const reached = purposes
    .filter((p) => !input.directMarketingOnly || p.directMarketing)
    .map((p) => p.id);
  if (reached.length === 0) return 0;
  const withdrawn = await trx
    .updateTable('person_consent')
    .set({
      withdrawn_on: input.on,
      withdrawn_how: input.directMarketingOnly ? 'objection-to-direct-marketing' : 'rights-request',
      withdrawn_by: input.accountId,
      withdrawn_request_id: input.requestId,
    })
    .where('organisation_id', '=', input.organisationId)
    .where('person_id', '=', input.personId)
    .where('purpose', 'in', reached)
    .where('withdrawn_on', 'is', null)
    .returning('id')
    .execute();
  return withdrawn.length;
}
