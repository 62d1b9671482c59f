/**
 * Changing an organisation's policy (issue 11; decision 0016): proposed by
 * information governance, previewed (what the retention engine says would
 * change, per category — computed, not guessed), approved by the Data
 * Protection Officer (a second person), then applied: the new version is put
 * in force and every record of the organisation is assessed again in
 * batches, resumable after an interruption.
 */
import type { Kysely } from 'kysely';

import { factsOf, storedRetentionFor } from '../../casework/retention.js';
import { reassessRecords } from '../../casework/retention-batch.js';
import type { StoredRetention } from '../../casework/retention.js';
import type { Database } from '../../db/schema.js';
import type { RoleSlug } from '../../platform/access/roles.js';
import { recordAudit } from '../../platform/audit/audit-log.js';
import { policyFor, registerPolicy } from '../../policy/index.js';
import type { OrganisationPolicy } from '../../policy/index.js';
import { withLines } from '../../policy/problem-lines.js';
import { parsePolicyDocument } from '../../policy/schema.js';
import type { PolicyProblem } from '../../policy/schema.js';
import { formatLongDate, parseIsoDate } from '../../retention/calendar.js';
import { ukDate } from './versions.js';

export class PolicyChangeError extends Error {}

export interface CategoryPreview {
  category: string;
  records: number;
  /** Records whose due date or action would change. */
  changed: number;
  dueChanged: number;
  actionChanged: number;
}

export interface ChangePreview {
  records: number;
  changed: number;
  categories: CategoryPreview[];
  /** The earliest due date of a destruction the change brings about (YYYY-MM-DD), or null. */
  earliestNewDestruction: string | null;
}

const BATCH = 500;

/** Who acts: by email on the command line, by account on a page. */
export type Actor = { email: string } | { accountId: string };

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How an actor is named in a refusal: the email typed, or "You" on a page. */
const named = (actor: Actor) => ('email' in actor ? actor.email : 'You');

export class PolicyChanges {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The account, if it holds one of the roles in the organisation; refused in words otherwise. */
  private async accountWithRole(
    actor: Actor,
    organisationId: string,
    roles: RoleSlug | readonly RoleSlug[],
    what: string,
  ): Promise<string> {
    const wanted = [roles].flat();
    const found = await this.db
      .selectFrom('account as a')
      .innerJoin('membership as m', 'm.account_id', 'a.id')
      .select('a.id')
      .$call((q) =>
        'email' in actor
          ? q.where('a.email', '=', actor.email.toLowerCase())
          : q.where('a.id', '=', actor.accountId),
      )
      .where('m.organisation_id', '=', organisationId)
      .where('m.role_slug', 'in', wanted)
      .executeTakeFirst();
    if (!found) {
      const roleWords = wanted.map((role) => role.replaceAll('-', ' ')).join(' or ');
      throw new PolicyChangeError(
        `${named(actor)} cannot ${what}: only someone with the ${roleWords} role in the organisation can`,
      );
    }
    return found.id;
  }

  private async organisation(slug: string): Promise<{ id: string }> {
    const organisation = await this.db
      .selectFrom('organisation')
      .select('id')
      .where('slug', '=', slug)
      .executeTakeFirst();
    if (!organisation) throw new PolicyChangeError(`There is no organisation "${slug}".`);
    return organisation;
  }

  async propose(input: {
    organisation: string;
    source: string;
    file: string;
    effectiveFrom: string;
    by: Actor;
  }): Promise<{ ok: true; changeId: string } | { ok: false; problems: PolicyProblem[] }> {
    const organisation = await this.organisation(input.organisation);
    const proposer = await this.accountWithRole(
      input.by,
      organisation.id,
      'information-governance',
      'propose a policy change',
    );
    const parsed = parsePolicyDocument(input.source, input.file, input.organisation);
    if (!parsed.ok) return { ok: false, problems: withLines(input.source, parsed.problems) };
    const id = await this.db.transaction().execute(async (trx) => {
      const { id } = await trx
        .insertInto('policy_change')
        .values({
          organisation_id: organisation.id,
          document_text: input.source,
          document: JSON.stringify(parsed.policy),
          effective_from: input.effectiveFrom,
          proposed_by: proposer,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAudit(trx, {
        action: 'policy.propose',
        actorAccountId: proposer,
        organisationId: organisation.id,
        objectType: 'policy-change',
        objectIds: [id],
      });
      return id;
    });
    return { ok: true, changeId: id };
  }

  private async change(changeId: string) {
    if (!uuid.test(changeId)) throw new PolicyChangeError(`There is no policy change ${changeId}.`);
    const change = await this.db
      .selectFrom('policy_change as c')
      .innerJoin('organisation as o', 'o.id', 'c.organisation_id')
      .selectAll('c')
      .select('o.slug')
      .where('c.id', '=', changeId)
      .executeTakeFirst();
    if (!change) throw new PolicyChangeError(`There is no policy change ${changeId}.`);
    const parsed = parsePolicyDocument(change.document_text, `change ${changeId}`, change.slug);
    if (!parsed.ok) throw new PolicyChangeError(parsed.problems.map((p) => p.message).join('; '));
    return { ...change, policy: parsed.policy };
  }

  /**
   * What the change would do to the organisation's records: each record
   * assessed by the engine under the policy in force and under the proposal.
   * Counts and a date only, never a record.
   */
  async preview(changeId: string, by?: Actor): Promise<ChangePreview> {
    const change = await this.change(changeId);
    const current = policyFor(change.slug);
    const today = ukDate(this.now());
    const byCategory = new Map<string, CategoryPreview>();
    let earliest: string | null = null;
    let cursor = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = await this.db
        .selectFrom('case_record as r')
        .leftJoin('record_party as p', (join) =>
          join.onRef('p.record_id', '=', 'r.id').on('p.role', '=', 'subject'),
        )
        .leftJoin('person as s', 's.id', 'p.person_id')
        .selectAll('r')
        .select(['s.date_of_birth as subject_birth', 's.date_of_death as subject_death'])
        .where('r.organisation_id', '=', change.organisation_id)
        .where('r.id', '>', cursor)
        .orderBy('r.id')
        .limit(BATCH)
        .execute();
      if (rows.length === 0) break;
      cursor = rows[rows.length - 1]?.id ?? cursor;
      for (const row of rows) {
        const facts = factsOf(row, {
          dateOfBirth: row.subject_birth,
          dateOfDeath: row.subject_death,
        });
        const before = assess(change.slug, row.category, facts, today, current);
        const after = assess(change.slug, row.category, facts, today, change.policy);
        const entry = byCategory.get(row.category) ?? {
          category: row.category,
          records: 0,
          changed: 0,
          dueChanged: 0,
          actionChanged: 0,
        };
        entry.records += 1;
        const dueChanged = before.due !== after.due;
        const actionChanged = before.action !== after.action;
        if (dueChanged || actionChanged) {
          entry.changed += 1;
          if (dueChanged) entry.dueChanged += 1;
          if (actionChanged) entry.actionChanged += 1;
          if (after.action === 'destroy' && after.due && (!earliest || after.due < earliest)) {
            earliest = after.due;
          }
        }
        byCategory.set(row.category, entry);
      }
    }
    const actorAccountId = by && 'accountId' in by ? by.accountId : null;
    await this.db.transaction().execute((trx) =>
      recordAudit(trx, {
        action: 'policy.preview',
        actorAccountId,
        organisationId: change.organisation_id,
        objectType: 'policy-change',
        objectIds: [changeId],
      }),
    );
    const categories = [...byCategory.values()].sort((a, b) =>
      a.category.localeCompare(b.category),
    );
    return {
      records: categories.reduce((n, c) => n + c.records, 0),
      changed: categories.reduce((n, c) => n + c.changed, 0),
      categories,
      earliestNewDestruction: earliest,
    };
  }

  /** The DPO approves: the change becomes the organisation's next policy version. */
  async approve(changeId: string, by: Actor): Promise<{ version: number }> {
    const change = await this.change(changeId);
    if (change.approved_by) throw new PolicyChangeError('This change is already approved.');
    const approver = await this.accountWithRole(
      by,
      change.organisation_id,
      'data-protection-officer',
      'approve a policy change',
    );
    if (approver === change.proposed_by) {
      throw new PolicyChangeError(
        'The person who proposed a change cannot approve it: another person must (the Data Protection Officer).',
      );
    }
    return this.db.transaction().execute(async (trx) => {
      const last = await trx
        .selectFrom('policy_version')
        .select((eb) => eb.fn.max('version').as('version'))
        .where('organisation_id', '=', change.organisation_id)
        .executeTakeFirst();
      const version = Number(last?.version ?? 0) + 1;
      const { id: versionId } = await trx
        .insertInto('policy_version')
        .values({
          organisation_id: change.organisation_id,
          version,
          document_text: change.document_text,
          document: JSON.stringify(change.policy),
          effective_from: change.effective_from,
          proposed_by: change.proposed_by,
          approved_by: approver,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .updateTable('policy_change')
        .set({ approved_by: approver, approved_at: this.now(), version_id: versionId })
        .where('id', '=', changeId)
        .execute();
      await recordAudit(trx, {
        action: 'policy.approve',
        actorAccountId: approver,
        organisationId: change.organisation_id,
        objectType: 'policy-version',
        objectIds: [changeId, versionId],
      });
      return { version };
    });
  }

  /**
   * Puts an approved change in force (from its effective date) and assesses
   * every record of the organisation again, a batch per transaction. Run it
   * again after an interruption: it resumes after the last record done.
   * `maxBatches` stops early on purpose (tests; a long run in steps).
   */
  async apply(
    changeId: string,
    options: { batchSize?: number; maxBatches?: number; by?: Actor } = {},
  ): Promise<{ recomputed: number; finished: boolean }> {
    const change = await this.change(changeId);
    // On the command line the operator applies; on a page, governance of the organisation.
    const applier = options.by
      ? await this.accountWithRole(
          options.by,
          change.organisation_id,
          ['information-governance', 'data-protection-officer'],
          'apply a policy change',
        )
      : null;
    if (!change.version_id) {
      throw new PolicyChangeError(
        'This change is not approved yet: the DPO must approve it first.',
      );
    }
    const today = ukDate(this.now());
    if (change.effective_from > today) {
      throw new PolicyChangeError(
        `This change takes effect on ${formatLongDate(parseIsoDate(change.effective_from))}; it can be applied from then.`,
      );
    }
    registerPolicy(change.policy);
    if (change.applied_at) return { recomputed: change.records_recomputed, finished: true };
    const batchSize = options.batchSize ?? BATCH;
    let cursor = change.applied_through ?? '00000000-0000-0000-0000-000000000000';
    let recomputed = change.records_recomputed;
    for (let batch = 0; options.maxBatches === undefined || batch < options.maxBatches; batch++) {
      const ids = await this.db
        .selectFrom('case_record')
        .select('id')
        .where('organisation_id', '=', change.organisation_id)
        .where('id', '>', cursor)
        .orderBy('id')
        .limit(batchSize)
        .execute();
      const done = ids.length === 0;
      await this.db.transaction().execute(async (trx) => {
        // The batch's records in bulk, as the whole-county recompute does
        // (decision 0056): the engine once per shape, one UPDATE of what changed.
        const through = ids[ids.length - 1]?.id;
        if (through) {
          await reassessRecords(trx, {
            organisationId: change.organisation_id,
            afterId: cursor,
            throughId: through,
            today,
          });
        }
        cursor = through ?? cursor;
        recomputed += ids.length;
        await trx
          .updateTable('policy_change')
          .set({
            applied_through: cursor,
            records_recomputed: recomputed,
            ...(done ? { applied_at: this.now() } : {}),
          })
          .where('id', '=', changeId)
          .execute();
        if (done) {
          await recordAudit(trx, {
            action: 'policy.apply',
            actorAccountId: applier,
            organisationId: change.organisation_id,
            objectType: 'policy-change',
            objectIds: [changeId],
          });
        }
      });
      if (done) return { recomputed, finished: true };
    }
    return { recomputed, finished: false };
  }
}

function assess(
  organisation: string,
  category: string,
  facts: Record<string, string | boolean>,
  today: string,
  policy: OrganisationPolicy,
): Pick<StoredRetention, 'due' | 'action'> {
  // A category the policy no longer lists goes to a person to decide.
  if (!policy.categories.some((c) => c.slug === category)) return { due: null, action: 'review' };
  const stored = storedRetentionFor(organisation, category, facts, today, policy);
  return { due: stored.due, action: stored.action };
}
