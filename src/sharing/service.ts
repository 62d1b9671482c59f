/**
 * Sharing with partners (issue 6; design.md principle 6). A disclosure says
 * which items (records, notes, documents, fields) go to whom, for what purpose,
 * under which agreement and lawful basis, and with what consent. To an
 * organisation inside Safekeep it is a grant, decided by the one access
 * function (platform/access/access.ts) when casework loads the record; to
 * anyone else it is a package, downloaded once. Every change is one
 * transaction with its audit events (ids only).
 */
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { z } from 'zod';
import type { Database } from '../db/schema.js';
import {
  canGovernRecords,
  decideRecord,
  receivesGrants,
  type RecordScope,
  type RecordState,
} from '../platform/access/access.js';
import type { StaffContext } from '../platform/auth/service.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import { factColumns, type RecordDateFact } from '../casework/categories.js';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  type FieldError,
} from '../platform/errors/errors.js';
import {
  findCategory,
  isCategorySlug,
  isOrganisationSlug,
  policyFor,
  type CategorySlug,
  type OrganisationSlug,
} from '../policy/index.js';
import { agreementStatus } from './agreement-service.js';
import { addDays, londonDay } from './dates.js';
import { fieldSelection, shareableFields } from './fields.js';
import { recipientRefusal } from './recipient-check.js';
import { withoutStandingConsent } from '../people/consent/service.js';
import { isRecordRestricted } from '../rights/restriction.js';
import { refuseIfRestricted } from './restriction.js';
import { buildPackagePdf, type PackageContent } from './package.js';
import {
  disclosureSchema,
  logFilterSchema,
  type DisclosureInput,
  type LogFilter,
} from './schemas.js';
import {
  consentReasons,
  sharingPurposes,
  type ConsentReason,
  type DisclosureTable,
  type ItemKind,
  type SharingPurpose,
} from './tables.js';

/** A justification outside every agreement must say something. */
export const MIN_JUSTIFICATION = 20;
/** Grants last this long unless the discloser says otherwise, and never longer than a year. */
export const DEFAULT_GRANT_DAYS = 90;
export const MAX_GRANT_DAYS = 366;

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  for (const issue of result.error.issues) {
    const field = issue.path.map(String).join('.') || 'form';
    const top = field.startsWith('items') ? 'items' : field;
    if (seen.has(top)) continue;
    seen.add(top);
    errors.push({ field: top, message: issue.message });
  }
  throw new ValidationError(errors);
}

export function consentText(consent: string, reason: string | null): string {
  if (consent === 'given') return 'Given';
  if (consent === 'refused') return 'Refused (shared without consent, with a justification)';
  return `Not sought: ${consentReasons[reason as ConsentReason] ?? 'no reason recorded'}`;
}

function purposeName(purpose: string): string {
  return sharingPurposes[purpose as SharingPurpose] ?? purpose;
}

function staffOrganisation(staff: StaffContext) {
  const organisation = staff.organisation;
  if (staff.stage !== 'complete' || !organisation || !isOrganisationSlug(organisation.slug)) {
    throw new NotFoundError();
  }
  return { id: organisation.id, slug: organisation.slug as OrganisationSlug };
}

type RecordRow = {
  id: string;
  organisation_id: string;
  category: string;
  allocated_account_id: string | null;
  allocated_team_id: string | null;
  opened_on: string;
  closed_on: string | null;
  record_state: RecordState;
};

function scopeOf(record: RecordRow, restricted: boolean): RecordScope {
  return {
    organisationId: record.organisation_id,
    category: record.category as CategorySlug,
    allocatedAccountId: record.allocated_account_id,
    allocatedTeamId: record.allocated_team_id,
    restricted,
    state: record.record_state,
  };
}

/** Why an agreement does not cover a disclosure, or undefined when it does. */
function agreementProblem(
  agreement: Selectable<Database['sharing_agreement']>,
  wanted: {
    organisation: OrganisationSlug;
    shortName: string;
    today: string;
    recipientOrganisation: OrganisationSlug | undefined;
    recipientId: string;
    purpose: string;
    categories: CategorySlug[];
    lawfulBasis: string;
    specialCondition: string | undefined;
  },
): string | undefined {
  const { title } = agreement;
  if (!agreement.party_organisations.includes(wanted.organisation))
    return `${wanted.shortName} is not a party to ${title}`;
  if (agreement.ended_on) return `${title} ended on ${agreement.ended_on}; it cannot be relied on`;
  if (agreement.review_date < wanted.today)
    return `${title} was due for review on ${agreement.review_date}; it cannot be relied on until it is reviewed`;
  if (wanted.recipientOrganisation) {
    if (!agreement.party_organisations.includes(wanted.recipientOrganisation))
      return `The recipient is not a party to ${title}`;
  } else if (!agreement.external_recipients.includes(wanted.recipientId)) {
    return `${title} does not cover this recipient`;
  }
  if (!agreement.purposes.includes(wanted.purpose)) return `${title} does not cover this purpose`;
  if (wanted.categories.some((c) => !agreement.data_categories.includes(c)))
    return `${title} does not cover this category of record`;
  if (!agreement.lawful_bases.includes(wanted.lawfulBasis))
    return `${title} does not rely on Article ${wanted.lawfulBasis}`;
  if (wanted.specialCondition && !agreement.special_conditions.includes(wanted.specialCondition))
    return `${title} does not rely on Article ${wanted.specialCondition}`;
  return undefined;
}

export class SharingService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: { now?: () => Date } = {},
  ) {}

  private now(): Date {
    return this.clock.now?.() ?? new Date();
  }

  /**
   * A record the staff member may share: in their organisation and open to
   * them through their role (not break-glass, and never a grant: a
   * recipient cannot pass on what it was shown).
   */
  private async shareableRecord(
    db: Kysely<Database> | Transaction<Database>,
    staff: StaffContext,
    recordId: string,
  ) {
    const organisation = staffOrganisation(staff);
    const record = uuid.test(recordId)
      ? await db
          .selectFrom('case_record')
          .select([
            'id',
            'organisation_id',
            'category',
            'allocated_account_id',
            'allocated_team_id',
            'record_state',
            'opened_on',
            'closed_on',
          ])
          .where('id', '=', recordId)
          .executeTakeFirst()
      : undefined;
    if (!record || record.organisation_id !== organisation.id || !isCategorySlug(record.category)) {
      throw new NotFoundError();
    }
    const restricted = await isRecordRestricted(db, record.id);
    const decision = decideRecord(staff, 'read', scopeOf(record, restricted));
    // Its holders are told why it cannot be shared (Art 18); others learn nothing.
    if (!decision.allowed && decision.restricted) await refuseIfRestricted(db, record.id);
    if (!decision.allowed || decision.via !== 'role') throw new NotFoundError();
    return record;
  }

  /** Who the staff member's organisation may share with, as its notice lists them. */
  async recipients(staff: StaffContext) {
    const organisation = staffOrganisation(staff);
    const organisations = await this.db
      .selectFrom('organisation')
      .select(['id', 'slug', 'short_name'])
      .execute();
    return policyFor(organisation.slug).recipients.map((r) => ({
      id: r.id,
      name: r.name,
      noticeWording: r.noticeWording,
      safekeep: (r.safekeepOrganisations ?? [])
        .filter((slug) => slug !== organisation.slug)
        .map((slug) => organisations.find((o) => o.slug === slug))
        .filter((o) => o !== undefined)
        .map((o) => ({ slug: o.slug as OrganisationSlug, name: o.short_name })),
    }));
  }

  /** Agreements the staff member's organisation is a party to. */
  async agreements(staff: StaffContext) {
    const organisation = staffOrganisation(staff);
    const rows = await this.db
      .selectFrom('sharing_agreement')
      .selectAll()
      .where(sql<boolean>`${organisation.slug} = any(party_organisations)`)
      .where('ended_on', 'is', null)
      .orderBy('title')
      .execute();
    const today = londonDay(this.now());
    return rows.map((a) => ({
      status: agreementStatus(a, today),
      id: a.id,
      slug: a.slug,
      title: a.title,
      parties: a.party_organisations,
      externalRecipients: a.external_recipients,
      purposes: a.purposes.map(purposeName),
      purposeSlugs: a.purposes,
      dataCategories: a.data_categories,
      lawfulBases: a.lawful_bases,
      specialConditions: a.special_conditions,
      reviewDate: a.review_date,
      overdue: a.review_date < today,
    }));
  }

  /** What the share form offers for one record: the items, the notice's recipients and bases. */
  async shareForm(staff: StaffContext, recordId: string) {
    return this.db.transaction().execute(async (trx) => {
      const record = await this.shareableRecord(trx, staff, recordId);
      const organisation = staffOrganisation(staff);
      const category = findCategory(organisation.slug, record.category as CategorySlug);
      const [subject, notes, documents] = await Promise.all([
        trx
          .selectFrom('record_party')
          .innerJoin('person', 'person.id', 'record_party.person_id')
          .select(['person.given_name', 'person.family_name'])
          .where('record_party.record_id', '=', record.id)
          .where('record_party.role', '=', 'subject')
          .executeTakeFirst(),
        trx
          .selectFrom('case_note')
          .select(['id', 'occurred_on', 'kind', 'text'])
          .where('record_id', '=', record.id)
          .orderBy('occurred_on')
          .orderBy('written_at')
          .execute(),
        trx
          .selectFrom('record_document')
          .select(['id', 'filename', 'size_bytes'])
          .where('record_id', '=', record.id)
          .orderBy('uploaded_at')
          .execute(),
      ]);
      await recordAudit(trx, {
        action: 'disclosure.prepare',
        actorAccountId: staff.accountId,
        organisationId: organisation.id,
        objectType: 'case-record',
        objectIds: [record.id],
        purpose: 'sharing',
      });
      return {
        record: {
          id: record.id,
          categoryName: category?.name ?? record.category,
          openedOn: record.opened_on,
          subject: subject ? `${subject.given_name} ${subject.family_name}` : null,
        },
        notes: notes.map((n) => ({
          id: n.id,
          occurredOn: n.occurred_on,
          kind: n.kind,
          excerpt: n.text.length > 80 ? `${n.text.slice(0, 80)}…` : n.text,
        })),
        documents: documents.map((d) => ({
          id: d.id,
          filename: d.filename,
          sizeBytes: d.size_bytes,
        })),
        fields: shareableFields(organisation.slug, record.category as CategorySlug),
        lawfulBases: category?.lawfulBases ?? [],
        specialConditions:
          category && category.specialCategory !== false ? category.specialCategory.conditions : [],
      };
    });
  }

  /**
   * Records a disclosure. Refused without a lawful basis the notice gives
   * for every shared record, without a recorded consent position, or
   * outside every agreement without a written justification; outside an
   * agreement it waits for a second person's approval.
   */
  async create(staff: StaffContext, raw: DisclosureInput): Promise<string> {
    const input = parse(disclosureSchema, raw);
    const organisation = staffOrganisation(staff);
    const now = this.now();
    const today = londonDay(now);
    return this.db.transaction().execute(async (trx) => {
      const errors: FieldError[] = [];
      // Items: each record readable by the discloser, each note and document in its record.
      const recordIds = [...new Set(input.items.map((i) => i.recordId))];
      const records: RecordRow[] = [];
      for (const id of recordIds) records.push(await this.shareableRecord(trx, staff, id));
      const items = new Map<
        string,
        { recordId: string; kind: ItemKind; id: string; field: string }
      >();
      for (const item of input.items) {
        if (item.kind === 'field') {
          const record = records.find((r) => r.id === item.recordId);
          const fields = record
            ? shareableFields(organisation.slug, record.category as CategorySlug)
            : [];
          if (!fields.some((f) => f.name === item.field)) {
            throw new ValidationError([
              { field: 'items', message: `Choose fields this record holds (not “${item.field}”)` },
            ]);
          }
          items.set(`field/${item.recordId}/${item.field}`, {
            recordId: item.recordId,
            kind: 'field',
            id: item.recordId,
            field: item.field,
          });
          continue;
        }
        const id = item.kind === 'record' ? item.recordId : item.id;
        items.set(`${item.kind}/${id}`, {
          recordId: item.recordId,
          kind: item.kind,
          id,
          field: '',
        });
      }
      for (const item of items.values()) {
        if (item.kind === 'record' || item.kind === 'field') continue;
        const table = item.kind === 'note' ? 'case_note' : 'record_document';
        const found = await trx
          .selectFrom(table)
          .select('id')
          .where('id', '=', item.id)
          .where('record_id', '=', item.recordId)
          .executeTakeFirst();
        if (!found) throw new NotFoundError();
      }

      // Recipient: someone the notice says the organisation shares with.
      const policy = policyFor(organisation.slug);
      const refusal = recipientRefusal(policy, input.recipientId);
      // Accepted by the check above, so the notice lists it.
      const recipient = refusal
        ? undefined
        : policy.recipients.find((r) => r.id === input.recipientId);
      let recipientOrganisationId: string | null = null;
      if (refusal) {
        errors.push({ field: 'recipientId', message: refusal });
      } else if (recipient && input.recipientOrganisation) {
        if (
          input.recipientOrganisation === organisation.slug ||
          !(recipient.safekeepOrganisations ?? []).includes(input.recipientOrganisation)
        ) {
          errors.push({
            field: 'recipientOrganisation',
            message: `${recipient.name} does not include that organisation`,
          });
        } else {
          const row = await trx
            .selectFrom('organisation')
            .select('id')
            .where('slug', '=', input.recipientOrganisation)
            .executeTakeFirst();
          recipientOrganisationId = row?.id ?? null;
        }
      }

      // Lawful basis: one the notice gives for every category shared.
      const categories = [...new Set(records.map((r) => r.category as CategorySlug))];
      for (const slug of categories) {
        const category = findCategory(organisation.slug, slug);
        if (!category) continue;
        if (!category.lawfulBases.some((b) => b.article === input.lawfulBasis)) {
          errors.push({
            field: 'lawfulBasis',
            message: `Article ${input.lawfulBasis} is not a lawful basis the privacy notice gives for ${category.name.toLowerCase()} records`,
          });
        }
        if (category.specialCategory !== false) {
          if (!input.specialCondition) {
            errors.push({
              field: 'specialCondition',
              message: `Choose the Article 9 condition: ${category.name.toLowerCase()} records hold special category data`,
            });
          } else if (
            !category.specialCategory.conditions.some((c) => c.article === input.specialCondition)
          ) {
            errors.push({
              field: 'specialCondition',
              message: `Article ${input.specialCondition} is not a condition the privacy notice gives for ${category.name.toLowerCase()} records`,
            });
          }
        }
      }

      // Consent: given, refused, or not sought for a reason the notices allow.
      if (input.consent === 'not-sought' && !input.consentReason) {
        errors.push({
          field: 'consentReason',
          message: 'Choose why consent was not sought',
        });
      }
      if (input.consent === 'refused' && (input.justification?.length ?? 0) < MIN_JUSTIFICATION) {
        errors.push({
          field: 'justification',
          message: `Consent was refused: explain why sharing is still necessary (at least ${MIN_JUSTIFICATION} characters)`,
        });
      }

      // A recipient that is a purpose resting on consent (policy
      // consentPurposes, people/consent): everyone in the shared records must
      // have a standing consent, asked now, so a withdrawal stops it at once.
      const consentPurpose = (policy.consentPurposes ?? []).find(
        (p) => p.discloseTo === input.recipientId,
      );
      if (consentPurpose && !refusal) {
        const parties = await trx
          .selectFrom('record_party')
          .select('person_id')
          .distinct()
          .where(
            'record_id',
            'in',
            records.map((r) => r.id),
          )
          .execute();
        const missing = await withoutStandingConsent(
          trx,
          organisation.id,
          parties.map((p) => p.person_id),
          consentPurpose.id,
        );
        if (missing.length > 0) {
          errors.push({
            field: 'recipientId',
            message: `Sharing with ${recipient?.name ?? 'this recipient'} needs the consent of everyone in the record to ${consentPurpose.name.charAt(0).toLowerCase()}${consentPurpose.name.slice(1)}, and ${missing.length === 1 ? '1 person has' : `${missing.length} people have`} not given it or have withdrawn it`,
          });
        }
      }

      // The agreement, if any, must cover this sharing in every respect.
      let agreementTitle: string | null = null;
      let agreementVersion: number | null = null;
      if (input.agreementId) {
        // Shared lock: the terms relied on cannot change until this commits.
        const agreement = await trx
          .selectFrom('sharing_agreement')
          .selectAll()
          .where('id', '=', input.agreementId)
          .forShare()
          .executeTakeFirst();
        const coverage = agreement
          ? agreementProblem(agreement, {
              organisation: organisation.slug,
              shortName: policy.shortName,
              today,
              recipientOrganisation: input.recipientOrganisation,
              recipientId: input.recipientId,
              purpose: input.purpose,
              categories,
              lawfulBasis: input.lawfulBasis,
              specialCondition: input.specialCondition,
            })
          : 'Choose an agreement';
        if (coverage) errors.push({ field: 'agreementId', message: coverage });
        agreementTitle = agreement?.title ?? null;
        agreementVersion = agreement?.version ?? null;
      } else if ((input.justification?.length ?? 0) < MIN_JUSTIFICATION) {
        errors.push({
          field: 'justification',
          message: `Sharing outside every agreement needs a written justification (at least ${MIN_JUSTIFICATION} characters)`,
        });
      }

      // A grant's end: by default 90 days, never in the past or beyond a year.
      let expiresAt: Date | null = null;
      if (recipientOrganisationId) {
        const lastDay = input.expiresOn ?? addDays(today, DEFAULT_GRANT_DAYS - 1);
        if (lastDay < today || lastDay > addDays(today, MAX_GRANT_DAYS)) {
          errors.push({
            field: 'expiresOn',
            message: 'The last day of access must be between today and a year from now',
          });
        }
        expiresAt = new Date(`${addDays(lastDay, 1)}T00:00:00Z`);
      }
      if (errors.length) throw new ValidationError(errors);

      const underAgreement = Boolean(input.agreementId);
      const { id } = await trx
        .insertInto('disclosure')
        .values({
          organisation_id: organisation.id,
          requested_by: staff.accountId,
          requested_at: now,
          recipient_id: input.recipientId,
          recipient_name: input.recipientName,
          recipient_organisation_id: recipientOrganisationId,
          purpose: input.purpose,
          agreement_id: input.agreementId ?? null,
          agreement_version: input.agreementId ? agreementVersion : null,
          lawful_basis: input.lawfulBasis,
          special_condition: input.specialCondition ?? null,
          consent: input.consent,
          consent_reason: input.consent === 'not-sought' ? (input.consentReason ?? null) : null,
          justification: input.justification ?? null,
          status: underAgreement ? 'approved' : 'awaiting-approval',
          approved_at: underAgreement ? now : null,
          expires_at: expiresAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('disclosure_item')
        .values(
          [...items.values()].map((i) => ({
            disclosure_id: id,
            record_id: i.recordId,
            item_kind: i.kind,
            item_id: i.id,
            field: i.field,
          })),
        )
        .execute();
      await recordAudit(trx, {
        action: 'disclosure.create',
        actorAccountId: staff.accountId,
        organisationId: organisation.id,
        objectType: 'disclosure',
        objectIds: [id, ...recordIds],
        purpose: agreementTitle ? 'sharing' : 'sharing-outside-agreement',
      });
      if (underAgreement && recipientOrganisationId)
        await this.auditGrant(trx, staff, id, recipientOrganisationId, 'disclosure.grant');
      return id;
    });
  }

  private async auditGrant(
    trx: Transaction<Database>,
    staff: StaffContext,
    disclosureId: string,
    recipientOrganisationId: string,
    action: string,
  ) {
    await recordAudit(trx, {
      action,
      actorAccountId: staff.accountId,
      organisationId: recipientOrganisationId,
      objectType: 'disclosure',
      objectIds: [disclosureId],
      purpose: 'sharing',
    });
  }

  /** The disclosure, for its requester and the organisation's governance. */
  private async ownDisclosure(
    trx: Transaction<Database>,
    staff: StaffContext,
    id: string,
    lock = false,
  ) {
    const organisation = staffOrganisation(staff);
    if (!uuid.test(id)) throw new NotFoundError();
    let query = trx.selectFrom('disclosure').selectAll().where('id', '=', id);
    if (lock) query = query.forUpdate();
    const row = await query.executeTakeFirst();
    if (!row || row.organisation_id !== organisation.id) throw new NotFoundError();
    const governs = canGovernRecords(staff, organisation.id);
    if (row.requested_by !== staff.accountId && !governs) throw new NotFoundError();
    return { row, governs };
  }

  async disclosure(staff: StaffContext, id: string) {
    return this.db.transaction().execute(async (trx) => {
      const { row, governs } = await this.ownDisclosure(trx, staff, id);
      const [items, agreement, people] = await Promise.all([
        trx
          .selectFrom('disclosure_item')
          .innerJoin('case_record', 'case_record.id', 'disclosure_item.record_id')
          .select([
            'disclosure_item.record_id',
            'disclosure_item.item_kind',
            'disclosure_item.item_id',
            'disclosure_item.field',
            'case_record.category',
          ])
          .where('disclosure_item.disclosure_id', '=', row.id)
          .orderBy('disclosure_item.record_id')
          .orderBy('disclosure_item.item_kind')
          .orderBy('disclosure_item.field')
          .execute(),
        row.agreement_id && row.agreement_version
          ? trx
              .selectFrom('sharing_agreement_version')
              .select(['title', 'version'])
              .where('agreement_id', '=', row.agreement_id)
              .where('version', '=', row.agreement_version)
              .executeTakeFirst()
          : undefined,
        trx
          .selectFrom('account')
          .select(['id', 'display_name'])
          .where('id', 'in', [row.requested_by, row.approved_by ?? row.requested_by])
          .execute(),
      ]);
      const name = (accountId: string | null) =>
        people.find((p) => p.id === accountId)?.display_name ?? null;
      await recordAudit(trx, {
        action: 'disclosure.read',
        actorAccountId: staff.accountId,
        organisationId: row.organisation_id,
        objectType: 'disclosure',
        objectIds: [row.id],
        purpose: 'sharing',
      });
      const organisation = staffOrganisation(staff);
      const now = this.now();
      const kind = row.recipient_organisation_id ? ('grant' as const) : ('package' as const);
      return {
        id: row.id,
        kind,
        status: row.status,
        recipientName: row.recipient_name,
        recipient:
          policyFor(organisation.slug).recipients.find((r) => r.id === row.recipient_id)?.name ??
          row.recipient_id,
        purpose: purposeName(row.purpose),
        agreement: agreement?.title ?? null,
        /** The agreement as it stood when relied on (its version). */
        agreementLink:
          agreement && row.agreement_id
            ? `/sharing/agreements/${row.agreement_id}?version=${agreement.version}`
            : null,
        agreementVersion: agreement?.version ?? null,
        lawfulBasis: row.lawful_basis,
        specialCondition: row.special_condition,
        consent: consentText(row.consent, row.consent_reason),
        justification: row.justification,
        requestedAt: row.requested_at,
        requestedBy: name(row.requested_by),
        approvedAt: row.approved_at,
        approvedBy: row.approved_by ? name(row.approved_by) : null,
        expiresAt: row.expires_at,
        revokedAt: row.revoked_at,
        downloadedAt: row.package_downloaded_at,
        items: items.map((i) => ({
          recordId: i.record_id,
          kind: i.item_kind,
          id: i.item_id,
          field: i.field || null,
          fieldLabel: i.field
            ? (shareableFields(organisation.slug, i.category as CategorySlug).find(
                (f) => f.name === i.field,
              )?.label ?? i.field)
            : null,
          categoryName:
            findCategory(organisation.slug, i.category as CategorySlug)?.name ?? i.category,
        })),
        can: {
          approve:
            governs && row.status === 'awaiting-approval' && row.requested_by !== staff.accountId,
          revoke:
            row.status === 'approved' &&
            (kind === 'grant'
              ? row.expires_at !== null && row.expires_at > now
              : row.package_downloaded_at === null),
          download:
            kind === 'package' && row.status === 'approved' && row.package_downloaded_at === null,
        },
      };
    });
  }

  /** A second person approves (or refuses) a disclosure outside every agreement. */
  async decide(staff: StaffContext, id: string, decision: 'approve' | 'refuse'): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const { row, governs } = await this.ownDisclosure(trx, staff, id, true);
      if (!governs) {
        throw new ForbiddenError(
          'Only information governance or the data protection officer can approve a disclosure outside an agreement',
        );
      }
      if (row.requested_by === staff.accountId) {
        throw new ForbiddenError(
          'A second person must approve this disclosure: you cannot approve one you asked for',
        );
      }
      if (row.status !== 'awaiting-approval') {
        throw new ConflictError('This disclosure has already been decided');
      }
      const now = this.now();
      await trx
        .updateTable('disclosure')
        .set(
          decision === 'approve'
            ? { status: 'approved', approved_by: staff.accountId, approved_at: now }
            : { status: 'refused', approved_by: staff.accountId, approved_at: null },
        )
        .where('id', '=', row.id)
        .execute();
      await recordAudit(trx, {
        action: decision === 'approve' ? 'disclosure.approve' : 'disclosure.refuse',
        actorAccountId: staff.accountId,
        organisationId: row.organisation_id,
        objectType: 'disclosure',
        objectIds: [row.id],
        purpose: 'sharing',
      });
      if (decision === 'approve' && row.recipient_organisation_id) {
        await this.auditGrant(
          trx,
          staff,
          row.id,
          row.recipient_organisation_id,
          'disclosure.grant',
        );
      }
    });
  }

  /** Ends a grant now (or stops a package not yet downloaded). */
  async revoke(staff: StaffContext, id: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const { row } = await this.ownDisclosure(trx, staff, id, true);
      if (row.status !== 'approved')
        throw new ConflictError('Only an approved disclosure can be revoked');
      if (row.package_downloaded_at) {
        throw new ConflictError('This package has been downloaded already; it cannot be recalled');
      }
      await trx
        .updateTable('disclosure')
        .set({ status: 'revoked', revoked_at: this.now(), revoked_by: staff.accountId })
        .where('id', '=', row.id)
        .execute();
      await recordAudit(trx, {
        action: 'disclosure.revoke',
        actorAccountId: staff.accountId,
        organisationId: row.organisation_id,
        objectType: 'disclosure',
        objectIds: [row.id],
        purpose: 'sharing',
      });
      if (row.recipient_organisation_id) {
        await this.auditGrant(
          trx,
          staff,
          row.id,
          row.recipient_organisation_id,
          'disclosure.revoke',
        );
      }
    });
  }

  /**
   * The package for a recipient outside Safekeep: downloaded once. The
   * download is claimed in the same transaction that builds it, so a second
   * request — even at the same moment — is refused.
   */
  async downloadPackage(
    staff: StaffContext,
    id: string,
  ): Promise<{ filename: string; content: Buffer }> {
    return this.db.transaction().execute(async (trx) => {
      const { row } = await this.ownDisclosure(trx, staff, id, true);
      if (row.recipient_organisation_id) throw new NotFoundError();
      if (row.status !== 'approved') {
        throw new ConflictError(
          'This disclosure is not approved, so there is no package to download',
        );
      }
      const shared = await trx
        .selectFrom('disclosure_item')
        .select('record_id')
        .distinct()
        .where('disclosure_id', '=', row.id)
        .execute();
      for (const { record_id } of shared) await refuseIfRestricted(trx, record_id);
      const now = this.now();
      const claimed = await trx
        .updateTable('disclosure')
        .set({ package_downloaded_at: now, package_downloaded_by: staff.accountId })
        .where('id', '=', row.id)
        .where('package_downloaded_at', 'is', null)
        .returning('id')
        .executeTakeFirst();
      if (!claimed) {
        throw new ConflictError(
          'This package has already been downloaded. It can be downloaded once only; make a new disclosure if it is needed again.',
        );
      }
      const content = await this.packageContent(trx, row, now);
      const pdf = await buildPackagePdf(content);
      await recordAudit(trx, {
        action: 'disclosure.package.download',
        actorAccountId: staff.accountId,
        organisationId: row.organisation_id,
        objectType: 'disclosure',
        objectIds: [row.id, ...content.records.map((r) => r.id)],
        purpose: 'sharing',
      });
      return { filename: `disclosure-${row.id}.pdf`, content: pdf };
    });
  }

  /**
   * The disclosure log for governance: every disclosure the organisation
   * made, filterable by partner, purpose, lawful basis and consent.
   */
  async log(staff: StaffContext, rawFilter: LogFilter | Record<string, unknown> = {}) {
    const organisation = staffOrganisation(staff);
    if (!canGovernRecords(staff, organisation.id)) throw new NotFoundError();
    const filter = parse(logFilterSchema, rawFilter);
    return this.db.transaction().execute(async (trx) => {
      let query = trx
        .selectFrom('disclosure')
        .innerJoin('account', 'account.id', 'disclosure.requested_by')
        .leftJoin('sharing_agreement', 'sharing_agreement.id', 'disclosure.agreement_id')
        .select([
          'disclosure.id',
          'disclosure.requested_at',
          'disclosure.recipient_id',
          'disclosure.recipient_name',
          'disclosure.recipient_organisation_id',
          'disclosure.purpose',
          'disclosure.lawful_basis',
          'disclosure.special_condition',
          'disclosure.consent',
          'disclosure.consent_reason',
          'disclosure.status',
          'disclosure.package_downloaded_at',
          'account.display_name as requester',
          'sharing_agreement.title as agreement',
        ])
        .select((eb) =>
          eb
            .selectFrom('disclosure_item')
            .select((e) => e.fn.countAll<number>().as('n'))
            .whereRef('disclosure_item.disclosure_id', '=', 'disclosure.id')
            .as('itemCount'),
        )
        .where('disclosure.organisation_id', '=', organisation.id);
      if (filter.partner) query = query.where('disclosure.recipient_id', '=', filter.partner);
      if (filter.purpose) query = query.where('disclosure.purpose', '=', filter.purpose);
      if (filter.basis) query = query.where('disclosure.lawful_basis', '=', filter.basis);
      if (filter.consent) query = query.where('disclosure.consent', '=', filter.consent);
      const rows = await query
        .orderBy('disclosure.requested_at', 'desc')
        .orderBy('disclosure.id')
        .limit(500)
        .execute();
      await recordAudit(trx, {
        action: 'disclosure.log.read',
        actorAccountId: staff.accountId,
        organisationId: organisation.id,
        objectType: 'disclosure',
        objectIds: rows.map((r) => r.id),
        purpose: 'governance',
      });
      const recipients = policyFor(organisation.slug).recipients;
      return {
        filter,
        entries: rows.map((r) => ({
          id: r.id,
          at: r.requested_at,
          partner: recipients.find((x) => x.id === r.recipient_id)?.name ?? r.recipient_id,
          recipientName: r.recipient_name,
          kind: r.recipient_organisation_id ? 'grant' : 'package',
          purpose: purposeName(r.purpose),
          lawfulBasis: r.lawful_basis,
          specialCondition: r.special_condition,
          consent: consentText(r.consent, r.consent_reason),
          agreement: r.agreement ?? 'Outside any agreement',
          status: r.status,
          downloaded: r.package_downloaded_at !== null,
          requester: r.requester,
          items: Number(r.itemCount ?? 0),
        })),
      };
    });
  }

  /** What other organisations have shared with the staff member's, in force now. */
  async received(staff: StaffContext) {
    const organisation = staffOrganisation(staff);
    if (!receivesGrants(staff)) throw new NotFoundError();
    const now = this.now();
    return this.db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('disclosure')
        .innerJoin('organisation', 'organisation.id', 'disclosure.organisation_id')
        .innerJoin('disclosure_item', 'disclosure_item.disclosure_id', 'disclosure.id')
        .innerJoin('case_record', 'case_record.id', 'disclosure_item.record_id')
        .select([
          'disclosure.id',
          'disclosure.approved_at',
          'disclosure.expires_at',
          'disclosure.purpose',
          'organisation.short_name',
          'organisation.slug',
          'disclosure_item.record_id',
          'case_record.category',
        ])
        .where('disclosure.recipient_organisation_id', '=', organisation.id)
        .where('disclosure.status', '=', 'approved')
        .where('disclosure.revoked_at', 'is', null)
        .where('disclosure.expires_at', '>', now)
        .orderBy('disclosure.approved_at', 'desc')
        .execute();
      const byRecord = new Map<string, (typeof rows)[number]>();
      for (const r of rows)
        if (!byRecord.has(`${r.id}/${r.record_id}`)) byRecord.set(`${r.id}/${r.record_id}`, r);
      const entries = [...byRecord.values()];
      await recordAudit(trx, {
        action: 'disclosure.received.read',
        actorAccountId: staff.accountId,
        organisationId: organisation.id,
        objectType: 'disclosure',
        objectIds: [...new Set(entries.map((e) => e.id))],
        purpose: 'shared-grant',
      });
      return entries.map((e) => ({
        disclosureId: e.id,
        recordId: e.record_id,
        from: e.short_name,
        categoryName: isOrganisationSlug(e.slug)
          ? (findCategory(e.slug, e.category as CategorySlug)?.name ?? e.category)
          : e.category,
        purpose: purposeName(e.purpose),
        sharedAt: e.approved_at,
        expiresAt: e.expires_at,
      }));
    });
  }

  private async packageContent(
    trx: Transaction<Database>,
    row: Selectable<DisclosureTable>,
    now: Date,
  ): Promise<PackageContent> {
    const organisation = await trx
      .selectFrom('organisation')
      .select(['slug', 'name'])
      .where('id', '=', row.organisation_id)
      .executeTakeFirstOrThrow();
    const slug = organisation.slug as OrganisationSlug;
    const items = await trx
      .selectFrom('disclosure_item')
      .selectAll()
      .where('disclosure_id', '=', row.id)
      .execute();
    const agreement = row.agreement_id
      ? await trx
          .selectFrom('sharing_agreement')
          .select('title')
          .where('id', '=', row.agreement_id)
          .executeTakeFirst()
      : undefined;
    const recordIds = [...new Set(items.map((i) => i.record_id))];
    const has = (kind: ItemKind, id: string) =>
      items.some((i) => i.item_kind === kind && i.item_id === id);
    const fieldsOf = (recordId: string) =>
      fieldSelection(
        items
          .filter((i) => i.item_kind === 'field' && i.record_id === recordId)
          .map((i) => i.field),
      );
    const purpose = purposeName(row.purpose);
    const sharedOn = londonDay(now);
    const records: PackageContent['records'] = [];
    for (const recordId of recordIds) {
      const record = await trx
        .selectFrom('case_record')
        .selectAll()
        .where('id', '=', recordId)
        .executeTakeFirstOrThrow();
      const whole = has('record', recordId);
      const fields = fieldsOf(recordId);
      const someFields =
        fields.subjectName ||
        fields.subjectDateOfBirth ||
        fields.facts.length > 0 ||
        fields.detail.length > 0;
      const people =
        whole || fields.subjectName || fields.subjectDateOfBirth
          ? await trx
              .selectFrom('record_party')
              .innerJoin('person', 'person.id', 'record_party.person_id')
              .select([
                'person.given_name',
                'person.family_name',
                'person.date_of_birth',
                'record_party.role',
              ])
              .where('record_party.record_id', '=', recordId)
              .$if(!whole, (q) => q.where('record_party.role', '=', 'subject'))
              .execute()
          : [];
      const notes = await trx
        .selectFrom('case_note')
        .innerJoin('account', 'account.id', 'case_note.author_account_id')
        .select([
          'case_note.id',
          'case_note.occurred_on',
          'case_note.kind',
          'case_note.text',
          'account.display_name',
        ])
        .where('case_note.record_id', '=', recordId)
        .orderBy('case_note.occurred_on')
        .execute();
      const documents = await trx
        .selectFrom('record_document')
        .select(['id', 'filename', 'media_type', 'size_bytes', 'content'])
        .where('record_id', '=', recordId)
        .execute();
      const facts: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(record)) {
        if (
          /_(date|on)$/.test(key) &&
          !['opened_on', 'closed_on', 'retention_due'].includes(key) &&
          value
        ) {
          facts[key] = value;
        }
      }
      const detail = (record.detail ?? {}) as Record<string, unknown>;
      // Only the chosen fields: the subject's name and date of birth, facts, detail.
      const chosenFacts: Record<string, unknown> = {};
      for (const fact of fields.facts) {
        chosenFacts[fact] =
          fact === 'childDied'
            ? record.child_died
            : fact === 'outcome'
              ? record.outcome
              : record[factColumns[fact as RecordDateFact]];
      }
      records.push({
        id: recordId,
        category: findCategory(slug, record.category as CategorySlug)?.name ?? record.category,
        openedOn: record.opened_on,
        closedOn: record.closed_on,
        summary: whole
          ? {
              people: people.map((p) => ({
                name: `${p.given_name} ${p.family_name}`,
                role: p.role,
                dateOfBirth: p.date_of_birth,
              })),
              facts,
              detail,
            }
          : someFields
            ? {
                people: people.map((p) => ({
                  name: fields.subjectName ? `${p.given_name} ${p.family_name}` : 'Not shared',
                  role: p.role,
                  dateOfBirth: fields.subjectDateOfBirth ? p.date_of_birth : null,
                })),
                facts: chosenFacts,
                detail: Object.fromEntries(
                  fields.detail.filter((key) => key in detail).map((key) => [key, detail[key]]),
                ),
              }
            : null,
        notes: notes
          .filter((n) => has('note', n.id))
          .map((n) => ({
            id: n.id,
            occurredOn: n.occurred_on,
            kind: n.kind,
            author: n.display_name,
            text: n.text,
          })),
        documents: documents
          .filter((d) => has('document', d.id))
          .map((d) => ({
            id: d.id,
            filename: d.filename,
            mediaType: d.media_type,
            sizeBytes: d.size_bytes,
            content: Buffer.from(d.content),
          })),
      });
    }
    return {
      disclosureId: row.id,
      mark: `Shared with ${row.recipient_name} on ${sharedOn} for ${purpose}`,
      from: organisation.name,
      recipient: row.recipient_name,
      purpose,
      lawfulBasis: `UK GDPR Article ${row.lawful_basis}`,
      specialCondition: row.special_condition ? `Article ${row.special_condition}` : null,
      agreement: agreement?.title ?? null,
      consent: consentText(row.consent, row.consent_reason),
      justification: row.justification,
      sharedOn,
      records,
    };
  }
}
