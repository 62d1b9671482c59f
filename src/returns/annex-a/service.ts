import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { decideRecord, type RecordScope } from '../../platform/access/access.js';
import { recordAudit } from '../../platform/audit/audit-log.js';
import type { CategorySlug } from '../../policy/index.js';
import { restrictedRecordIds } from '../../rights/restriction.js';
import { localAuthorityCodes } from '../codes.js';
import {
  accountOf,
  isOperator,
  organisationOf,
  ReturnRefusedError,
  type ReturnsActor,
} from '../service.js';
import { keepReturnFile, loadNames, loadRecordScopes } from '../store.js';
import { buildAnnexA, childCount, recordIdsOf, type AnnexA } from './build.js';
import { checkChildren, type ReturnProgress } from '../progress.js';
import {
  annexAChildIds,
  annexARuleList,
  validateAnnexA,
  type AnnexAFailure,
  type AnnexARule,
} from './rules.js';
import { loadAnnexASource } from './store.js';
import { annexAWorkbook } from './workbook.js';

/**
 * Producing Ofsted's Annex A lists (issue 17; docs/returns.md), as the
 * census is produced (../service.ts): the same people (performance or
 * information governance in a local authority, or the operator at the
 * command line), every run audited in the transaction that reads the
 * records, and a workbook made recorded as a disclosure — to Ofsted, which
 * Kent's notice (001) names as a recipient "in the event of a local
 * authority inspection of children's services".
 */

/** Kent SCS policy, recipients: `ofsted`. */
const RECIPIENT = 'ofsted';
const PURPOSE = 'inspection-or-statutory-return';
/**
 * The Chief Inspector inspects local authority children's services under
 * the Education and Inspections Act 2006 s136 and may inspect their records
 * (s140); the authority gives the lists as a legal obligation (UK GDPR Art
 * 6(1)(c)), with Art 9(2)(g) and DPA 2018 Sch 1 para 6 (statutory purposes)
 * for special category data. See docs/returns.md.
 */
const LAWFUL_BASIS =
  'UK GDPR Art 6(1)(c) legal obligation (Education and Inspections Act 2006 s136, s140); Art 9(2)(g) with DPA 2018 Sch 1 para 6';

export interface AnnexARuleReport {
  rule: AnnexARule;
  failures: number;
  /** Failing children the viewer may open, named and linked. */
  visible: { childName: string; recordId: string; href: string }[];
  /** Failing children in records the viewer may not open: a count only. */
  hidden: number;
}

export interface AnnexARun {
  asOf: string;
  annex: AnnexA;
  /** Distinct children across the lists. */
  children: number;
  failures: AnnexAFailure[];
  errors: number;
  warnings: number;
  report: AnnexARuleReport[];
  /** The workbook, when no error remains and it was asked for. */
  workbook?: Buffer;
  returnId?: string;
}

export class AnnexAService {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Builds and checks the lists as of `asOf` (YYYY-MM-DD) and, when `produce`
   * is set and no error remains, writes the workbook and records it as a
   * disclosure to Ofsted.
   */
  async annexA(
    actor: ReturnsActor,
    options: { asOf: string; produce: boolean; now?: Date; onProgress?: ReturnProgress },
  ): Promise<AnnexARun> {
    const organisation = organisationOf(actor);
    const now = options.now ?? new Date();
    const { asOf } = options;
    if (!localAuthorityCodes[organisation.slug]) {
      throw new ReturnRefusedError(
        `${organisation.shortName} is not a local authority that Ofsted inspects for children’s services.`,
      );
    }
    return this.db.transaction().execute(async (trx) => {
      const source = await loadAnnexASource(trx, organisation.id, asOf);
      const annex = buildAnnexA(source);
      // In children, as the census and SSDA903 are: each slice's failures
      // are its children's, so the total is the same as checking in one go.
      const failures = await checkChildren(
        annexAChildIds(annex, source),
        (slice) => validateAnnexA(annex, source, new Set(slice)),
        options.onProgress,
      );
      const errors = failures.filter((f) => f.rule.kind === 'error').length;
      const warnings = failures.length - errors;
      const recordIds = recordIdsOf(annex);
      const children = childCount(annex);
      const produce = options.produce && errors === 0;
      let workbook: Buffer | undefined;
      let returnId: string | undefined;
      if (produce) {
        workbook = await annexAWorkbook(annex);
        const row = await trx
          .insertInto('statutory_return')
          .values({
            organisation_id: organisation.id,
            kind: 'annex-a',
            collection_year: Number(asOf.slice(0, 4)),
            reference_date: asOf,
            produced_by: accountOf(actor),
            recipient_id: RECIPIENT,
            purpose: PURPOSE,
            lawful_basis: LAWFUL_BASIS,
            file_sha256: createHash('sha256').update(workbook).digest('hex'),
            children,
            errors,
            queries: warnings,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        returnId = row.id;
        await keepReturnFile(trx, row.id, {
          name: `annex-a-${localAuthorityCodes[organisation.slug] ?? organisation.slug}-${asOf.replace(/-/g, '')}.xlsx`,
          mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          content: workbook,
        });
        for (let i = 0; i < recordIds.length; i += 1000) {
          const chunk = recordIds.slice(i, i + 1000);
          await trx
            .insertInto('statutory_return_record')
            .values(chunk.map((record_id) => ({ return_id: row.id, record_id })))
            .execute();
        }
      }
      // Ids only: which records were read, and why.
      await recordAudit(trx, {
        action: produce ? 'returns.annex-a.produce' : 'returns.annex-a.validate',
        actorAccountId: accountOf(actor),
        organisationId: organisation.id,
        objectType: 'case-record',
        objectIds: recordIds,
        purpose: PURPOSE,
        outcome: 'success',
      });
      const report = await this.report(trx, actor, failures, now);
      return { asOf, annex, children, failures, errors, warnings, report, workbook, returnId };
    });
  }

  /** Per check: failing children named and linked only where the viewer may open the record. */
  private async report(
    db: Parameters<typeof loadRecordScopes>[0],
    actor: ReturnsActor,
    failures: readonly AnnexAFailure[],
    now: Date,
  ): Promise<AnnexARuleReport[]> {
    const recordIds = [...new Set(failures.map((f) => f.recordId))];
    const [scopes, restricted] = await Promise.all([
      loadRecordScopes(db, recordIds),
      restrictedRecordIds(db, recordIds),
    ]);
    const readable = new Set<string>();
    for (const s of scopes) {
      const scope: RecordScope = {
        organisationId: s.organisation_id,
        category: s.category as CategorySlug,
        allocatedAccountId: s.allocated_account_id,
        allocatedTeamId: s.allocated_team_id,
        restricted: restricted.has(s.id),
        state: s.record_state,
      };
      if (!isOperator(actor) && decideRecord(actor, 'read', scope, { now }).allowed) {
        readable.add(s.id);
      }
    }
    const names = await loadNames(
      db,
      failures.filter((f) => readable.has(f.recordId)).map((f) => f.personId),
    );
    return annexARuleList.map((rule) => {
      const mine = failures.filter((f) => f.rule === rule);
      const visible = mine
        .filter((f) => readable.has(f.recordId))
        .map((f) => ({
          childName: names.get(f.personId) ?? 'A child',
          recordId: f.recordId,
          href: `/records/${f.recordId}`,
        }));
      return { rule, failures: mine.length, visible, hidden: mine.length - visible.length };
    });
  }
}

/** The report as lines for a terminal: checks that failed only. */
export function annexAReportLines(run: AnnexARun): string[] {
  const lines: string[] = [];
  for (const r of run.report) {
    if (r.failures === 0) continue;
    lines.push(`${r.rule.kind === 'error' ? 'Error' : 'Warning'}: ${r.rule.message}`);
    for (const v of r.visible) lines.push(`  ${v.childName}: ${v.href}`);
    if (r.hidden > 0) {
      lines.push(
        `  ${r.hidden} ${r.hidden === 1 ? 'child' : 'children'} in records you may not open`,
      );
    }
  }
  return lines;
}
