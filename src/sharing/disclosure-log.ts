/**
 * The disclosure log read for one data subject: every time information about
 * them left the organisation, to whom, when, why and under which agreement.
 * A subject access response must name the recipients (UK GDPR Art 15(1)(c));
 * the log is the evidence, so the response is built from it, not typed.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { formatDate } from '../platform/http/views.js';
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

/**
 * Every disclosure made about `personId`, oldest first: those approved in
 * the sharing workflow of records they are a party to, and each statutory
 * return (to the DfE or Ofsted) that carried them as a record's subject.
 */
export async function disclosuresAboutPerson(
  db: Kysely<Database> | Transaction<Database>,
  organisationId: string,
  personId: string,
): Promise<SubjectDisclosure[]> {
  const [shared, returns] = await Promise.all([
    sharedAboutPerson(db, organisationId, personId),
    returnsAboutPerson(db, organisationId, personId),
  ]);
  return [...shared, ...returns].sort((a, b) => a.disclosedOn.getTime() - b.disclosedOn.getTime());
}

/** Who each kind of statutory return goes to, and what it is called, in words. */
const statutoryReturnWords: Record<string, { recipient: string; name: string }> = {
  'cin-census': { recipient: 'Department for Education', name: 'the Children in Need census' },
  ssda903: {
    recipient: 'Department for Education',
    name: 'the children looked after return (SSDA903)',
  },
  'annex-a': { recipient: 'Ofsted', name: 'the Annex A lists for an inspection' },
};

/**
 * Each statutory return made (src/returns/, migration 0064) that carried a
 * record `personId` is the subject of. A return sends some details of each
 * record, never the whole of it; the Art 6 basis is read from the basis the
 * return recorded ("UK GDPR Art 6(1)(c) legal obligation (…)").
 */
async function returnsAboutPerson(
  db: Kysely<Database> | Transaction<Database>,
  organisationId: string,
  personId: string,
): Promise<SubjectDisclosure[]> {
  const rows = await db
    .selectFrom('statutory_return as sr')
    .innerJoin('statutory_return_record as srr', 'srr.return_id', 'sr.id')
    .innerJoin('case_record as cr', 'cr.id', 'srr.record_id')
    .where('sr.organisation_id', '=', organisationId)
    // A return carries the record's subject (the child), never the other
    // people on it (src/returns/store.ts): a parent's information did not go.
    .where('srr.record_id', 'in', (eb) =>
      eb
        .selectFrom('record_party')
        .select('record_id')
        .where('person_id', '=', personId)
        .where('role', '=', 'subject'),
    )
    .select([
      'sr.id',
      'sr.kind',
      'sr.reference_date',
      'sr.produced_at',
      'sr.lawful_basis',
      'cr.category',
    ])
    .orderBy('sr.produced_at')
    .orderBy('sr.id')
    .orderBy('cr.category')
    .execute();
  const byReturn = new Map<string, SubjectDisclosure>();
  for (const row of rows) {
    let disclosure = byReturn.get(row.id);
    if (!disclosure) {
      const words = statutoryReturnWords[row.kind] ?? {
        recipient: 'A government body',
        name: 'a statutory return',
      };
      const onDate = row.kind === 'annex-a' ? 'as at' : 'of';
      disclosure = {
        disclosureId: row.id,
        recipient: words.recipient,
        disclosedOn: row.produced_at,
        purpose: `Statutory return: ${words.name} ${onDate} ${formatDate(row.reference_date)}`,
        lawfulBasis: /Art (6\(1\)\([a-f]\))/.exec(row.lawful_basis)?.[1] ?? row.lawful_basis,
        agreement: null,
        items: [],
      };
      byReturn.set(row.id, disclosure);
    }
    if (!disclosure.items.some((item) => item.recordCategory === row.category)) {
      disclosure.items.push({ recordCategory: row.category, kinds: ['field'] });
    }
  }
  return [...byReturn.values()];
}

/** Disclosures made through the sharing workflow (grants and packages). */
async function sharedAboutPerson(
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
