/**
 * Sharing agreements as managed data (issue 6): parties, purposes, data
 * categories, lawful basis and review date, kept by information governance
 * of the organisation that leads each one. Terms are checked against the
 * parties' privacy notices; every change is a new version, audited in the
 * same transaction, and a disclosure names the version it relied on.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { z } from 'zod';
import type { Database } from '../db/schema.js';
import { canManageAgreements } from '../platform/access/access.js';
import type { StaffContext } from '../platform/auth/service.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  type FieldError,
} from '../platform/errors/errors.js';
import {
  findCategory,
  isOrganisationSlug,
  organisationSlugs,
  policies,
  policyFor,
  type CategorySlug,
  type OrganisationSlug,
} from '../policy/index.js';
import { countGrantsInForce, revokeGrantsUnder } from './agreement-grants.js';
import { addDays, londonDay } from './dates.js';
import {
  agreementEndSchema,
  agreementReviewSchema,
  agreementTermsSchema,
  agreementUpdateSchema,
  article6,
  article9,
  type AgreementEndInput,
  type AgreementReviewInput,
  type AgreementTermsInput,
  type AgreementUpdateInput,
} from './schemas.js';
import {
  sharingPurposes,
  type AgreementChange,
  type SharingAgreementTable,
  type SharingPurpose,
} from './tables.js';

/** An agreement whose review falls within this many days is flagged as due. */
export const REVIEW_DUE_WITHIN_DAYS = 60;
/** An agreement is reviewed at least this often. */
export const MAX_REVIEW_YEARS = 3;
/** Newsletter subscriber data has no sharing path at all (issue 6). */
export const neverShared: readonly CategorySlug[] = ['newsletter-subscription'];

export type AgreementStatus = 'in-force' | 'review-due' | 'past-review' | 'ended';
export const agreementStatusText: Record<AgreementStatus, string> = {
  'in-force': 'In force',
  'review-due': `Review due within ${REVIEW_DUE_WITHIN_DAYS} days`,
  'past-review': 'Past its review date',
  ended: 'Ended',
};

type AgreementRow = Selectable<SharingAgreementTable>;
const auditVerbs: Record<AgreementChange, string> = {
  created: 'create',
  edited: 'edit',
  reviewed: 'review',
  ended: 'end',
};
type Db = Kysely<Database> | Transaction<Database>;

export function agreementStatus(
  agreement: { review_date: string; ended_on: string | null },
  today: string,
): AgreementStatus {
  if (agreement.ended_on) return 'ended';
  if (agreement.review_date < today) return 'past-review';
  if (agreement.review_date <= addDays(today, REVIEW_DUE_WITHIN_DAYS)) return 'review-due';
  return 'in-force';
}

export interface AgreementTerms {
  title: string;
  parties: OrganisationSlug[];
  externalRecipients: string[];
  purposes: SharingPurpose[];
  dataCategories: CategorySlug[];
  lawfulBases: (typeof article6)[number][];
  specialConditions: (typeof article9)[number][];
  reviewDate: string;
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? 'form');
    if (seen.has(field)) continue;
    seen.add(field);
    errors.push({ field, message: issue.message });
  }
  throw new ValidationError(errors);
}

function categoryName(slug: string): string {
  for (const policy of policies) {
    const found = policy.categories.find((c) => c.slug === slug);
    if (found) return found.name;
  }
  return slug;
}

function recipientName(id: string, parties: readonly string[]): string {
  const order = [...parties, ...organisationSlugs].filter(isOrganisationSlug);
  for (const slug of order) {
    const found = policyFor(slug).recipients.find((r) => r.id === id);
    if (found) return found.name;
  }
  return id;
}

/** Article 6 bases and Article 9 conditions as the notices name them. */
function basisName(article: string): string {
  for (const policy of policies)
    for (const c of policy.categories) {
      const found = c.lawfulBases.find((b) => b.article === article);
      if (found) return found.name;
    }
  return article;
}

function conditionName(article: string): string {
  for (const policy of policies)
    for (const c of policy.categories) {
      if (c.specialCategory === false) continue;
      const found = c.specialCategory.conditions.find((x) => x.article === article);
      if (found) return found.name;
    }
  return article;
}

/**
 * Why the terms are not ones the parties' privacy notices allow, field by
 * field: each category is one a party's notice declares, each basis one that
 * notice gives for that category, each special category covered by a
 * condition its notice gives, and each recipient one a party's notice lists.
 */
export function termsProblems(
  terms: AgreementTerms,
  lead: OrganisationSlug,
  today: string,
): FieldError[] {
  const errors: FieldError[] = [];
  const add = (field: string, message: string) => {
    if (!errors.some((e) => e.field === field)) errors.push({ field, message });
  };
  if (!terms.parties.includes(lead)) {
    add('parties', `${policyFor(lead).shortName} must be a party to an agreement it manages`);
  }
  for (const id of terms.externalRecipients) {
    if (!terms.parties.some((p) => policyFor(p).recipients.some((r) => r.id === id))) {
      add(
        'externalRecipients',
        `“${recipientName(id, terms.parties)}” is not a recipient any party’s privacy notice lists`,
      );
    }
  }
  const specialCovered: { party: OrganisationSlug; name: string; conditions: string[] }[] = [];
  for (const slug of terms.dataCategories) {
    if (neverShared.includes(slug)) {
      add('dataCategories', `${categoryName(slug)} data is never shared`);
      continue;
    }
    const declaring = terms.parties.filter((p) => findCategory(p, slug));
    if (declaring.length === 0) {
      add(
        'dataCategories',
        `${categoryName(slug)} is not a category of record any party’s privacy notice declares`,
      );
      continue;
    }
    for (const party of declaring) {
      const category = findCategory(party, slug);
      if (!category) continue;
      for (const basis of terms.lawfulBases) {
        if (!category.lawfulBases.some((b) => b.article === basis)) {
          add(
            'lawfulBases',
            `Article ${basis} is not a lawful basis ${policyFor(party).shortName}’s privacy notice gives for ${category.name.toLowerCase()} records`,
          );
        }
      }
      if (category.specialCategory !== false) {
        specialCovered.push({
          party,
          name: category.name,
          conditions: category.specialCategory.conditions.map((c) => c.article),
        });
      }
    }
  }
  for (const covered of specialCovered) {
    if (!covered.conditions.some((c) => (terms.specialConditions as string[]).includes(c))) {
      add(
        'specialConditions',
        `Choose an Article 9 condition ${policyFor(covered.party).shortName}’s privacy notice gives for ${covered.name.toLowerCase()} records: they hold special category data`,
      );
    }
  }
  for (const condition of terms.specialConditions) {
    if (!specialCovered.some((c) => c.conditions.includes(condition))) {
      add(
        'specialConditions',
        `Article ${condition} is not a condition any party’s privacy notice gives for the special category data covered`,
      );
    }
  }
  if (terms.reviewDate < today || terms.reviewDate > addDays(today, 366 * MAX_REVIEW_YEARS)) {
    add(
      'reviewDate',
      `The review date must be between today and ${MAX_REVIEW_YEARS} years from now`,
    );
  }
  return errors;
}

function slugFor(title: string): string {
  const base = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
  return `${base || 'agreement'}-${randomUUID().slice(0, 8)}`;
}

function termsOf(row: {
  title: string;
  party_organisations: string[];
  external_recipients: string[];
  purposes: string[];
  data_categories: string[];
  lawful_bases: string[];
  special_conditions: string[];
  review_date: string;
}): AgreementTerms {
  return {
    title: row.title,
    parties: row.party_organisations.filter(isOrganisationSlug),
    externalRecipients: row.external_recipients,
    purposes: row.purposes as SharingPurpose[],
    dataCategories: row.data_categories as CategorySlug[],
    lawfulBases: row.lawful_bases as AgreementTerms['lawfulBases'],
    specialConditions: row.special_conditions as AgreementTerms['specialConditions'],
    reviewDate: row.review_date,
  };
}

/** The terms with the names pages show, the special conditions with their Schedule 1 paragraphs. */
export function describeTerms(terms: AgreementTerms) {
  const schedule1 = (article: string) => {
    const paragraphs = new Set<string>();
    for (const party of terms.parties)
      for (const slug of terms.dataCategories) {
        const category = findCategory(party, slug);
        if (!category || category.specialCategory === false) continue;
        const condition = category.specialCategory.conditions.find((c) => c.article === article);
        for (const p of condition?.schedule1 ?? []) paragraphs.add(`${p.paragraph}: ${p.name}`);
      }
    return [...paragraphs];
  };
  return {
    title: terms.title,
    parties: terms.parties.map((slug) => ({ slug, name: policyFor(slug).shortName })),
    externalRecipients: terms.externalRecipients.map((id) => ({
      id,
      name: recipientName(id, terms.parties),
    })),
    purposes: terms.purposes.map((slug) => ({ slug, name: sharingPurposes[slug] ?? slug })),
    dataCategories: terms.dataCategories.map((slug) => ({
      slug,
      name: categoryName(slug),
      organisations: terms.parties
        .filter((p) => findCategory(p, slug))
        .map((p) => policyFor(p).shortName),
    })),
    lawfulBases: terms.lawfulBases.map((article) => ({ article, name: basisName(article) })),
    specialConditions: terms.specialConditions.map((article) => ({
      article,
      name: conditionName(article),
      schedule1: schedule1(article),
    })),
    reviewDate: terms.reviewDate,
  };
}

export class SharingAgreements {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: { now?: () => Date } = {},
  ) {}

  private today(): string {
    return londonDay(this.clock.now?.() ?? new Date());
  }

  private organisation(staff: StaffContext) {
    const organisation = staff.organisation;
    if (staff.stage !== 'complete' || !organisation || !isOrganisationSlug(organisation.slug)) {
      throw new NotFoundError();
    }
    return { id: organisation.id, slug: organisation.slug as OrganisationSlug };
  }

  /** Agreements the staff member's organisation leads or is party to. */
  async list(staff: StaffContext) {
    const organisation = this.organisation(staff);
    const rows = await this.db
      .selectFrom('sharing_agreement')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb('lead_organisation_id', '=', organisation.id),
          sql<boolean>`${organisation.slug} = any(party_organisations)`,
        ]),
      )
      .orderBy('title')
      .execute();
    const today = this.today();
    return rows.map((row) => {
      const status = agreementStatus(row, today);
      return {
        id: row.id,
        slug: row.slug,
        ...describeTerms(termsOf(row)),
        status,
        statusText: agreementStatusText[status],
        version: row.version,
        lead: row.lead_organisation_id === organisation.id,
      };
    });
  }

  /** One agreement as it stands, or as it stood at `version`; with its history. */
  async get(staff: StaffContext, id: string, atVersion?: number) {
    const organisation = this.organisation(staff);
    const row = await this.visible(this.db, staff, id);
    const [versions, lead] = await Promise.all([
      this.db
        .selectFrom('sharing_agreement_version')
        .leftJoin('account', 'account.id', 'sharing_agreement_version.changed_by')
        .selectAll('sharing_agreement_version')
        .select('account.display_name')
        .where('agreement_id', '=', row.id)
        .orderBy('version', 'desc')
        .execute(),
      this.db
        .selectFrom('organisation')
        .select(['slug', 'short_name'])
        .where('id', '=', row.lead_organisation_id)
        .executeTakeFirstOrThrow(),
    ]);
    const shown =
      atVersion === undefined ? undefined : versions.find((v) => v.version === atVersion);
    if (atVersion !== undefined && !shown) throw new NotFoundError();
    const source = shown ?? row;
    const reviewer = row.last_reviewed_by
      ? await this.db
          .selectFrom('account')
          .select('display_name')
          .where('id', '=', row.last_reviewed_by)
          .executeTakeFirst()
      : undefined;
    const status = agreementStatus(source, this.today());
    const terms = termsOf(source);
    return {
      id: row.id,
      slug: row.slug,
      ...describeTerms(terms),
      terms,
      leadOrganisation: lead.short_name,
      status,
      statusText: agreementStatusText[status],
      version: source.version,
      currentVersion: row.version,
      lastReviewedOn: source.last_reviewed_on,
      lastReviewedBy: shown ? null : (reviewer?.display_name ?? null),
      endedOn: source.ended_on,
      endReason: source.end_reason,
      versions: versions.map((v) => ({
        version: v.version,
        change: v.change,
        changedBy: v.display_name ?? 'Set up before agreements were managed here',
        changedAt: v.changed_at,
      })),
      can: {
        manage:
          !shown &&
          row.ended_on === null &&
          canManageAgreements(staff, row.lead_organisation_id) &&
          row.lead_organisation_id === organisation.id,
      },
    };
  }

  /** Creates an agreement led by the staff member's organisation; returns its id. */
  async create(staff: StaffContext, raw: AgreementTermsInput): Promise<string> {
    const organisation = this.organisation(staff);
    if (!canManageAgreements(staff, organisation.id)) {
      throw new ForbiddenError(
        'Only information governance or the data protection officer can set up a sharing agreement',
      );
    }
    const terms = parse(agreementTermsSchema, raw) as AgreementTerms;
    const errors = termsProblems(terms, organisation.slug, this.today());
    if (errors.length) throw new ValidationError(errors);
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('sharing_agreement')
        .values({
          slug: slugFor(terms.title),
          lead_organisation_id: organisation.id,
          ...this.columns(terms),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await this.keepVersion(trx, row, 'created', staff);
      return row.id;
    });
  }

  /** Changes the terms of an agreement made on `version` (refused if it changed since). */
  async update(staff: StaffContext, id: string, raw: AgreementUpdateInput): Promise<number> {
    const input = parse(agreementUpdateSchema, raw);
    const { version, ...rest } = input;
    const terms = rest as AgreementTerms;
    return this.change(staff, id, version, 'edited', async (trx, row) => {
      const errors = termsProblems(terms, await this.leadSlug(trx, row), this.today());
      if (errors.length) throw new ValidationError(errors);
      return this.columns(terms);
    });
  }

  /** Records a review: when it was reviewed, by whom (the staff member), and the next date. */
  async review(staff: StaffContext, id: string, raw: AgreementReviewInput): Promise<number> {
    const input = parse(agreementReviewSchema, raw);
    const today = this.today();
    const errors: FieldError[] = [];
    if (input.reviewedOn > today) {
      errors.push({
        field: 'reviewedOn',
        message: 'The date it was reviewed must be today or before',
      });
    }
    if (
      input.nextReviewDate <= today ||
      input.nextReviewDate <= input.reviewedOn ||
      input.nextReviewDate > addDays(today, 366 * MAX_REVIEW_YEARS)
    ) {
      errors.push({
        field: 'nextReviewDate',
        message: `The next review date must be after today and at most ${MAX_REVIEW_YEARS} years from now`,
      });
    }
    if (errors.length) throw new ValidationError(errors);
    return this.change(staff, id, input.version, 'reviewed', () =>
      Promise.resolve({
        review_date: input.nextReviewDate,
        last_reviewed_on: input.reviewedOn,
        last_reviewed_by: staff.accountId,
      }),
    );
  }

  /**
   * Ends an agreement today: nothing new can be shared under it, and every
   * grant made under any of its versions that a recipient can still use is
   * revoked in the same transaction. What was shared keeps its record.
   */
  async end(staff: StaffContext, id: string, raw: AgreementEndInput): Promise<number> {
    const input = parse(agreementEndSchema, raw);
    return this.change(staff, id, input.version, 'ended', async (trx, row) => {
      await revokeGrantsUnder(trx, staff, row.id, this.clock.now?.() ?? new Date());
      return { ended_on: this.today(), ended_by: staff.accountId, end_reason: input.reason };
    });
  }

  /** How many grants ending the agreement would revoke, for the confirmation page. */
  async grantsInForce(staff: StaffContext, id: string): Promise<number> {
    const row = await this.visible(this.db, staff, id);
    return countGrantsInForce(this.db, row.id, this.clock.now?.() ?? new Date());
  }

  /** What the agreement form offers: every organisation, and what their notices declare. */
  formOptions() {
    const recipients = new Map<string, { id: string; name: string; organisations: string[] }>();
    const categories = new Map<string, { slug: string; name: string; organisations: string[] }>();
    for (const policy of policies) {
      for (const r of policy.recipients) {
        const entry = recipients.get(r.id) ?? { id: r.id, name: r.name, organisations: [] };
        entry.organisations.push(policy.shortName);
        recipients.set(r.id, entry);
      }
      for (const c of policy.categories) {
        if (neverShared.includes(c.slug)) continue;
        const entry = categories.get(c.slug) ?? { slug: c.slug, name: c.name, organisations: [] };
        entry.organisations.push(policy.shortName);
        categories.set(c.slug, entry);
      }
    }
    return {
      organisations: policies.map((p) => ({ slug: p.slug, name: p.shortName })),
      recipients: [...recipients.values()],
      categories: [...categories.values()],
      purposes: Object.entries(sharingPurposes).map(([slug, name]) => ({ slug, name })),
      lawfulBases: article6.map((article) => ({ article, name: basisName(article) })),
      specialConditions: article9.map((article) => ({ article, name: conditionName(article) })),
    };
  }

  private columns(terms: AgreementTerms) {
    return {
      title: terms.title,
      party_organisations: [...terms.parties],
      external_recipients: [...new Set(terms.externalRecipients)],
      purposes: [...new Set(terms.purposes)],
      data_categories: [...new Set(terms.dataCategories)],
      lawful_bases: [...new Set(terms.lawfulBases)],
      special_conditions: [...new Set(terms.specialConditions)],
      review_date: terms.reviewDate,
    };
  }

  private async leadSlug(trx: Db, row: AgreementRow): Promise<OrganisationSlug> {
    const lead = await trx
      .selectFrom('organisation')
      .select('slug')
      .where('id', '=', row.lead_organisation_id)
      .executeTakeFirstOrThrow();
    return lead.slug as OrganisationSlug;
  }

  /** An agreement the staff member's organisation leads or is party to. */
  private async visible(db: Db, staff: StaffContext, id: string, lock = false) {
    const organisation = this.organisation(staff);
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) {
      throw new NotFoundError();
    }
    let query = db.selectFrom('sharing_agreement').selectAll().where('id', '=', id);
    if (lock) query = query.forUpdate();
    const row = await query.executeTakeFirst();
    if (
      !row ||
      (row.lead_organisation_id !== organisation.id &&
        !row.party_organisations.includes(organisation.slug))
    ) {
      throw new NotFoundError();
    }
    return row;
  }

  /**
   * One change to an agreement made on `version`: locked, checked, written
   * as the next version and audited, all in one transaction.
   */
  private async change(
    staff: StaffContext,
    id: string,
    version: number,
    change: Exclude<AgreementChange, 'created'>,
    values: (trx: Transaction<Database>, row: AgreementRow) => Promise<Record<string, unknown>>,
  ): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const row = await this.visible(trx, staff, id, true);
      if (!canManageAgreements(staff, row.lead_organisation_id)) {
        throw new ForbiddenError(
          'Only information governance or the data protection officer of the organisation that leads this agreement can change it',
        );
      }
      if (row.ended_on) throw new ConflictError('This agreement has ended; it cannot be changed');
      if (row.version !== version) {
        throw new ConflictError(
          'Someone changed this agreement after you opened it. Open it again to see their change, then make yours.',
        );
      }
      const updated = await trx
        .updateTable('sharing_agreement')
        .set({ ...(await values(trx, row)), version: row.version + 1, updated_at: new Date() })
        .where('id', '=', row.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await this.keepVersion(trx, updated, change, staff);
      return updated.version;
    });
  }

  private async keepVersion(
    trx: Transaction<Database>,
    row: AgreementRow,
    change: AgreementChange,
    staff: StaffContext,
  ) {
    await trx
      .insertInto('sharing_agreement_version')
      .values({
        agreement_id: row.id,
        version: row.version,
        change,
        changed_by: staff.accountId,
        changed_at: new Date(),
        title: row.title,
        party_organisations: row.party_organisations,
        external_recipients: row.external_recipients,
        purposes: row.purposes,
        data_categories: row.data_categories,
        lawful_bases: row.lawful_bases,
        special_conditions: row.special_conditions,
        review_date: row.review_date,
        last_reviewed_on: row.last_reviewed_on,
        ended_on: row.ended_on,
        end_reason: row.end_reason,
      })
      .execute();
    await recordAudit(trx, {
      action: `sharing-agreement.${auditVerbs[change]}`,
      actorAccountId: staff.accountId,
      organisationId: staff.organisation?.id ?? null,
      objectType: 'sharing-agreement',
      objectIds: [row.id],
      purpose: 'governance',
    });
  }
}
