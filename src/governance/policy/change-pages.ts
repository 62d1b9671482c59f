/**
 * What the policy pages read about changes (issue 11; decision 0025): the
 * organisation's changes with who proposed and approved them, in words.
 * Reading only; every change of state goes through PolicyChanges, the
 * service the command line uses.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { parsePolicyDocument } from '../../policy/schema.js';
import type { OrganisationPolicy } from '../../policy/index.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type ChangeState = 'awaiting-approval' | 'approved' | 'applying' | 'applied';

export const changeStateWords: Readonly<Record<ChangeState, string>> = {
  'awaiting-approval': 'Waiting for the data protection officer to approve it',
  approved: 'Approved; not applied yet',
  applying: 'Being applied; apply it again to finish',
  applied: 'Applied',
};

export interface ChangeSummary {
  id: string;
  state: ChangeState;
  effectiveFrom: string;
  proposedAt: Date;
  proposedById: string;
  proposerName: string;
  approverName: string | null;
  approvedAt: Date | null;
  version: number | null;
  appliedAt: Date | null;
  recordsRecomputed: number;
}

export interface ChangeDetail extends ChangeSummary {
  documentText: string;
  policy: OrganisationPolicy;
}

function query(db: Kysely<Database>, organisationId: string) {
  return db
    .selectFrom('policy_change as c')
    .innerJoin('organisation as o', 'o.id', 'c.organisation_id')
    .innerJoin('account as p', 'p.id', 'c.proposed_by')
    .leftJoin('account as a', 'a.id', 'c.approved_by')
    .leftJoin('policy_version as v', 'v.id', 'c.version_id')
    .select([
      'c.id',
      'o.slug',
      'c.effective_from',
      'c.proposed_at',
      'c.proposed_by',
      'p.display_name as proposer_name',
      'a.display_name as approver_name',
      'c.approved_at',
      'v.version',
      'c.applied_through',
      'c.applied_at',
      'c.records_recomputed',
      'c.document_text',
    ])
    .where('c.organisation_id', '=', organisationId);
}

type Row = Awaited<ReturnType<ReturnType<typeof query>['executeTakeFirstOrThrow']>>;

function summary(row: Row): ChangeSummary {
  const state: ChangeState = row.applied_at
    ? 'applied'
    : row.applied_through
      ? 'applying'
      : row.version !== null
        ? 'approved'
        : 'awaiting-approval';
  return {
    id: row.id,
    state,
    effectiveFrom: row.effective_from,
    proposedAt: row.proposed_at,
    proposedById: row.proposed_by,
    proposerName: row.proposer_name,
    approverName: row.approver_name,
    approvedAt: row.approved_at,
    version: row.version,
    appliedAt: row.applied_at,
    recordsRecomputed: row.records_recomputed,
  };
}

/** The organisation's changes, newest first. */
export async function changesOf(
  db: Kysely<Database>,
  organisationId: string,
): Promise<ChangeSummary[]> {
  const rows = await query(db, organisationId).orderBy('c.proposed_at', 'desc').execute();
  return rows.map(summary);
}

/** One change of the organisation, or null for any id that is not one (another's, random, malformed). */
export async function changeOf(
  db: Kysely<Database>,
  organisationId: string,
  changeId: string,
): Promise<ChangeDetail | null> {
  if (!uuid.test(changeId)) return null;
  const row = await query(db, organisationId).where('c.id', '=', changeId).executeTakeFirst();
  if (!row) return null;
  const parsed = parsePolicyDocument(row.document_text, 'the proposed document', row.slug);
  if (!parsed.ok) return null;
  return { ...summary(row), documentText: row.document_text, policy: parsed.policy };
}
