/**
 * Pseudonymised research extracts (issue 14; decision 0034; Maidstone's
 * notice: "Anonymised & Pseudonymised data may be used for research &
 * statistical purposes"; Kent SCS: "evaluate and quality assure the
 * services we provide"). Information governance chooses a purpose and the
 * fields; a second person in governance approves, which makes the
 * extract's own HMAC key; each download builds the rows from the records
 * then, generalises them, and checks k-anonymity again (what it did is
 * shown). Free text is excluded by construction: no field in the catalogue
 * holds any. Every step is audited; approved extracts are listed in the
 * record of processing.
 */
import { stringify } from 'csv-stringify/sync';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { canGovernRecords } from '../../platform/access/access.js';
import type { StaffContext } from '../../platform/auth/service.js';
import { recordAudit } from '../../platform/audit/audit-log.js';
import { NotFoundError, ValidationError, type FieldError } from '../../platform/errors/errors.js';
import { findCategory, type CategorySlug, type OrganisationSlug } from '../../policy/index.js';
import { ageLadder, categoryLadder, dateLadder, postcodeLadder } from './generalise.js';
import { enforceK, type QuasiIdentifier, type Row } from './k-anonymity.js';
import { newExtractKey, pseudonym } from './pseudonym.js';
import { openKey, sealKey, sealedWithCurrent } from './key-seal.js';
import type { ResearchKeys } from '../../config.js';
import { hasControlCharacters } from '../text.js';

export const EXTRACT_PURPOSES = [
  { value: 'research', text: 'Research' },
  { value: 'service-evaluation', text: 'Evaluating and improving services' },
  { value: 'statistics', text: 'Statistics' },
] as const;

/** The fields an extract may hold; each is a quasi-identifier (none is free text). */
export const EXTRACT_FIELDS: readonly (QuasiIdentifier & { hint: string })[] = [
  {
    field: 'category',
    label: 'Kind of record',
    hint: 'As the record of processing names it',
    ladder: categoryLadder,
  },
  {
    field: 'opened',
    label: 'Month opened',
    hint: 'Month and year, never the day',
    ladder: dateLadder,
  },
  {
    field: 'closed',
    label: 'Month closed',
    hint: 'Month and year, never the day',
    ladder: dateLadder,
  },
  {
    field: 'age',
    label: 'Age when opened',
    hint: 'In 5-year bands, or wider',
    ladder: ageLadder,
  },
  { field: 'gender', label: 'Gender', hint: 'As recorded', ladder: categoryLadder },
  {
    field: 'postcode',
    label: 'Postcode district',
    hint: 'The first half of the postcode, or wider',
    ladder: postcodeLadder,
  },
];

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class ResearchExtracts {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: { keys: ResearchKeys; k?: number; now?: () => Date },
  ) {}

  /** Governance only; anyone else is told the page is not there. */
  private organisationOf(staff: StaffContext): { id: string; slug: OrganisationSlug } {
    const organisation = staff.organisation;
    if (!organisation || !canGovernRecords(staff, organisation.id)) throw new NotFoundError();
    return { id: organisation.id, slug: organisation.slug as OrganisationSlug };
  }

  async list(staff: StaffContext) {
    const organisation = this.organisationOf(staff);
    const rows = await this.db
      .selectFrom('research_extract')
      .select(['id', 'purpose', 'question', 'fields', 'k', 'requested_by', 'approved_at', 'report'])
      .where('organisation_id', '=', organisation.id)
      .orderBy('requested_at', 'desc')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      purpose: EXTRACT_PURPOSES.find((p) => p.value === r.purpose)?.text ?? r.purpose,
      question: r.question,
      fields: r.fields.map((f) => EXTRACT_FIELDS.find((x) => x.field === f)?.label ?? f),
      k: r.k,
      approvedAt: r.approved_at,
      requestedByYou: r.requested_by === staff.accountId,
      report: r.report,
    }));
  }

  async request(staff: StaffContext, form: Record<string, unknown>): Promise<string> {
    const organisation = this.organisationOf(staff);
    const errors: FieldError[] = [];
    const purpose = EXTRACT_PURPOSES.find((p) => p.value === form.purpose)?.value;
    if (!purpose) errors.push({ field: 'purpose', message: 'Select the purpose' });
    const question = typeof form.question === 'string' ? form.question.trim() : '';
    if (!question) errors.push({ field: 'question', message: 'Enter what the extract is for' });
    else if (hasControlCharacters(question))
      errors.push({ field: 'question', message: 'Remove the unusual characters from the text' });
    else if (question.length > 500)
      errors.push({ field: 'question', message: 'Keep it to 500 characters or fewer' });
    const chosen = ([] as unknown[]).concat(form.fields ?? []).map(String);
    const fields = EXTRACT_FIELDS.filter((f) => chosen.includes(f.field)).map((f) => f.field);
    if (!fields.length || fields.length !== new Set(chosen).size)
      errors.push({ field: 'fields', message: 'Select at least one field' });
    if (errors.length || !purpose) throw new ValidationError(errors);
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('research_extract')
        .values({
          organisation_id: organisation.id,
          purpose,
          question,
          fields: JSON.stringify(fields),
          k: this.options.k ?? 5,
          requested_by: staff.accountId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await this.audit(trx, staff, organisation.id, 'request', row.id);
      return row.id;
    });
  }

  /** A second person approves: the key is made and the check run once to report. */
  async approve(staff: StaffContext, id: string): Promise<void> {
    const organisation = this.organisationOf(staff);
    await this.db.transaction().execute(async (trx) => {
      const extract = await this.load(trx, organisation.id, id, true);
      if (extract.approved_by) return;
      if (extract.requested_by === staff.accountId) {
        throw new ValidationError([
          {
            field: 'form',
            message: 'A second person must approve an extract: you asked for this one',
          },
        ]);
      }
      const key = newExtractKey();
      const built = await this.build(trx, organisation, extract.fields, extract.k, key);
      await trx
        .updateTable('research_extract')
        .set({
          approved_by: staff.accountId,
          approved_at: this.options.now?.() ?? new Date(),
          // Sealed at rest (decision 0040): never stored in the clear.
          pseudonym_key_sealed: sealKey(this.options.keys, extract.id, key),
          report: JSON.stringify({
            actions: built.actions,
            rows: built.rows.length,
            suppressed: built.suppressedRows,
          }),
        })
        .where('id', '=', extract.id)
        .execute();
      await this.audit(trx, staff, organisation.id, 'approve', extract.id);
    });
  }

  /** The CSV, built and checked now; the download is audited. */
  async csv(staff: StaffContext, id: string): Promise<string> {
    const organisation = this.organisationOf(staff);
    return this.db.transaction().execute(async (trx) => {
      const extract = await this.load(trx, organisation.id, id, false);
      const key = extract.pseudonym_key_sealed
        ? openKey(this.options.keys, extract.id, extract.pseudonym_key_sealed)
        : // Approved before migration 0060 and not yet sealed at a start.
          extract.pseudonym_key;
      if (!key) throw new NotFoundError();
      const built = await this.build(trx, organisation, extract.fields, extract.k, key);
      await this.audit(trx, staff, organisation.id, 'download', extract.id);
      const columns = ['pseudonym', ...extract.fields];
      return stringify(
        built.rows.map((row) => columns.map((c) => row[c] ?? '')),
        { header: true, columns },
      );
    });
  }

  private async load(
    trx: Transaction<Database>,
    organisationId: string,
    id: string,
    forUpdate: boolean,
  ) {
    if (!uuid.test(id)) throw new NotFoundError();
    let query = trx
      .selectFrom('research_extract')
      .selectAll()
      .where('id', '=', id)
      .where('organisation_id', '=', organisationId);
    if (forUpdate) query = query.forUpdate();
    const row = await query.executeTakeFirst();
    if (!row) throw new NotFoundError();
    return row;
  }

  /** One row per record with its subject: generalised, checked, pseudonymised. */
  private async build(
    trx: Transaction<Database>,
    organisation: { id: string; slug: OrganisationSlug },
    fields: readonly string[],
    k: number,
    key: Uint8Array,
  ) {
    const records = await trx
      .selectFrom('case_record')
      .innerJoin('record_party', (join) =>
        join
          .onRef('record_party.record_id', '=', 'case_record.id')
          .on('record_party.role', '=', 'subject'),
      )
      .innerJoin('person', 'person.id', 'record_party.person_id')
      .leftJoin('person_address', (join) =>
        join
          .onRef('person_address.person_id', '=', 'person.id')
          .on('person_address.to_date', 'is', null),
      )
      .select([
        'person.id as person',
        'case_record.category',
        'case_record.opened_on',
        'case_record.closed_on',
        'person.date_of_birth',
        'person.gender',
        'person_address.postcode',
      ])
      .where('case_record.organisation_id', '=', organisation.id)
      .orderBy('case_record.id')
      .execute();
    // One row per record, even where a person has several current addresses.
    const seen = new Set<string>();
    const rows: Row[] = [];
    for (const r of records) {
      const id = `${r.person}|${r.category}|${r.opened_on}`;
      if (seen.has(id)) continue;
      seen.add(id);
      rows.push({
        person: r.person,
        category: findCategory(organisation.slug, r.category as CategorySlug)?.name ?? r.category,
        opened: r.opened_on,
        closed: r.closed_on,
        age: r.date_of_birth ? `${r.date_of_birth}|${r.opened_on}` : null,
        gender: r.gender,
        postcode: r.postcode,
      });
    }
    const quasi = EXTRACT_FIELDS.filter((f) => fields.includes(f.field));
    const outcome = enforceK(rows, quasi, 'person', { k, maxSuppressedShare: 0.05 });
    return {
      ...outcome,
      rows: outcome.rows.map((row): Row => ({
        ...row,
        pseudonym: pseudonym(key, String(row.person)),
      })),
    };
  }

  private async audit(
    trx: Transaction<Database>,
    staff: StaffContext,
    organisationId: string,
    what: string,
    id: string,
  ) {
    await recordAudit(trx, {
      action: `research-extract.${what}`,
      actorAccountId: staff.accountId,
      organisationId,
      objectType: 'research-extract',
      objectIds: [id],
      purpose: 'research',
    });
  }

  /**
   * Seals every key still held in the clear (approved before migration
   * 0060) and empties the clear column; run at each start, so a database
   * holds no clear key once a server or command has started. Returns how many.
   */
  async sealClearKeys(): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const clear = await trx
        .selectFrom('research_extract')
        .select(['id', 'pseudonym_key'])
        .where('pseudonym_key', 'is not', null)
        .forUpdate()
        .execute();
      for (const row of clear) {
        if (!row.pseudonym_key) continue;
        await trx
          .updateTable('research_extract')
          .set({
            pseudonym_key_sealed: sealKey(this.options.keys, row.id, row.pseudonym_key),
            pseudonym_key: null,
          })
          .where('id', '=', row.id)
          .execute();
      }
      return clear.length;
    });
  }

  /**
   * Key rotation: every key sealed under the previous secret (or any not
   * under the current one that still opens) sealed again under the current
   * one. Returns how many were re-sealed; refuses, changing nothing, if a
   * key opens with neither configured secret.
   */
  async resealKeys(): Promise<number> {
    await this.sealClearKeys();
    return this.db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('research_extract')
        .select(['id', 'pseudonym_key_sealed'])
        .where('pseudonym_key_sealed', 'is not', null)
        .forUpdate()
        .execute();
      let resealed = 0;
      for (const row of rows) {
        const sealed = row.pseudonym_key_sealed;
        if (!sealed || sealedWithCurrent(this.options.keys, sealed)) continue;
        const key = openKey(this.options.keys, row.id, sealed);
        await trx
          .updateTable('research_extract')
          .set({ pseudonym_key_sealed: sealKey(this.options.keys, row.id, key) })
          .where('id', '=', row.id)
          .execute();
        resealed++;
      }
      return resealed;
    });
  }

  /** For the record of processing: the approved extracts, in words (no personal data). */
  async approved(organisationId: string) {
    const rows = await this.db
      .selectFrom('research_extract')
      .select(['purpose', 'question', 'fields', 'k', 'approved_at'])
      .where('organisation_id', '=', organisationId)
      .where('approved_by', 'is not', null)
      .orderBy('approved_at', 'desc')
      .execute();
    return rows.map((r) => ({
      purpose: EXTRACT_PURPOSES.find((p) => p.value === r.purpose)?.text ?? r.purpose,
      question: r.question,
      fields: r.fields.map((f) => EXTRACT_FIELDS.find((x) => x.field === f)?.label ?? f),
      k: r.k,
      approvedAt: r.approved_at,
    }));
  }
}
