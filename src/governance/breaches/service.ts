import type { Kysely, Transaction, Updateable } from 'kysely';
import type { Database } from '../../db/schema.js';
import { canBreach, type BreachAction } from '../../platform/access/access.js';
import { isUuid } from '../../platform/access/resolve.js';
import { recordAudit } from '../../platform/audit/audit-log.js';
import type { StaffContext } from '../../platform/auth/service.js';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors/errors.js';
import {
  disclosureChoices,
  isStaffOf,
  peopleInDisclosure,
  peopleViewedBy,
  pickedPeople,
  searchPeople,
  staffChoices,
} from './affected.js';
import { clockState, icoDeadline } from './clock.js';
import { assessRisk } from './risk.js';
import { BreachStore } from './store.js';
import type {
  BreachTable,
  DataCategoryCode,
  Exemption,
  IcoDecision,
  Likelihood,
  Severity,
  SubjectSource,
} from './tables.js';

/**
 * The breach register (issue 11; UK GDPR Art 33/34): report, assess,
 * decide, find who is affected, act, close. Every method opens with one
 * access decision on the breach (inBreach) and records its audit event in
 * the same transaction as its work. Ids and codes only in the audit log.
 */

export interface ReportInput {
  summary: string;
  occurredAt: Date;
  awareAt: Date;
  reportedBy: string;
  discovery: string;
  dataCategories: DataCategoryCode[];
  approxPeople: number;
  approxRecords: number;
}

export interface AssessInput {
  likelihood: Likelihood;
  severity: Severity;
  consequences: string;
  measures: string;
}

export interface IcoDecisionInput {
  decision: IcoDecision;
  reasons: string;
  /** Art 33(1): a notification later than 72 hours comes with the reasons for the delay. */
  lateReasons: string | null;
  dpoContact: string;
}

export type SubjectsDecisionInput =
  | { decision: 'tell'; notice: string; dpoContact: string }
  | { decision: 'not-tell'; exemption: Exemption; reasons: string };

export interface ActionInput {
  description: string;
  owner: string;
}

type BreachRow = Awaited<ReturnType<BreachStore['breach']>> & {};

const PURPOSE = 'breach';

export class BreachService {
  private readonly now: () => Date;

  constructor(
    private readonly db: Kysely<Database>,
    options: { now?: (() => Date) | undefined } = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** The staff member's organisation, when they may use the register at all; else not found. */
  private organisationOf(staff: StaffContext, action: BreachAction) {
    const organisation = staff.organisation;
    if (!organisation || !canBreach(staff, action, organisation.id)) throw new NotFoundError();
    return organisation;
  }

  /**
   * Loads the breach (locked when it will change), decides, and runs `work`
   * in the one transaction. A breach that does not exist and one the staff
   * member may not see are the same: one lookup, a denied audit event on
   * the id as given, then not found (docs/decisions/0014). An id that is not
   * even a UUID names nothing and is answered without a query.
   */
  private async inBreach<T>(
    staff: StaffContext,
    breachId: string,
    action: BreachAction,
    auditAction: string,
    work: (trx: Transaction<Database>, breach: BreachRow, store: BreachStore) => Promise<T>,
  ): Promise<T> {
    if (!isUuid(breachId)) throw new NotFoundError();
    const outcome = await this.db.transaction().execute(async (trx) => {
      const store = new BreachStore(trx);
      const breach = await store.breach(breachId, { lock: action !== 'breach.view' });
      const may =
        breach !== undefined &&
        (canBreach(staff, action, breach.organisation_id) ||
          // Closing is refused in words to those who may see the breach (below), not hidden.
          (action === 'breach.close' && canBreach(staff, 'breach.view', breach.organisation_id)));
      if (!breach || !may) {
        await recordAudit(trx, {
          action: auditAction,
          actorAccountId: staff.accountId,
          organisationId: staff.organisation?.id ?? null,
          objectType: 'breach',
          objectIds: [breachId],
          outcome: 'denied',
        });
        return { found: false as const };
      }
      return { found: true as const, value: await work(trx, breach, store) };
    });
    if (!outcome.found) throw new NotFoundError();
    return outcome.value;
  }

  private audit(
    trx: Transaction<Database>,
    staff: StaffContext,
    action: string,
    objectIds: readonly string[],
  ) {
    return recordAudit(trx, {
      action,
      actorAccountId: staff.accountId,
      organisationId: staff.organisation?.id ?? null,
      objectType: 'breach',
      objectIds,
      purpose: PURPOSE,
    });
  }

  /* -------------------------------------------------------------- */
  /* The register                                                    */

  async register(staff: StaffContext) {
    const organisation = this.organisationOf(staff, 'breach.view');
    const now = this.now();
    return this.db.transaction().execute(async (trx) => {
      const rows = await new BreachStore(trx).register(organisation.id);
      await this.audit(
        trx,
        staff,
        'breach.list',
        rows.map((r) => r.id),
      );
      return rows.map((r) => ({
        id: r.id,
        reference: r.reference,
        awareAt: r.aware_at,
        risk: r.risk,
        icoDecision: r.ico_decision,
        subjectsDecision: r.subjects_decision,
        closedAt: r.closed_at,
        subjects: Number(r.subjects ?? 0),
        clock: clockState(r.aware_at, r.ico_decided_at, now),
      }));
    });
  }

  async report(staff: StaffContext, input: ReportInput): Promise<string> {
    const organisation = this.organisationOf(staff, 'breach.manage');
    const errors = [];
    if (input.awareAt.getTime() > this.now().getTime()) {
      errors.push({
        field: 'awareAt',
        message: 'The time you became aware must not be in the future',
      });
    }
    if (input.occurredAt.getTime() > this.now().getTime()) {
      errors.push({
        field: 'occurredAt',
        message: 'The time it happened must not be in the future',
      });
    }
    if (input.awareAt.getTime() < input.occurredAt.getTime()) {
      errors.push({
        field: 'awareAt',
        message: 'The time you became aware must be the same as or after the time it happened',
      });
    }
    if (errors.length) throw new ValidationError(errors);
    return this.db.transaction().execute(async (trx) => {
      const store = new BreachStore(trx);
      const id = await store.insert({
        organisation_id: organisation.id,
        reference: await store.nextReference(organisation.id),
        summary: input.summary,
        occurred_at: input.occurredAt,
        aware_at: input.awareAt,
        reported_by: input.reportedBy,
        discovery: input.discovery,
        data_categories: input.dataCategories,
        approx_people: input.approxPeople,
        approx_records: input.approxRecords,
        recorded_by: staff.accountId,
      });
      await this.audit(trx, staff, 'breach.report', [id]);
      return id;
    });
  }

  /** A breach with everything the page shows: facts, clock, decisions, people, actions. */
  async get(staff: StaffContext, breachId: string) {
    return this.inBreach(
      staff,
      breachId,
      'breach.view',
      'breach.read',
      async (trx, breach, store) => {
        const [subjects, actions] = await Promise.all([
          store.subjects(breach.id),
          store.actions(breach.id),
        ]);
        const names = await store.accountNames([
          breach.recorded_by,
          breach.assessed_by,
          breach.ico_decided_by,
          breach.subjects_decided_by,
          breach.closed_by,
        ]);
        await this.audit(trx, staff, 'breach.read', [
          breach.id,
          ...subjects.map((s) => s.person_id),
        ]);
        const name = (id: string | null) => (id ? (names.get(id) ?? 'Unknown') : null);
        return {
          ...presentBreach(breach),
          clock: clockState(breach.aware_at, breach.ico_decided_at, this.now()),
          recordedByName: name(breach.recorded_by),
          assessedByName: name(breach.assessed_by),
          icoDecidedByName: name(breach.ico_decided_by),
          subjectsDecidedByName: name(breach.subjects_decided_by),
          closedByName: name(breach.closed_by),
          subjects: subjects.map((s) => ({
            personId: s.person_id,
            name: `${s.given_name} ${s.family_name}`,
            dateOfBirth: s.date_of_birth,
            source: s.source,
          })),
          actions: actions.map((a) => ({
            id: a.id,
            description: a.description,
            owner: a.owner,
            createdAt: a.created_at,
            doneAt: a.done_at,
            doneByName: a.done_by_name,
          })),
          /** Whether this staff member may sign the breach off (the DPO, not whoever recorded it). */
          mayClose:
            canBreach(staff, 'breach.close', breach.organisation_id) &&
            breach.recorded_by !== staff.accountId,
        };
      },
    );
  }

  async assess(staff: StaffContext, breachId: string, input: AssessInput): Promise<void> {
    await this.inBreach(
      staff,
      breachId,
      'breach.manage',
      'breach.assess',
      async (trx, breach, store) => {
        open(breach);
        if (breach.ico_decided_at) {
          throw new ValidationError([
            {
              field: 'likelihood',
              message:
                'The decision whether to tell the ICO has been made on this assessment; it cannot be changed now',
            },
          ]);
        }
        await change(store, breach.id, {
          likelihood: input.likelihood,
          severity: input.severity,
          risk: assessRisk(input.likelihood, input.severity),
          consequences: input.consequences,
          measures: input.measures,
          assessed_by: staff.accountId,
          assessed_at: this.now(),
        });
        await this.audit(trx, staff, 'breach.assess', [breach.id]);
      },
    );
  }

  async decideIco(staff: StaffContext, breachId: string, input: IcoDecisionInput): Promise<void> {
    await this.inBreach(
      staff,
      breachId,
      'breach.manage',
      'breach.ico-decision',
      async (trx, breach, store) => {
        open(breach);
        if (!breach.assessed_at) {
          throw new ValidationError([
            {
              field: 'decision',
              message: 'Assess the risk before deciding whether to tell the ICO',
            },
          ]);
        }
        if (breach.ico_decided_at)
          throw new ConflictError('The decision whether to tell the ICO has already been made');
        const now = this.now();
        const late = now.getTime() > icoDeadline(breach.aware_at).getTime();
        if (input.decision === 'notify' && late && !input.lateReasons) {
          throw new ValidationError([
            {
              field: 'lateReasons',
              message:
                'It is more than 72 hours since you became aware: give the reasons for the delay',
            },
          ]);
        }
        await change(store, breach.id, {
          ico_decision: input.decision,
          ico_reasons: input.reasons,
          ico_late_reasons: input.decision === 'notify' && late ? input.lateReasons : null,
          dpo_contact: input.dpoContact,
          ico_decided_by: staff.accountId,
          ico_decided_at: now,
        });
        await this.audit(trx, staff, 'breach.ico-decision', [breach.id]);
      },
    );
  }

  async decideSubjects(staff: StaffContext, breachId: string, input: SubjectsDecisionInput) {
    await this.inBreach(
      staff,
      breachId,
      'breach.manage',
      'breach.subjects-decision',
      async (trx, breach, store) => {
        open(breach);
        if (!breach.assessed_at) {
          throw new ValidationError([
            {
              field: 'decision',
              message: 'Assess the risk before deciding whether to tell the people affected',
            },
          ]);
        }
        if (breach.subjects_decided_at) {
          throw new ConflictError(
            'The decision whether to tell the people affected has already been made',
          );
        }
        await change(store, breach.id, {
          subjects_decision: input.decision,
          subjects_exemption: input.decision === 'not-tell' ? input.exemption : null,
          subjects_reasons: input.decision === 'not-tell' ? input.reasons : null,
          subjects_notice: input.decision === 'tell' ? input.notice : null,
          ...(input.decision === 'tell' ? { dpo_contact: input.dpoContact } : {}),
          subjects_decided_by: staff.accountId,
          subjects_decided_at: this.now(),
        });
        await this.audit(trx, staff, 'breach.subjects-decision', [breach.id]);
      },
    );
  }

  async addAction(staff: StaffContext, breachId: string, input: ActionInput): Promise<void> {
    await this.inBreach(
      staff,
      breachId,
      'breach.manage',
      'breach.action.add',
      async (trx, breach, store) => {
        open(breach);
        const id = await store.addAction(
          breach.id,
          input.description,
          input.owner,
          staff.accountId,
        );
        await this.audit(trx, staff, 'breach.action.add', [breach.id, id]);
      },
    );
  }

  async completeAction(staff: StaffContext, breachId: string, actionId: string): Promise<void> {
    await this.inBreach(
      staff,
      breachId,
      'breach.manage',
      'breach.action.done',
      async (trx, breach, store) => {
        open(breach);
        if (
          !isUuid(actionId) ||
          !(await store.completeAction(breach.id, actionId, staff.accountId, this.now()))
        ) {
          throw new NotFoundError();
        }
        await this.audit(trx, staff, 'breach.action.done', [breach.id, actionId]);
      },
    );
  }

  /**
   * Closure is the DPO's sign-off: the ICO and the people decisions made,
   * every action done, lessons written — by the DPO, and by a different
   * person from the one who recorded the breach (four eyes, as a rights
   * response is approved by a second officer).
   */
  async close(staff: StaffContext, breachId: string, lessons: string): Promise<void> {
    await this.inBreach(
      staff,
      breachId,
      'breach.close',
      'breach.close',
      async (trx, breach, store) => {
        open(breach);
        const refuse = (message: string) => {
          throw new ValidationError([{ field: 'lessons', message }]);
        };
        if (!canBreach(staff, 'breach.close', breach.organisation_id)) {
          refuse('Only the data protection officer can close a breach');
        }
        if (breach.recorded_by === staff.accountId) {
          refuse('You recorded this breach, so another data protection officer must close it');
        }
        if (!breach.ico_decided_at)
          refuse('Decide whether to tell the ICO before closing the breach');
        if (!breach.subjects_decided_at) {
          refuse('Decide whether to tell the people affected before closing the breach');
        }
        const actions = await store.actions(breach.id);
        if (actions.some((a) => a.done_at === null)) {
          refuse('Mark every action as done before closing the breach');
        }
        await change(store, breach.id, {
          lessons,
          closed_by: staff.accountId,
          closed_at: this.now(),
        });
        await this.audit(trx, staff, 'breach.close', [breach.id]);
      },
    );
  }

  /* -------------------------------------------------------------- */
  /* Who is affected                                                 */

  /** The breach's reference and what the finders offer (disclosures, staff), for the page. */
  async findingChoices(staff: StaffContext, breachId: string) {
    return this.inBreach(staff, breachId, 'breach.manage', 'breach.read', async (trx, breach) => {
      const [disclosures, accounts] = await Promise.all([
        disclosureChoices(trx, breach.organisation_id),
        staffChoices(trx, breach.organisation_id),
      ]);
      await this.audit(trx, staff, 'breach.read', [breach.id]);
      return {
        breach: { id: breach.id, reference: breach.reference, closed: breach.closed_at !== null },
        disclosures,
        accounts: accounts.map((a) => ({ id: a.id, name: a.display_name, email: a.email })),
      };
    });
  }

  /** (a) Everyone in a disclosure's records becomes a subject; returns how many were added. */
  async addFromDisclosure(staff: StaffContext, breachId: string, disclosureId: string) {
    return this.addSubjects(staff, breachId, 'disclosure', (trx, organisationId) =>
      peopleInDisclosure(trx, organisationId, disclosureId),
    );
  }

  /** (b) Everyone a staff account's events name between two moments; returns how many were added. */
  async addFromStaffAccount(
    staff: StaffContext,
    breachId: string,
    input: { accountId: string; from: Date; to: Date },
  ) {
    return this.addSubjects(staff, breachId, 'staff-account', async (trx, organisationId) => {
      if (!(await isStaffOf(trx, organisationId, input.accountId))) return null;
      if (input.to.getTime() <= input.from.getTime()) {
        throw new ValidationError([
          { field: 'to', message: 'The end of the period must be after its start' },
        ]);
      }
      return peopleViewedBy(trx, organisationId, input.accountId, input.from, input.to);
    });
  }

  /** (c) People picked by hand; returns how many were added. */
  async addPicked(staff: StaffContext, breachId: string, personIds: readonly string[]) {
    return this.addSubjects(staff, breachId, 'picked', (trx, organisationId) =>
      pickedPeople(trx, organisationId, personIds),
    );
  }

  private async addSubjects(
    staff: StaffContext,
    breachId: string,
    source: SubjectSource,
    find: (trx: Transaction<Database>, organisationId: string) => Promise<string[] | null>,
  ): Promise<{ found: number; added: number }> {
    return this.inBreach(
      staff,
      breachId,
      'breach.manage',
      'breach.subjects.add',
      async (trx, breach, store) => {
        open(breach);
        const people = await find(trx, breach.organisation_id);
        if (people === null) throw new NotFoundError();
        const added = await store.addSubjects(breach, people, source, staff.accountId);
        await recordAudit(trx, {
          action: 'breach.subjects.add',
          actorAccountId: staff.accountId,
          organisationId: breach.organisation_id,
          objectType: 'breach',
          objectIds: [breach.id, ...added],
          purpose: `${PURPOSE}-${source}`,
        });
        return { found: people.length, added: added.length };
      },
    );
  }

  async removeSubject(staff: StaffContext, breachId: string, personId: string): Promise<void> {
    await this.inBreach(
      staff,
      breachId,
      'breach.manage',
      'breach.subjects.remove',
      async (trx, breach, store) => {
        open(breach);
        if (!isUuid(personId) || !(await store.removeSubject(breach.id, personId))) {
          throw new NotFoundError();
        }
        await this.audit(trx, staff, 'breach.subjects.remove', [breach.id, personId]);
      },
    );
  }

  /** People of the organisation by name, to pick from; the search and who it showed are audited. */
  async searchPeople(staff: StaffContext, breachId: string, text: string) {
    return this.inBreach(
      staff,
      breachId,
      'breach.manage',
      'breach.people.search',
      async (trx, breach) => {
        const people = await searchPeople(trx, breach.organisation_id, text);
        await recordAudit(trx, {
          action: 'person.search',
          actorAccountId: staff.accountId,
          organisationId: breach.organisation_id,
          objectType: 'person',
          objectIds: people.map((p) => p.id),
          purpose: PURPOSE,
        });
        return people.map((p) => ({
          id: p.id,
          name: `${p.given_name} ${p.family_name}`,
          dateOfBirth: p.date_of_birth,
        }));
      },
    );
  }

  /* -------------------------------------------------------------- */
  /* What goes out                                                   */

  /** The letters to the people affected (Art 34(2)), one per subject, when they are to be told. */
  async letters(staff: StaffContext, breachId: string) {
    return this.inBreach(
      staff,
      breachId,
      'breach.view',
      'breach.letters.read',
      async (trx, breach, store) => {
        const people =
          breach.subjects_decision === 'tell' ? await store.letterAddresses(breach.id) : [];
        await this.audit(trx, staff, 'breach.letters.read', [
          breach.id,
          ...people.map((p) => p.person_id),
        ]);
        return {
          breach: presentBreach(breach),
          letters: people.map((p) => ({
            name: `${p.given_name} ${p.family_name}`,
            address: p.address
              ? [p.address.line1, p.address.line2, p.address.town, p.address.postcode].filter(
                  (line): line is string => !!line,
                )
              : [],
          })),
        };
      },
    );
  }
}

/** A breach as the pages and letters read it. */
function presentBreach(breach: BreachRow) {
  return {
    id: breach.id,
    organisationId: breach.organisation_id,
    reference: breach.reference,
    summary: breach.summary,
    occurredAt: breach.occurred_at,
    awareAt: breach.aware_at,
    deadline: icoDeadline(breach.aware_at),
    reportedBy: breach.reported_by,
    discovery: breach.discovery,
    dataCategories: breach.data_categories as DataCategoryCode[],
    approxPeople: breach.approx_people,
    approxRecords: breach.approx_records,
    recordedAt: breach.recorded_at,
    likelihood: breach.likelihood,
    severity: breach.severity,
    risk: breach.risk,
    consequences: breach.consequences,
    measures: breach.measures,
    assessedAt: breach.assessed_at,
    icoDecision: breach.ico_decision,
    icoReasons: breach.ico_reasons,
    icoLateReasons: breach.ico_late_reasons,
    dpoContact: breach.dpo_contact,
    icoDecidedAt: breach.ico_decided_at,
    subjectsDecision: breach.subjects_decision,
    subjectsExemption: breach.subjects_exemption,
    subjectsReasons: breach.subjects_reasons,
    subjectsNotice: breach.subjects_notice,
    subjectsDecidedAt: breach.subjects_decided_at,
    lessons: breach.lessons,
    closedAt: breach.closed_at,
  };
}

export type BreachView = Awaited<ReturnType<BreachService['get']>>;

function open(breach: BreachRow): void {
  if (breach.closed_at)
    throw new ConflictError('This breach is closed: nothing more can be changed');
}

async function change(store: BreachStore, id: string, values: Updateable<BreachTable>) {
  // The row is locked (inBreach), so only a close in between could stop this.
  if (!(await store.update(id, values))) {
    throw new ConflictError('This breach is closed: nothing more can be changed');
  }
}
