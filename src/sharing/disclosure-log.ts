/**
 * The disclosure log read for one data subject: every time information about
 * them left the organisation, to whom, when, why and under which agreement.
 * A subject access response must name the recipients (UK GDPR Art 15(1)(c));
 * the log is the evidence, so the response is built from it, not typed.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { sharingPurposes, type ItemKind, type SharingPurpose } from './tables.js';

/**
 * A disclosure counts as made once approved: a grant is usable from then,
 * a package ready to send. One revoked later had still been made.
 */
export const madeDisclosureStatuses = ['approved', 'revoked'] as const;

export interface SubjectDisclosure {
  disclosureId: string;
  recipient: string;
  disclosedOn: Date;
  /** The purpose in words. */
  purpose: string;
  /** The Art 6 basis relied on, as its code ('6(1)(e)'); the reader names it. */
  lawfulBasis: string;
  agreement: { title: string; version: number } | null;
  /** What went: each record's category with the kinds of item taken from it. */
  items: { recordCategory: string; kinds: ItemKind[] }[];
}

/** Every disclosure made of records that `personId` is a party to, oldest first. */
export async function disclosuresAboutPerson(
  db: Kysely<Database> | Transaction<Database>,
  organisationId: string,
  personId: string,
): Promise<SubjectDisclosure[]> {
  const rows = await db
    .selectFrom('disclosure as d')
    .innerJoin('disclosure_item as di', 'di.disclosure_id', 'd.id')
    .innerJoin('case_record as cr', 'cr.id', 'di.record_id')
    .leftJoin('sharing_agreement_version as sav', (join) =>
      join
        .onRef('sav.agreement_id', '=', 'd.agreement_id')
        .onRef('sav.version', '=', 'd.agreement_version'),
    )
    .where('d.organisation_id', '=', organisationId)
    .where('d.status', 'in', [...madeDisclosureStatuses])
    .where('di.record_id', 'in', (eb) =>
      eb.selectFrom('record_party').select('record_id').where('person_id', '=', personId),
    )
    .select([
      'd.id',
      'd.recipient_name',
      'd.requested_at',
      'd.approved_at',
      'd.purpose',
      'd.lawful_basis',
      'd.agreement_version',
      'sav.title as agreement_title',
      'cr.category',
      'di.record_id',
      'di.item_kind',
    ])
    .orderBy('d.requested_at')
    .orderBy('d.id')
    .orderBy('di.record_id')
    .execute();

  const byDisclosure = new Map<string, SubjectDisclosure & { byRecord: Map<string, ItemKind[]> }>();
  const categoryOf = new Map<string, string>();
  for (const row of rows) {
    let disclosure = byDisclosure.get(row.id);
    if (!disclosure) {
      disclosure = {
        disclosureId: row.id,
        recipient: row.recipient_name,
        disclosedOn: row.approved_at ?? row.requested_at,
        purpose: sharingPurposes[row.purpose as SharingPurpose] ?? row.purpose,
        lawfulBasis: row.lawful_basis,
        agreement:
          row.agreement_title && row.agreement_version !== null
            ? { title: row.agreement_title, version: row.agreement_version }
            : null,
        items: [],
        byRecord: new Map(),
      };
      byDisclosure.set(row.id, disclosure);
    }
    categoryOf.set(row.record_id, row.category);
    const kinds = disclosure.byRecord.get(row.record_id) ?? [];
    if (!kinds.includes(row.item_kind)) kinds.push(row.item_kind);
    disclosure.byRecord.set(row.record_id, kinds);
  }
  return [...byDisclosure.values()].map(({ byRecord, ...disclosure }) => ({
    ...disclosure,
    items: [...byRecord].map(([recordId, kinds]) => ({
      recordCategory: categoryOf.get(recordId) ?? '',
      kinds,
    })),
  }));
}
