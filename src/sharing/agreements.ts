import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type {
  Article6Basis,
  Article9Condition,
  CategorySlug,
  OrganisationSlug,
} from '../policy/index.js';
import type { SharingPurpose } from './tables.js';

/**
 * Sharing agreements for the demo world, as data. The Kent and Medway
 * Information Sharing Agreement (KMISA) is named in the Kent SCS and KSCMP
 * notices; its terms here are a synthetic stand-in, not the real document.
 */
export interface AgreementSeed {
  slug: string;
  title: string;
  /** The party whose information governance manages it. */
  lead: OrganisationSlug;
  parties: readonly OrganisationSlug[];
  externalRecipients: readonly string[];
  purposes: readonly SharingPurpose[];
  dataCategories: readonly CategorySlug[];
  lawfulBases: readonly Article6Basis[];
  specialConditions: readonly Article9Condition[];
  reviewDate: string;
}

export const demoAgreements: readonly AgreementSeed[] = [
  {
    slug: 'kmisa',
    title: 'Kent and Medway Information Sharing Agreement',
    lead: 'kent-scs',
    parties: ['kent-scs', 'kscmp', 'kent-lado'],
    // Police, health and district councils sign it too (Kent SCS notice).
    externalRecipients: ['kmisa-partners', 'partner-agencies'],
    purposes: [
      'safeguarding-child',
      'child-protection-enquiry',
      'allegation-management',
      'practice-review',
    ],
    dataCategories: [
      'child-protection-plan',
      'child-in-need',
      'looked-after',
      'private-fostering',
      'risk-register',
      'lado-allegation',
      'practice-review',
      'panel-referral-not-notified',
    ],
    lawfulBases: ['6(1)(c)', '6(1)(e)'],
    specialConditions: ['9(2)(b)', '9(2)(g)', '9(2)(h)'],
    reviewDate: '2027-03-31',
  },
  {
    slug: 'west-kent-marac',
    title: 'West Kent MARAC information sharing protocol',
    lead: 'maidstone-bc',
    parties: ['maidstone-bc', 'kent-scs'],
    externalRecipients: ['police', 'probation', 'health-providers'],
    purposes: ['safeguarding-child', 'care-and-support'],
    dataCategories: ['safeguarding-concern', 'child-in-need', 'child-protection-plan'],
    lawfulBases: ['6(1)(e)'],
    specialConditions: ['9(2)(g)'],
    reviewDate: '2026-12-31',
  },
];

/** Inserts the agreements, each with its first version (idempotent by slug). */
export async function seedAgreements(
  db: Kysely<Database> | Transaction<Database>,
  agreements: readonly AgreementSeed[] = demoAgreements,
): Promise<void> {
  for (const a of agreements) {
    const lead = await db
      .selectFrom('organisation')
      .select('id')
      .where('slug', '=', a.lead)
      .executeTakeFirstOrThrow();
    const row = await db
      .insertInto('sharing_agreement')
      .values({
        slug: a.slug,
        title: a.title,
        lead_organisation_id: lead.id,
        party_organisations: [...a.parties],
        external_recipients: [...a.externalRecipients],
        purposes: [...a.purposes],
        data_categories: [...a.dataCategories],
        lawful_bases: [...a.lawfulBases],
        special_conditions: [...a.specialConditions],
        review_date: a.reviewDate,
      })
      .onConflict((oc) => oc.column('slug').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) continue;
    await db
      .insertInto('sharing_agreement_version')
      .values({
        agreement_id: row.id,
        version: row.version,
        change: 'created',
        changed_by: null,
        changed_at: row.created_at,
        title: row.title,
        party_organisations: row.party_organisations,
        external_recipients: row.external_recipients,
        purposes: row.purposes,
        data_categories: row.data_categories,
        lawful_bases: row.lawful_bases,
        special_conditions: row.special_conditions,
        review_date: row.review_date,
        last_reviewed_on: null,
        ended_on: null,
        end_reason: null,
      })
      .execute();
  }
}
