import { Temporal } from 'temporal-polyfill';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import type { RecordDisposal } from './disposal.js';
import { certificateHash, journalDisposal } from './disposal-journal.js';
import { destroyItems, type DueItem, type PartnershipItemKind } from './partnership-items.js';
import type { DisposalCounts } from './tables.js';
import { peopleWithoutRecordsFor, rightsRequestRetentionFor } from '../policy/retention-actions.js';
import { destroyRequests, RIGHTS_REQUEST_CATEGORY } from './rights-requests.js';
import {
  STATUTORY_RETURN_FILE_CATEGORY,
  statutoryReturnFileRetentionFor,
} from '../policy/retention-actions.js';
import { destroyReturnFiles } from './return-files.js';

function groupBy<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return [...groups.values()];
}

/**
 * The columns of `case_record` a disposal certifies by: everything that
 * picks a record for destruction (the sweep, a replay) selects these, so the
 * certificate groups by the same facts whichever path destroyed it.
 */
export const recordToDisposeColumns = [
  'id',
  'organisation_id',
  'category',
  'retention_rule_id',
  'retention_action',
  'retention_due',
] as const;

export interface RecordToDispose {
  id: string;
  organisation_id: string;
  category: string;
  retention_rule_id: string | null;
  retention_action: string | null;
  retention_due: string | null;
}

/** Who approved a disposal: the schedule (a sweep) or a reviewer's decision. */
export interface Approval {
  approval: 'schedule' | 'review-decision' | 'replay';
  approvedBy: string | null;
  sweepRunId?: string;
  /** A replay's original certificate, from the disposal journal (replay.ts). */
  replaysCertificateId?: string;
}

/**
 * Disposal with its proof: whatever is destroyed — by the sweep or by a
 * reviewer's decision — is certified and audited in the same transaction,
 * one certificate per organisation, category, rule and action.
 */
export class CertifiedDisposal {
  constructor(
    private readonly disposal: RecordDisposal,
    private readonly now: () => Date,
  ) {}

  /**
   * Destroys the records (already locked by the caller) and writes one
   * certificate and one audit event per organisation, category, rule and
   * action — all in the caller's transaction: no certificate, no destruction.
   */
  async disposeRecords(
    trx: Transaction<Database>,
    records: readonly RecordToDispose[],
    approval: Approval,
  ): Promise<number> {
    const groups = new Map<string, (typeof records)[number][]>();
    for (const record of records) {
      const key = [
        record.organisation_id,
        record.category,
        record.retention_rule_id,
        record.retention_action,
      ].join('|');
      groups.set(key, [...(groups.get(key) ?? []), record]);
    }
    for (const group of groups.values()) {
      const first = group[0];
      if (!first) continue;
      const destroyed = await this.disposal.destroyRecords(
        trx,
        group.map((r) => r.id),
      );
      const counts: DisposalCounts = {
        records: group.length,
        notes: destroyed.notes,
        documents: destroyed.documents,
        parties: destroyed.parties,
        people: await this.disposal.destroyOrphanedPeople(trx, destroyed.personIds),
      };
      await this.certify(trx, {
        organisationId: first.organisation_id,
        category: first.category,
        itemKind: 'case-record',
        ruleId: first.retention_rule_id,
        action: first.retention_action,
        items: group,
        counts,
        approval,
      });
    }
    return groups.size;
  }

  /** Destroys a batch of the partnerships' rows (already locked) and certifies it. */
  async disposeItems(
    trx: Transaction<Database>,
    item: PartnershipItemKind,
    rows: readonly DueItem[],
    approval: Approval,
  ): Promise<number> {
    const groups = new Map<string, DueItem[]>();
    for (const row of rows) {
      const key = [row.organisation_id, row.retention_rule_id, row.retention_action].join('|');
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    for (const group of groups.values()) {
      const first = group[0];
      if (!first) continue;
      const destroyed = await destroyItems(
        trx,
        item,
        group.map((r) => r.id),
      );
      await this.certify(trx, {
        organisationId: first.organisation_id,
        category: item.category,
        itemKind: item.kind,
        ruleId: first.retention_rule_id,
        action: first.retention_action,
        items: group,
        counts: { records: destroyed, notes: 0, documents: 0, parties: 0, people: 0 },
        approval,
      });
    }
    return groups.size;
  }

  /**
   * Destroys people held in no record (already locked; people-without-records.ts)
   * and certifies them, one certificate per organisation.
   */
  async disposePeople(
    trx: Transaction<Database>,
    people: readonly { id: string; organisation_id: string; organisation: string }[],
    approval: Approval,
  ): Promise<number> {
    const groups = groupBy(people, (p) => p.organisation_id);
    for (const group of groups) {
      const first = group[0];
      if (!first) continue;
      const destroyed = await this.disposal.destroyOrphanedPeople(
        trx,
        group.map((p) => p.id),
      );
      await this.certify(trx, {
        organisationId: first.organisation_id,
        category: 'person-without-record',
        itemKind: 'person',
        ruleId: peopleWithoutRecordsFor(first.organisation).ruleId,
        action: 'destroy',
        items: group.map((p) => ({ id: p.id, retention_due: null })),
        counts: { records: 0, notes: 0, documents: 0, parties: 0, people: destroyed },
        approval,
      });
    }
    return groups.length;
  }

  /** Destroys finished rights requests past their period (already locked) and certifies them. */
  async disposeRightsRequests(
    trx: Transaction<Database>,
    requests: readonly { id: string; organisation_id: string; organisation: string }[],
    approval: Approval,
  ): Promise<number> {
    const groups = groupBy(requests, (r) => r.organisation_id);
    for (const group of groups) {
      const first = group[0];
      if (!first) continue;
      const destroyed = await destroyRequests(
        trx,
        group.map((r) => r.id),
      );
      await this.certify(trx, {
        organisationId: first.organisation_id,
        category: RIGHTS_REQUEST_CATEGORY,
        itemKind: 'rights-request',
        ruleId: rightsRequestRetentionFor(first.organisation).ruleId,
        action: 'destroy',
        items: group.map((r) => ({ id: r.id, retention_due: null })),
        counts: { records: destroyed, notes: 0, documents: 0, parties: 0, people: 0 },
        approval,
      });
    }
    return groups.length;
  }

  /**
   * Destroys the kept files of statutory returns past their period (rows
   * already locked) and certifies them, one certificate per organisation;
   * each return's row stays, saying when its file went.
   */
  async disposeReturnFiles(
    trx: Transaction<Database>,
    returns: readonly {
      id: string;
      organisation_id: string;
      organisation: string;
      reference_date: string;
    }[],
    approval: Approval,
  ): Promise<number> {
    const groups = groupBy(returns, (r) => r.organisation_id);
    for (const group of groups) {
      const first = group[0];
      if (!first) continue;
      const rule = statutoryReturnFileRetentionFor(first.organisation);
      const destroyed = await destroyReturnFiles(
        trx,
        group.map((r) => r.id),
        this.now(),
      );
      await this.certify(trx, {
        organisationId: first.organisation_id,
        category: STATUTORY_RETURN_FILE_CATEGORY,
        itemKind: 'statutory-return-file',
        ruleId: rule.ruleId,
        action: 'destroy',
        items: group.map((r) => ({
          id: r.id,
          retention_due: Temporal.PlainDate.from(r.reference_date)
            .add({ years: rule.years })
            .toString(),
        })),
        counts: { records: 0, notes: 0, documents: destroyed, parties: 0, people: 0 },
        approval,
      });
    }
    return groups.length;
  }

  /** The certificate and audit event for one group of disposed items, in the caller's transaction. */
  private async certify(
    trx: Transaction<Database>,
    input: {
      organisationId: string;
      category: string;
      itemKind:
        | 'case-record'
        | 'person'
        | 'rights-request'
        | 'statutory-return-file'
        | PartnershipItemKind['kind'];
      ruleId: string | null;
      action: string | null;
      items: readonly { id: string; retention_due: string | null }[];
      counts: DisposalCounts;
      approval: Approval;
    },
  ): Promise<void> {
    const dues = input.items
      .map((r) => r.retention_due)
      .filter((d): d is string => d !== null)
      .sort();
    const certificate = {
      organisation_id: input.organisationId,
      category: input.category,
      item_kind: input.itemKind,
      rule_id: input.ruleId,
      action: input.action ?? 'destroy',
      record_ids: input.items.map((r) => r.id),
      earliest_due: dues[0] ?? null,
      latest_due: dues[dues.length - 1] ?? null,
      disposed_at: this.now(),
      approved_by: input.approval.approvedBy,
      approval: input.approval.approval,
      sweep_run_id: input.approval.sweepRunId ?? null,
      replays_certificate_id: input.approval.replaysCertificateId ?? null,
    };
    const { id } = await trx
      .insertInto('disposal_certificate')
      .values({
        ...certificate,
        // Passed as JSON text: pg and PGlite both store it as jsonb.
        counts: JSON.stringify(input.counts) as unknown as DisposalCounts,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // The journal entry, in the same transaction: ids and the certificate's hash only.
    await journalDisposal(trx, {
      certificateId: id,
      organisationId: input.organisationId,
      itemKind: input.itemKind,
      itemIds: certificate.record_ids,
      certificateHash: certificateHash({
        ...certificate,
        id,
        disposed_at: certificate.disposed_at.toISOString(),
        counts: input.counts,
      }),
      disposedAt: certificate.disposed_at.toISOString(),
    });
    await recordAudit(trx, {
      action: 'retention.destroy',
      actorAccountId: input.approval.approvedBy,
      organisationId: input.organisationId,
      // Case records are 'record' throughout the audit log.
      objectType: input.itemKind === 'case-record' ? 'record' : input.itemKind,
      objectIds: [id, ...input.items.map((r) => r.id)],
      purpose: 'retention',
    });
  }
}
