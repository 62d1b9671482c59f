/**
 * Organisations' policies as numbered versions in the database
 * (migration 0025; docs/decisions/0016-policy-as-documents.md).
 *
 * - The five shipped organisations' documents (src/policy/documents) are
 *   version 1 of their policy, seeded at start-up when absent.
 * - An organisation added from a file (`safekeep organisation add`) gets its
 *   organisation row and version 1 in one audited transaction; at every
 *   start-up its version in force is validated again and put in the
 *   registry, so the whole service knows it without a code change.
 */
import { basename, extname } from 'node:path';

import { sql, type Kysely } from 'kysely';

import type { Database } from '../../db/schema.js';
import { recordAudit } from '../../platform/audit/audit-log.js';
import { syncReferenceData } from '../../platform/reference-data.js';
import {
  isOrganisationSlug,
  policies,
  registerPolicy,
  shippedOrganisationSlugs,
} from '../../policy/index.js';
import type { OrganisationPolicy } from '../../policy/index.js';
import { shippedPolicy, shippedPolicyDocuments } from '../../policy/registry.js';
import { withLines } from '../../policy/problem-lines.js';
import { PolicyDocumentError, parsePolicyDocument } from '../../policy/schema.js';
import type { PolicyProblem } from '../../policy/schema.js';

/** The date (YYYY-MM-DD) a moment falls on in the UK, where policy takes effect. */
export function ukDate(moment: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(moment);
}

export interface PolicyVersionSummary {
  slug: string;
  name: string;
  /** The version in force today, or null if none is yet. */
  versionInForce: number | null;
  effectiveFrom: string | null;
  versions: number;
  shipped: boolean;
}

export interface PolicyVersionRow {
  version: number;
  documentText: string;
  effectiveFrom: string;
  proposedBy: string | null;
  approvedBy: string | null;
  createdAt: Date;
}

export type AddOrganisationResult =
  | { ok: true; organisationId: string; policy: OrganisationPolicy; versionId: string }
  | { ok: false; problems: PolicyProblem[] };

/**
 * The versions that are or were in force on `today`: taking effect by then,
 * and either stored without a change (version 1 from a document, a notice
 * review) or from a change that has been applied. An approved change not yet
 * applied is not in force anywhere, so every process agrees (decision 0025).
 */
export function inForce(db: Kysely<Database>, today: string) {
  return db
    .selectFrom('policy_version as v')
    .innerJoin('organisation as o', 'o.id', 'v.organisation_id')
    .leftJoin('policy_change as c', 'c.version_id', 'v.id')
    .select(['o.slug', 'v.version'])
    .where('v.effective_from', '<=', today)
    .where((eb) => eb.or([eb('c.id', 'is', null), eb('c.applied_at', 'is not', null)]));
}

/**
 * A stored version, validated again. Version 1 of a shipped organisation is
 * its file, already loaded (and compared with the store by the tests).
 */
export function policyOfRow(
  slug: string,
  version: number,
  documentText: string,
): ReturnType<typeof parsePolicyDocument> {
  if (version === 1 && shippedOrganisationSlugs.includes(slug)) {
    const shipped = shippedPolicy(slug);
    if (shipped) return { ok: true, policy: shipped };
  }
  return parsePolicyDocument(documentText, `${slug} policy version ${version}`, slug);
}

export interface VersionInForce {
  version: number;
  effectiveFrom: string;
  /** The date the next version took effect, or null while this one is in force. */
  until: string | null;
  /** A version that records a review of the notice and changes nothing else. */
  review: boolean;
  createdAt: Date;
}

export class PolicyVersions {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Puts every added organisation's policy version in force into the
   * registry, and any later version of a shipped one. Run at start-up before
   * the reference data is synchronised. A stored version that no longer
   * validates stops the start: a policy half right is not enforced.
   */
  async registerVersionsInForce(): Promise<void> {
    const rows = await inForce(this.db, ukDate(this.now()))
      .select(['v.document_text'])
      .orderBy('o.slug')
      .orderBy('v.version', 'desc')
      .execute();
    const problems: PolicyProblem[] = [];
    const seen = new Set<string>();
    for (const row of rows) {
      if (seen.has(row.slug)) continue;
      seen.add(row.slug);
      const result = policyOfRow(row.slug, row.version, row.document_text);
      if (result.ok) registerPolicy(result.policy);
      else problems.push(...result.problems);
    }
    if (problems.length > 0) throw new PolicyDocumentError(problems);
  }

  /**
   * The versions of an organisation's policy that are or were in force,
   * oldest first, each with the date the next one replaced it (null for the
   * one in force now). The public notice's history (issue 11).
   */
  async history(slug: string): Promise<VersionInForce[]> {
    const rows = await inForce(this.db, ukDate(this.now()))
      .select(['v.effective_from', 'v.review_by', 'v.created_at'])
      .where('o.slug', '=', slug)
      .orderBy('v.version')
      .execute();
    return rows.map((row, i) => ({
      version: row.version,
      effectiveFrom: row.effective_from,
      until: rows[i + 1]?.effective_from ?? null,
      review: row.review_by !== null,
      createdAt: row.created_at,
    }));
  }

  /** The latest notice review recorded as a version: who and when; null if none yet. */
  async lastReview(slug: string): Promise<{ by: string; at: Date } | null> {
    const row = await this.db
      .selectFrom('policy_version as v')
      .innerJoin('organisation as o', 'o.id', 'v.organisation_id')
      .innerJoin('account as a', 'a.id', 'v.review_by')
      .select(['a.display_name', 'v.created_at'])
      .where('o.slug', '=', slug)
      .orderBy('v.version', 'desc')
      .executeTakeFirst();
    return row ? { by: row.display_name, at: row.created_at } : null;
  }

  /** The document of the version in force, as written (to start a new version from). */
  async textInForce(slug: string): Promise<string> {
    const row = await inForce(this.db, ukDate(this.now()))
      .select('v.document_text')
      .where('o.slug', '=', slug)
      .orderBy('v.version', 'desc')
      .executeTakeFirst();
    return (
      row?.document_text ?? shippedPolicyDocuments().find((d) => d.slug === slug)?.source ?? ''
    );
  }

  /** Version 1 of each shipped organisation's policy, from its file, where absent. */
  async seedShippedVersions(): Promise<number> {
    let seeded = 0;
    for (const { slug, source } of shippedPolicyDocuments()) {
      const policy = policies.find((p) => p.slug === slug);
      if (!policy) continue;
      const inserted = await this.db
        .insertInto('policy_version')
        .columns(['organisation_id', 'version', 'document_text', 'document', 'effective_from'])
        .expression((eb) =>
          eb
            .selectFrom('organisation')
            .select([
              'id',
              sql<number>`1`.as('version'),
              sql<string>`${source}::text`.as('document_text'),
              sql<string>`${JSON.stringify(policy)}::jsonb`.as('document'),
              sql<string>`${ukDate(this.now())}::date`.as('effective_from'),
            ])
            .where('slug', '=', slug),
        )
        .onConflict((oc) => oc.columns(['organisation_id', 'version']).doNothing())
        .executeTakeFirst();
      seeded += Number(inserted.numInsertedOrUpdatedRows ?? 0);
    }
    return seeded;
  }

  /**
   * A new organisation from its policy document: validated (refused whole,
   * with every problem), then its organisation row and policy version 1 in
   * one audited transaction, then in force in this process.
   */
  async addOrganisation(source: string, filePath: string): Promise<AddOrganisationResult> {
    const file = basename(filePath);
    const expectedSlug = basename(file, extname(file));
    const parsed = parsePolicyDocument(source, file, expectedSlug);
    if (!parsed.ok) return { ok: false, problems: withLines(source, parsed.problems) };
    const { policy } = parsed;
    const problems: PolicyProblem[] = [];
    const existing = await this.db
      .selectFrom('organisation')
      .select('id')
      .where('slug', '=', policy.slug)
      .executeTakeFirst();
    if (existing || isOrganisationSlug(policy.slug)) {
      problems.push({
        file,
        path: 'slug',
        message: `an organisation "${policy.slug}" already exists: a change to its policy is a new version, not a new organisation`,
      });
    }
    policy.recipients.forEach((recipient, i) => {
      (recipient.safekeepOrganisations ?? []).forEach((slug, j) => {
        if (!isOrganisationSlug(slug)) {
          problems.push({
            file,
            path: `recipients[${i}].safekeepOrganisations[${j}]`,
            message: `"${slug}" is not an organisation in Safekeep (known: ${policies.map((p) => p.slug).join(', ')})`,
          });
        }
      });
    });
    if (problems.length > 0) return { ok: false, problems };

    const { organisationId, versionId } = await this.db.transaction().execute(async (trx) => {
      const { id: organisationId } = await trx
        .insertInto('organisation')
        .values({ slug: policy.slug, name: policy.name, short_name: policy.shortName })
        .returning('id')
        .executeTakeFirstOrThrow();
      const { id: versionId } = await trx
        .insertInto('policy_version')
        .values({
          organisation_id: organisationId,
          version: 1,
          document_text: source,
          document: JSON.stringify(policy),
          effective_from: ukDate(this.now()),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAudit(trx, {
        action: 'organisation.add',
        actorAccountId: null,
        organisationId,
        objectType: 'policy-version',
        objectIds: [versionId],
      });
      return { organisationId, versionId };
    });
    registerPolicy(policy);
    // Its limits on role holders, enforced by the database too (migration 0017).
    await syncReferenceData(this.db);
    return { ok: true, organisationId, policy, versionId };
  }

  /** Every organisation with its version in force. */
  async list(): Promise<PolicyVersionSummary[]> {
    const today = ukDate(this.now());
    const rows = await this.db
      .selectFrom('organisation as o')
      .leftJoin('policy_version as v', 'v.organisation_id', 'o.id')
      .select(['o.slug', 'o.name', 'v.version', 'v.effective_from'])
      .orderBy('o.created_at')
      .orderBy('o.slug')
      .orderBy('v.version')
      .execute();
    const summaries = new Map<string, PolicyVersionSummary>();
    for (const row of rows) {
      const summary = summaries.get(row.slug) ?? {
        slug: row.slug,
        name: row.name,
        versionInForce: null,
        effectiveFrom: null,
        versions: 0,
        shipped: shippedOrganisationSlugs.includes(row.slug),
      };
      if (row.version !== null && row.effective_from !== null) {
        summary.versions += 1;
        if (row.effective_from <= today) {
          summary.versionInForce = row.version;
          summary.effectiveFrom = row.effective_from;
        }
      }
      summaries.set(row.slug, summary);
    }
    return [...summaries.values()];
  }

  /** Every version of one organisation's policy, oldest first: each stays readable. */
  async versionsOf(slug: string): Promise<PolicyVersionRow[]> {
    const rows = await this.db
      .selectFrom('policy_version as v')
      .innerJoin('organisation as o', 'o.id', 'v.organisation_id')
      .select([
        'v.version',
        'v.document_text',
        'v.effective_from',
        'v.proposed_by',
        'v.approved_by',
        'v.created_at',
      ])
      .where('o.slug', '=', slug)
      .orderBy('v.version')
      .execute();
    return rows.map((row) => ({
      version: row.version,
      documentText: row.document_text,
      effectiveFrom: row.effective_from,
      proposedBy: row.proposed_by,
      approvedBy: row.approved_by,
      createdAt: row.created_at,
    }));
  }

  /** One stored version, validated again (for a notice page or a comparison). */
  async policyOf(slug: string, version: number): Promise<OrganisationPolicy | null> {
    const row = (await this.versionsOf(slug)).find((v) => v.version === version);
    if (!row) return null;
    const result = policyOfRow(slug, version, row.documentText);
    if (!result.ok) throw new PolicyDocumentError(result.problems);
    return result.policy;
  }
}
