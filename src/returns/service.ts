import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { decideRecord, type RecordScope } from '../platform/access/access.js';
import type { RoleSlug } from '../platform/access/roles.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import type { StaffContext } from '../platform/auth/service.js';
import type { CategorySlug } from '../policy/index.js';
import { statutoryReturnFileRetentionFor } from '../policy/retention-actions.js';
import { Temporal } from 'temporal-polyfill';
import { restrictedRecordIds } from '../rights/restriction.js';
import { censusChild, censusPeriod, type CensusChild, type CensusPeriod } from './census.js';
import { censusXml } from './census-xml.js';
import { checkChildren, type ReturnProgress } from './progress.js';
import { localAuthorityCodes } from './codes.js';
import {
  censusRuleContext,
  censusRules,
  validateCensus,
  type CensusRule,
  type RuleFailure,
} from './rules.js';
import {
  keepReturnFile,
  loadCensusRows,
  loadNames,
  loadRecordScopes,
  type ReturnFile,
} from './store.js';
import type { StatutoryReturnTable } from './tables.js';
import { ssda903Child, type Ssda903Child } from './ssda903/child.js';
import { ssda903Files, ssda903Zip, tableCounts, type Ssda903Table } from './ssda903/files.js';
import {
  ssda903RuleContext,
  ssda903Rules,
  validateSsda903,
  type Ssda903Failure,
} from './ssda903/rules.js';
import { loadSsda903Rows } from './ssda903/store.js';

/**
 * Producing the Children in Need census (issue 17; docs/returns.md).
 *
 * Who: staff holding the performance or information governance role in the
 * organisation ("needs the performance and information governance roles").
 * Every run reads every child in need's census facts, so every run is
 * audited, in the same transaction as the read; a produced file is also a
 * disclosure to the Department for Education, recorded with its basis, its
 * hash and the records it was read from (migration 0064).
 */

export const RETURN_ROLES: readonly RoleSlug[] = ['performance', 'information-governance'];

/** The notice's recipient (kent-scs policy: recipients) and the sharing purpose. */
const RECIPIENT = 'government-departments';
const PURPOSE = 'inspection-or-statutory-return';
/**
 * Children Act 1989 s83(4)-(5): local authorities must send the Secretary of
 * State the information about their children's services functions that it
 * requires; UK GDPR Art 6(1)(c) legal obligation. (Art 9 condition: DPA 2018
 * Sch 1 para 6, statutory purposes.) See docs/decisions/0043.
 */
const LAWFUL_BASIS =
  'UK GDPR Art 6(1)(c) legal obligation (Children Act 1989 s83); Art 9(2)(g) with DPA 2018 Sch 1 para 6';

export class ReturnRefusedError extends Error {}

/** One failing child as a viewer may see them. */
export type ReportEntry =
  { visible: true; childName: string; recordId: string; href: string } | { visible: false };

/** What a report needs of a rule, whichever return it belongs to. */
export interface ReportedRule {
  id: string;
  dfeCode?: string;
  kind: 'error' | 'query';
  message: string;
}

export interface RuleReport<Rule extends ReportedRule = CensusRule> {
  rule: Rule;
  failures: number;
  /** The failing children the viewer may open, named and linked. */
  visible: { childName: string; recordId: string; href: string }[];
  /** Failing children in records the viewer may not open: a count, nothing else. */
  hidden: number;
}

export interface CensusRun {
  period: CensusPeriod;
  children: CensusChild[];
  failures: RuleFailure[];
  errors: number;
  queries: number;
  report: RuleReport[];
  /** The file, when no errors remain. */
  xml?: string;
  returnId?: string;
}

/** A run of the SSDA903 return: its children, the report and, with no errors, the files. */
export interface Ssda903Run {
  period: CensusPeriod;
  children: Ssda903Child[];
  failures: Ssda903Failure[];
  errors: number;
  queries: number;
  report: RuleReport<(typeof ssda903Rules)[number]>[];
  /** Rows per table. */
  tables: Record<Ssda903Table, number>;
  /** One CSV file per table, when no errors remain. */
  files?: { name: string; csv: string }[];
  /** The same files as one zip, as kept with the return and downloaded from the page. */
  zip?: Buffer;
  returnId?: string;
}

/**
 * The operator at the command line, producing a return for an organisation
 * without naming an account — the contract (`safekeep returns
 * cin-census --organisation … --year … --out …`), as `safekeep import` runs.
 * Whoever holds the server's database credentials can read every record
 * anyway; what matters is that the run is audited as the operator's and the
 * disclosure recorded. The operator is named in no record's access rules,
 * so the validation report gives them counts, never a child's name.
 */
export interface ReturnsOperator {
  kind: 'operator';
  organisation: { id: string; slug: string; shortName: string };
}

/** Who produces a return: a member of staff (page, or `--as`) or the operator. */
export type ReturnsActor = StaffContext | ReturnsOperator;

export function isOperator(actor: ReturnsActor): actor is ReturnsOperator {
  return 'kind' in actor && actor.kind === 'operator';
}

/** The account behind a run, or null for the operator (audit and disclosure). */
export function accountOf(actor: ReturnsActor): string | null {
  return isOperator(actor) ? null : actor.accountId;
}

export function organisationOf(actor: ReturnsActor) {
  if (isOperator(actor)) return actor.organisation;
  const organisation = actor.organisation;
  if (
    actor.stage !== 'complete' ||
    !organisation ||
    !actor.roles.some((role) => RETURN_ROLES.includes(role))
  ) {
    throw new ReturnRefusedError(
      'Producing a statutory return needs the performance or information governance role in the organisation.',
    );
  }
  return organisation;
}

export function mayProduceReturns(staff: StaffContext): boolean {
  return (
    staff.stage === 'complete' &&
    staff.organisation !== null &&
    staff.roles.some((role) => RETURN_ROLES.includes(role))
  );
}

/** A return already produced, as the returns page lists it. */
export interface ProducedReturn {
  id: string;
  kind: StatutoryReturnTable['kind'];
  collectionYear: number;
  referenceDate: string;
  producedAt: Date;
  producedBy: string;
  children: number;
  queries: number;
  /** The kept file: its name and until when the policy keeps it; null when none was kept. */
  file: { name: string; keptUntil: string } | null;
  /** When the retention sweep destroyed the kept file. */
  fileDestroyedAt: Date | null;
}

/** The local authority's code for the DfE, or undefined for a body that makes no returns. */
export function returnsCodeOf(staff: StaffContext): string | undefined {
  return staff.organisation ? localAuthorityCodes[staff.organisation.slug] : undefined;
}

export class ReturnsService {
  constructor(private readonly db: Kysely<Database>) {}

  /** The returns the organisation has produced, newest first (who, when, how many children). */
  async produced(staff: ReturnsActor): Promise<ProducedReturn[]> {
    const organisation = organisationOf(staff);
    const rows = await this.db
      .selectFrom('statutory_return')
      .leftJoin('account', 'account.id', 'statutory_return.produced_by')
      .select([
        'statutory_return.kind',
        'statutory_return.collection_year',
        'statutory_return.reference_date',
        'statutory_return.produced_at',
        'account.display_name',
        'statutory_return.id',
        'statutory_return.children',
        'statutory_return.queries',
        'statutory_return.file_name',
        'statutory_return.file_destroyed_at',
      ])
      .where('statutory_return.organisation_id', '=', organisation.id)
      .orderBy('statutory_return.produced_at', 'desc')
      .limit(50)
      .execute();
    const years = statutoryReturnFileRetentionFor(organisation.slug).years;
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      collectionYear: r.collection_year,
      referenceDate: r.reference_date,
      producedAt: r.produced_at,
      producedBy: r.display_name ?? 'The operator, at the command line',
      children: r.children,
      queries: r.queries,
      file: r.file_name
        ? {
            name: r.file_name,
            keptUntil: Temporal.PlainDate.from(r.reference_date).add({ years }).toString(),
          }
        : null,
      fileDestroyedAt: r.file_destroyed_at,
    }));
  }

  /** The name of a return's kept file (no bytes read, nothing audited), for the job's page. */
  async fileNameOf(staff: ReturnsActor, returnId: string): Promise<string | undefined> {
    const organisation = organisationOf(staff);
    const row = await this.db
      .selectFrom('statutory_return')
      .select('file_name')
      .where('id', '=', returnId)
      .where('organisation_id', '=', organisation.id)
      .where('file_destroyed_at', 'is', null)
      .executeTakeFirst();
    return row?.file_name ?? undefined;
  }

  /**
   * The kept file of a return the organisation made, for the performance
   * and information governance roles: audited as a read of the return (the
   * file holds every child in it). `destroyed` once the sweep has taken it.
   */
  async returnFile(
    staff: ReturnsActor,
    returnId: string,
  ): Promise<
    | { kind: 'file'; file: ReturnFile }
    | { kind: 'destroyed'; on: Date }
    | { kind: 'not-kept' }
    | undefined
  > {
    const organisation = organisationOf(staff);
    if (!/^[0-9a-f-]{36}$/i.test(returnId)) return undefined;
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('statutory_return')
        .leftJoin('statutory_return_file', 'statutory_return_file.return_id', 'statutory_return.id')
        .select([
          'statutory_return.file_name',
          'statutory_return.media_type',
          'statutory_return.file_destroyed_at',
          'statutory_return_file.content',
        ])
        .where('statutory_return.id', '=', returnId)
        .where('statutory_return.organisation_id', '=', organisation.id)
        .executeTakeFirst();
      if (!row) return undefined;
      if (row.file_destroyed_at) return { kind: 'destroyed', on: row.file_destroyed_at };
      if (!row.content || !row.file_name) return { kind: 'not-kept' };
      await recordAudit(trx, {
        action: 'returns.file.download',
        actorAccountId: accountOf(staff),
        organisationId: organisation.id,
        objectType: 'statutory-return',
        objectIds: [returnId],
        purpose: PURPOSE,
        outcome: 'success',
      });
      return {
        kind: 'file',
        file: {
          name: row.file_name,
          mediaType: row.media_type ?? 'application/octet-stream',
          content: Buffer.from(row.content),
        },
      };
    });
  }

  /**
   * Validates the census for `year` and, when no error remains and
   * `produce` is set, builds the file and records it as a disclosure. The
   * report names only the children whose records the viewer may open.
   */
  async cinCensus(
    staff: ReturnsActor,
    options: { year: number; produce: boolean; now?: Date; onProgress?: ReturnProgress },
  ): Promise<CensusRun> {
    const organisation = organisationOf(staff);
    const now = options.now ?? new Date();
    const period = censusPeriod(options.year);
    const laCode = localAuthorityCodes[organisation.slug];
    if (!laCode) {
      throw new ReturnRefusedError(
        `${organisation.shortName} is not a local authority that makes the Children in Need census.`,
      );
    }
    return this.db.transaction().execute(async (trx) => {
      const rows = await loadCensusRows(trx, organisation.id, period);
      const children = rows
        .map((row) => censusChild(row, period))
        .filter((c): c is CensusChild => c !== null);
      const context = censusRuleContext(children);
      const failures = await checkChildren(
        children,
        (slice) => validateCensus(slice, period, context),
        options.onProgress,
      );
      const errors = failures.filter((f) => f.rule.kind === 'error').length;
      const queries = failures.length - errors;
      const recordIds = [
        ...new Set(
          children.flatMap((c) =>
            c.episodes.flatMap((e) => [
              e.recordId,
              ...e.cpPlans.map((p) => p.recordId),
              ...e.section47s.map((s) => s.recordId),
            ]),
          ),
        ),
      ];
      const produce = options.produce && errors === 0;
      let xml: string | undefined;
      let returnId: string | undefined;
      if (produce) {
        const { count } = await trx
          .selectFrom('statutory_return')
          .select((eb) => eb.fn.countAll<string>().as('count'))
          .where('organisation_id', '=', organisation.id)
          .where('kind', '=', 'cin-census')
          .where('collection_year', '=', period.year)
          .executeTakeFirstOrThrow();
        xml = await censusXml(
          { period, laCode, producedAt: now, serialNo: Number(count) + 1 },
          children,
        );
        const row = await trx
          .insertInto('statutory_return')
          .values({
            organisation_id: organisation.id,
            kind: 'cin-census',
            collection_year: period.year,
            reference_date: period.end,
            produced_by: accountOf(staff),
            recipient_id: RECIPIENT,
            purpose: PURPOSE,
            lawful_basis: LAWFUL_BASIS,
            file_sha256: createHash('sha256').update(xml).digest('hex'),
            children: children.length,
            errors,
            queries,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        returnId = row.id;
        await keepReturnFile(trx, row.id, {
          name: `cin-census-${laCode}-${period.year}.xml`,
          mediaType: 'application/xml; charset=utf-8',
          content: Buffer.from(xml, 'utf8'),
        });
        for (let i = 0; i < recordIds.length; i += 1000) {
          const chunk = recordIds.slice(i, i + 1000);
          if (chunk.length === 0) continue;
          await trx
            .insertInto('statutory_return_record')
            .values(chunk.map((record_id) => ({ return_id: row.id, record_id })))
            .execute();
        }
      }
      // Ids only (design.md principle 2): which records were read, and why.
      await recordAudit(trx, {
        action: produce ? 'returns.cin-census.produce' : 'returns.cin-census.validate',
        actorAccountId: accountOf(staff),
        organisationId: organisation.id,
        objectType: 'case-record',
        objectIds: recordIds,
        purpose: PURPOSE,
        outcome: 'success',
      });
      const report = await this.report(trx, staff, censusRules, failures, now);
      return { period, children, failures, errors, queries, report, xml, returnId };
    });
  }

  /**
   * Validates the SSDA903 return for `year` (1 April to 31 March) and, when
   * no error remains and `produce` is set, writes its CSV files and records
   * them as one disclosure to the DfE: the same roles, audit and report as
   * the census (docs/returns.md).
   */
  async ssda903(
    staff: ReturnsActor,
    options: { year: number; produce: boolean; now?: Date; onProgress?: ReturnProgress },
  ): Promise<Ssda903Run> {
    const organisation = organisationOf(staff);
    const now = options.now ?? new Date();
    const period = censusPeriod(options.year);
    if (!localAuthorityCodes[organisation.slug]) {
      throw new ReturnRefusedError(
        `${organisation.shortName} is not a local authority that makes the SSDA903 return.`,
      );
    }
    return this.db.transaction().execute(async (trx) => {
      const rows = await loadSsda903Rows(trx, organisation.id, period);
      const children = rows
        .map((row) => ssda903Child(row, period))
        .filter((c): c is Ssda903Child => c !== null);
      const context = ssda903RuleContext(children);
      const failures = await checkChildren(
        children,
        (slice) => validateSsda903(slice, period, context),
        options.onProgress,
      );
      const errors = failures.filter((f) => f.rule.kind === 'error').length;
      const queries = failures.length - errors;
      const included = new Set(children.map((c) => c.personId));
      // Every looked-after and adoption record of the children in the return.
      const recordIds = [
        ...new Set(
          rows
            .filter((r) => included.has(r.id))
            .flatMap((r) => [...r.lookedAfter, ...r.adoption].map((record) => record.id)),
        ),
      ];
      const produce = options.produce && errors === 0;
      let files: { name: string; csv: string }[] | undefined;
      let zip: Buffer | undefined;
      let returnId: string | undefined;
      if (produce) {
        files = ssda903Files(children);
        const hash = createHash('sha256');
        for (const file of files) hash.update(`${file.name}\n${file.csv}`);
        const row = await trx
          .insertInto('statutory_return')
          .values({
            organisation_id: organisation.id,
            kind: 'ssda903',
            collection_year: period.year,
            reference_date: period.end,
            produced_by: accountOf(staff),
            recipient_id: RECIPIENT,
            purpose: PURPOSE,
            lawful_basis: LAWFUL_BASIS,
            file_sha256: hash.digest('hex'),
            children: children.length,
            errors,
            queries,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        returnId = row.id;
        zip = await ssda903Zip(files);
        await keepReturnFile(trx, row.id, {
          name: `ssda903-${localAuthorityCodes[organisation.slug]}-${period.year}.zip`,
          mediaType: 'application/zip',
          content: zip,
        });
        for (let i = 0; i < recordIds.length; i += 1000) {
          const chunk = recordIds.slice(i, i + 1000);
          if (chunk.length === 0) continue;
          await trx
            .insertInto('statutory_return_record')
            .values(chunk.map((record_id) => ({ return_id: row.id, record_id })))
            .execute();
        }
      }
      await recordAudit(trx, {
        action: produce ? 'returns.ssda903.produce' : 'returns.ssda903.validate',
        actorAccountId: accountOf(staff),
        organisationId: organisation.id,
        objectType: 'case-record',
        objectIds: recordIds,
        purpose: PURPOSE,
        outcome: 'success',
      });
      const report = await this.report(trx, staff, ssda903Rules, failures, now);
      return {
        period,
        children,
        failures,
        errors,
        queries,
        report,
        tables: tableCounts(children),
        files,
        zip,
        returnId,
      };
    });
  }

  /**
   * The validation report per rule. A failing child is named and linked only
   * when the access decision lets the viewer read the record to fix; anyone
   * else learns only how many there are (design.md principle 1).
   */
  private async report<Rule extends ReportedRule>(
    db: Parameters<typeof loadRecordScopes>[0],
    staff: ReturnsActor,
    rules: readonly Rule[],
    failures: readonly { rule: Rule; child: { personId: string }; recordId: string }[],
    now: Date,
  ): Promise<RuleReport<Rule>[]> {
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
      if (!isOperator(staff) && decideRecord(staff, 'read', scope, { now }).allowed) {
        readable.add(s.id);
      }
    }
    const names = await loadNames(
      db,
      failures.filter((f) => readable.has(f.recordId)).map((f) => f.child.personId),
    );
    return rules.map((rule) => {
      const mine = failures.filter((f) => f.rule === rule);
      const visible = mine
        .filter((f) => readable.has(f.recordId))
        .map((f) => ({
          childName: names.get(f.child.personId) ?? 'A child',
          recordId: f.recordId,
          href: `/records/${f.recordId}`,
        }));
      return { rule, failures: mine.length, visible, hidden: mine.length - visible.length };
    });
  }
}

/** The report as lines for a terminal: rules with failures only. */
export function reportLines(run: { report: RuleReport<ReportedRule>[] }): string[] {
  const lines: string[] = [];
  for (const r of run.report) {
    if (r.failures === 0) continue;
    const code = r.rule.dfeCode ? ` (DfE ${r.rule.dfeCode})` : '';
    lines.push(`${r.rule.kind === 'error' ? 'Error' : 'Query'}${code}: ${r.rule.message}`);
    for (const v of r.visible) lines.push(`  ${v.childName}: ${v.href}`);
    if (r.hidden > 0) {
      lines.push(
        `  ${r.hidden} ${r.hidden === 1 ? 'child' : 'children'} in records you may not open`,
      );
    }
  }
  return lines;
}
