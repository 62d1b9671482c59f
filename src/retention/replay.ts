import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import { CertifiedDisposal, recordToDisposeColumns, type Approval } from './certified-disposal.js';
import type { RecordDisposal } from './disposal.js';
import type { DisposalJournalEntry } from './disposal-journal.js';
import { partnershipItemKind } from './partnership-items.js';

export interface ReplayReport {
  /** Entries whose certificate the database already holds (or a replay of it). */
  known: number;
  /** Entries re-applied: what they destroyed was back, and is destroyed again. */
  replayed: number;
  /** Items destroyed again, over all replayed entries. */
  itemsDestroyed: number;
  /** Entries unknown to the database whose items are none of them there: nothing to do. */
  nothingLeft: number;
  /** Entries of a kind this version cannot replay, in words. */
  problems: string[];
}

/**
 * Re-applies, in journal order, every disposal the database does not know
 * (decision record 0038): after a backup from before a sweep is restored,
 * what the sweep destroyed is back, and must go again. Each entry runs in
 * one transaction: the items still there are destroyed through the same
 * certified path as a sweep (one new certificate, approval 'replay', naming
 * the original certificate; a journal entry; 'retention.destroy' events) and
 * a 'retention.replay' event names the original certificate. Holds and
 * review decisions are not consulted: the destruction has already happened
 * and been certified; the restore undid it, not a decision.
 */
export async function replayDisposals(
  db: Kysely<Database>,
  disposal: RecordDisposal,
  entries: readonly DisposalJournalEntry[],
  options: { actorAccountId?: string | null; now?: () => Date } = {},
): Promise<ReplayReport> {
  const certified = new CertifiedDisposal(disposal, options.now ?? (() => new Date()));
  const report: ReplayReport = {
    known: 0,
    replayed: 0,
    itemsDestroyed: 0,
    nothingLeft: 0,
    problems: [],
  };
  for (const entry of entries) {
    const outcome = await db.transaction().execute(async (trx) => {
      const known = await trx
        .selectFrom('disposal_certificate')
        .select('id')
        .where((eb) =>
          eb.or([
            eb('id', '=', entry.certificateId),
            eb('replays_certificate_id', '=', entry.certificateId),
          ]),
        )
        .executeTakeFirst();
      if (known) return 'known' as const;
      const approval: Approval = {
        approval: 'replay',
        approvedBy: options.actorAccountId ?? null,
        replaysCertificateId: entry.certificateId,
      };
      const destroyed = await destroyAgain(trx, certified, entry, approval);
      if (destroyed === null) return 'unsupported' as const;
      if (destroyed === 0) return 'nothing-left' as const;
      await recordAudit(trx, {
        action: 'retention.replay',
        actorAccountId: options.actorAccountId ?? null,
        organisationId: entry.organisationId,
        objectType: 'disposal-certificate',
        objectIds: [entry.certificateId],
        purpose: 'retention',
      });
      return destroyed;
    });
    if (outcome === 'known') report.known += 1;
    else if (outcome === 'nothing-left') report.nothingLeft += 1;
    else if (outcome === 'unsupported') {
      report.problems.push(
        `The disposal certificate ${entry.certificateId} is of a kind this version cannot replay (${entry.itemKind}).`,
      );
    } else {
      report.replayed += 1;
      report.itemsDestroyed += outcome;
    }
  }
  return report;
}

/** Destroys the entry's items still present; how many, or null for an unknown kind. */
async function destroyAgain(
  trx: Transaction<Database>,
  certified: CertifiedDisposal,
  entry: DisposalJournalEntry,
  approval: Approval,
): Promise<number | null> {
  const ids = entry.itemIds;
  if (ids.length === 0) return 0;
  switch (entry.itemKind) {
    case 'case-record': {
      const records = await trx
        .selectFrom('case_record')
        .select(recordToDisposeColumns)
        .where('id', 'in', ids)
        .forUpdate()
        .execute();
      if (records.length > 0) await certified.disposeRecords(trx, records, approval);
      return records.length;
    }
    case 'person': {
      const people = await trx
        .selectFrom('person')
        .innerJoin('organisation', 'organisation.id', 'person.organisation_id')
        .select(['person.id', 'person.organisation_id', 'organisation.slug as organisation'])
        .where('person.id', 'in', ids)
        .forUpdate('person')
        .execute();
      if (people.length > 0) await certified.disposePeople(trx, people, approval);
      return people.length;
    }
    case 'rights-request': {
      const requests = await trx
        .selectFrom('rights_request')
        .innerJoin('organisation', 'organisation.id', 'rights_request.organisation_id')
        .select([
          'rights_request.id',
          'rights_request.organisation_id',
          'organisation.slug as organisation',
        ])
        .where('rights_request.id', 'in', ids)
        .forUpdate('rights_request')
        .execute();
      if (requests.length > 0) await certified.disposeRightsRequests(trx, requests, approval);
      return requests.length;
    }
    case 'statutory-return-file': {
      const returns = await trx
        .selectFrom('statutory_return')
        .innerJoin('organisation', 'organisation.id', 'statutory_return.organisation_id')
        .select([
          'statutory_return.id',
          'statutory_return.organisation_id',
          'organisation.slug as organisation',
          'statutory_return.reference_date',
        ])
        .where('statutory_return.id', 'in', ids)
        .where('statutory_return.file_destroyed_at', 'is', null)
        .forUpdate('statutory_return')
        .execute();
      if (returns.length > 0) await certified.disposeReturnFiles(trx, returns, approval);
      return returns.length;
    }
    default: {
      const item = partnershipItemKind(entry.itemKind);
      if (!item) return null;
      const rows = await trx
        .selectFrom(item.table)
        .select(['id', 'organisation_id', 'retention_rule_id', 'retention_action', 'retention_due'])
        .where('id', 'in', ids)
        .forUpdate()
        .execute();
      if (rows.length > 0) await certified.disposeItems(trx, item, rows, approval);
      return rows.length;
    }
  }
}
