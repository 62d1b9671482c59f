import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { canBreach } from '../../platform/access/access.js';
import { canComplaints, type ComplaintAction } from '../../platform/access/complaint-rules.js';
import { isUuid } from '../../platform/access/resolve.js';
import { recordAudit } from '../../platform/audit/audit-log.js';
import type { StaffContext } from '../../platform/auth/service.js';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors/errors.js';
import { formatDate } from '../../platform/http/views.js';
import {
  acknowledgeBy,
  acknowledgementInWords,
  acknowledgementStatus,
  DUE_SOON_DAYS,
  receivedOnFor,
  updateDue,
} from './clock.js';
import { countPeriod, countsCsv, parsePeriod, type Period, type PeriodCounts } from './counts.js';
import { outcomeLetter, type Letter } from './letters.js';
import { referenceInWords } from './reference.js';
import type { ComplainantInput } from './schemas.js';
import { ComplaintStore, type ComplaintRow } from './store.js';
import type { ComplaintChannel, ComplaintOutcome, SendingMethod } from './tables.js';
import { complaintLabels } from './words.js';

/**
 * Data protection complaints (DPA 2018 s.164A; decision record 0018): the
 * public form, intake by staff for a caller, the acknowledgement clock,
 * investigation notes, progress updates, links, the outcome and its letter,
 * and counts per period.
 *
 * Every complaint id goes through one access decision (`withComplaint`),
 * and one the staff member may not see answers as one that does not exist
 * (decision record 0014). Every read and change is audited in its own
 * transaction; audit events hold ids, never what the complainant wrote.
 */

export interface StaffIntake extends ComplainantInput {
  channel: Exclude<ComplaintChannel, 'web-form'>;
  receivedOn: string;
}

export interface Received {
  reference: string;
  referenceInWords: string;
  acknowledgeBy: string;
  organisationName: string;
}

export interface Reminders {
  overdue: number;
  dueSoon: number;
  updateDue: number;
  total: number;
}

type Trx = Transaction<Database>;

export class ComplaintsService {
  private readonly now: () => Date;

  constructor(
    private readonly db: Kysely<Database>,
    options: { now?: (() => Date) | undefined } = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** Today in England, by the service's clock. */
  today(): string {
    return receivedOnFor(this.now());
  }

  // -------------------------------------------------------------------------
  // The public form

  /** The organisation a public form is for; a slug that names none is "not found". */
  async publicOrganisation(slug: string): Promise<{ slug: string; name: string }> {
    if (!/^[a-z0-9-]{1,100}$/.test(slug)) throw new NotFoundError();
    const organisation = await new ComplaintStore(this.db).organisationBySlug(slug);
    if (!organisation) throw new NotFoundError();
    return { slug: organisation.slug, name: organisation.name };
  }

  /**
   * A complaint sent through the public form (s.164A(2): "a complaint form which
   * can be completed electronically"). Received today, in England.
   */
  async receive(slug: string, input: ComplainantInput): Promise<Received> {
    const organisation = await this.publicOrganisation(slug);
    const receivedOn = this.today();
    return this.db.transaction().execute(async (trx) => {
      const store = new ComplaintStore(trx);
      const found = await store.organisationBySlug(organisation.slug);
      if (!found) throw new NotFoundError();
      const organisationId = found.id;
      const { id, reference } = await store.insert({
        organisation_id: organisationId,
        channel: 'web-form',
        received_on: receivedOn,
        acknowledge_by: acknowledgeBy(receivedOn),
        state: 'received',
        recorded_by: null,
        ...complainantColumns(input),
      });
      await recordAudit(trx, {
        action: 'complaint.receive',
        actorAccountId: null,
        organisationId,
        objectType: 'complaint',
        objectIds: [id],
        purpose: 'public-form',
      });
      return {
        reference,
        referenceInWords: referenceInWords(reference),
        acknowledgeBy: acknowledgeBy(receivedOn),
        organisationName: organisation.name,
      };
    });
  }

  // -------------------------------------------------------------------------
  // Staff

  /** A complaint recorded by staff for someone who phoned, wrote or called in. */
  async record(staff: StaffContext, input: StaffIntake): Promise<string> {
    const organisationId = this.organisationOf(staff, 'complaint.manage');
    return this.db.transaction().execute(async (trx) => {
      const { id } = await new ComplaintStore(trx).insert({
        organisation_id: organisationId,
        channel: input.channel,
        received_on: input.receivedOn,
        acknowledge_by: acknowledgeBy(input.receivedOn),
        state: 'received',
        recorded_by: staff.accountId,
        ...complainantColumns(input),
      });
      await this.audit(trx, staff, 'complaint.record', id);
      return id;
    });
  }

  /** Every complaint of the staff member's organisation, open first. Audited: it names the complainants. */
  async list(staff: StaffContext) {
    const organisationId = this.organisationOf(staff, 'complaint.view');
    const today = this.today();
    return this.db.transaction().execute(async (trx) => {
      const rows = await new ComplaintStore(trx).list(organisationId);
      await recordAudit(trx, {
        action: 'complaint.list',
        actorAccountId: staff.accountId,
        organisationId,
        objectType: 'complaint',
        objectIds: rows.map((r) => r.id),
      });
      const shown = rows.map((row) => {
        const status = acknowledgementStatus(
          { receivedOn: row.received_on, acknowledgedOn: row.acknowledged_on },
          today,
        );
        return {
          ...row,
          referenceInWords: referenceInWords(row.reference),
          status,
          statusInWords:
            row.state === 'closed'
              ? `Closed on ${formatDate(row.closed_on)}: ${complaintLabels.outcome[row.outcome ?? 'withdrawn'].toLowerCase()}`
              : acknowledgementInWords(status),
        };
      });
      return {
        open: shown.filter((r) => r.state !== 'closed'),
        closed: shown.filter((r) => r.state === 'closed'),
      };
    });
  }

  /** One complaint with its history and links, for its page. */
  async get(staff: StaffContext, id: string) {
    const today = this.today();
    return this.withComplaint(staff, id, 'complaint.view', async (trx, row) => {
      const store = new ComplaintStore(trx);
      // Breaches only for someone who may see the register too.
      const seesBreaches = canBreach(staff, 'breach.view', row.organisation_id);
      const [entries, links, choices, breachLinks, breachChoices] = await Promise.all([
        store.entries(row.id, row.organisation_id),
        store.links(row.id, row.organisation_id),
        store.rightsRequestChoices(row.organisation_id),
        seesBreaches ? store.breachLinks(row.id, row.organisation_id) : [],
        seesBreaches ? store.breachChoices(row.organisation_id) : [],
      ]);
      await this.audit(trx, staff, 'complaint.read', row.id);
      const status = acknowledgementStatus(
        { receivedOn: row.received_on, acknowledgedOn: row.acknowledged_on },
        today,
      );
      const linked = new Set(links.map((l) => l.request_id));
      return {
        complaint: row,
        referenceInWords: referenceInWords(row.reference),
        status,
        statusInWords: acknowledgementInWords(status),
        entries,
        links,
        rightsRequestChoices: choices.filter((c) => !linked.has(c.id)),
        seesBreaches,
        breachLinks,
        breachChoices: breachChoices.filter(
          (b) => !breachLinks.some((linkedBreach) => linkedBreach.breach_id === b.id),
        ),
        today,
      };
    });
  }

  /** s.164A(3): the acknowledgement, sent on `on`. */
  async acknowledge(
    staff: StaffContext,
    id: string,
    input: { on: string; via: SendingMethod; version: number },
  ): Promise<void> {
    await this.withComplaint(staff, id, 'complaint.manage', async (trx, row) => {
      checkVersion(row, input.version);
      if (row.state !== 'received')
        throw new ConflictError('This complaint has already been acknowledged');
      notBefore(
        input.on,
        row.received_on,
        'on',
        'The date it was sent',
        'the complaint was received',
      );
      await new ComplaintStore(trx).acknowledge(row.id, { ...input, by: staff.accountId });
      await this.audit(trx, staff, 'complaint.acknowledge', row.id);
    });
  }

  /** An investigation note: for the team, never sent. */
  async addNote(staff: StaffContext, id: string, input: { body: string }): Promise<void> {
    await this.withComplaint(staff, id, 'complaint.manage', async (trx, row) => {
      const entryId = await new ComplaintStore(trx).insertEntry({
        complaintId: row.id,
        organisationId: row.organisation_id,
        kind: 'note',
        body: input.body,
        recordedBy: staff.accountId,
      });
      await this.audit(trx, staff, 'complaint.note', row.id, entryId);
    });
  }

  /** s.164A(5)(b): what the complainant was told of progress, when and how. */
  async sendUpdate(
    staff: StaffContext,
    id: string,
    input: { on: string; via: SendingMethod; body: string },
  ): Promise<void> {
    await this.withComplaint(staff, id, 'complaint.manage', async (trx, row) => {
      if (row.state === 'closed') throw new ConflictError('This complaint is closed');
      notBefore(
        input.on,
        row.received_on,
        'on',
        'The date it was sent',
        'the complaint was received',
      );
      const entryId = await new ComplaintStore(trx).insertEntry({
        complaintId: row.id,
        organisationId: row.organisation_id,
        kind: 'progress-update',
        body: input.body,
        sentOn: input.on,
        sentVia: input.via,
        recordedBy: staff.accountId,
      });
      await this.audit(trx, staff, 'complaint.update', row.id, entryId);
    });
  }

  /**
   * Links the complaint to one of its organisation's rights requests. The
   * request id arrives in a form: one that is not the organisation's (or
   * names nothing, or is not an id) gets the same answer, and nothing is
   * written (decision record 0014).
   */
  async linkRightsRequest(
    staff: StaffContext,
    id: string,
    input: { rightsRequestId: string },
  ): Promise<void> {
    await this.withComplaint(staff, id, 'complaint.manage', async (trx, row) => {
      const store = new ComplaintStore(trx);
      const request = isUuid(input.rightsRequestId)
        ? await store.rightsRequest(row.organisation_id, input.rightsRequestId)
        : undefined;
      if (!request) {
        throw new ValidationError([
          { field: 'rightsRequestId', message: 'Select a rights request from the list' },
        ]);
      }
      const linkId = await store.insertLink({
        complaintId: row.id,
        organisationId: row.organisation_id,
        rightsRequestId: request.id,
        linkedBy: staff.accountId,
      });
      if (linkId) await this.audit(trx, staff, 'complaint.link', row.id, request.id);
    });
  }

  /**
   * Links the complaint to a breach in its organisation's register, for
   * someone who may see both. The breach id arrives in a form: one that is
   * not the organisation's, names nothing or is not an id — or a breach the
   * staff member may not see — gets the same answer, and nothing is written.
   */
  async linkBreach(staff: StaffContext, id: string, input: { breachId: string }): Promise<void> {
    await this.withComplaint(staff, id, 'complaint.manage', async (trx, row) => {
      const store = new ComplaintStore(trx);
      const breach =
        isUuid(input.breachId) && canBreach(staff, 'breach.view', row.organisation_id)
          ? await store.breach(row.organisation_id, input.breachId)
          : undefined;
      if (!breach) {
        throw new ValidationError([
          { field: 'breachId', message: 'Select a breach from the list' },
        ]);
      }
      const linkId = await store.insertBreachLink({
        complaintId: row.id,
        organisationId: row.organisation_id,
        breachId: breach.id,
        linkedBy: staff.accountId,
      });
      if (linkId) await this.audit(trx, staff, 'complaint.link', row.id, breach.id);
    });
  }

  /**
   * The complaints linked to a breach, for the breach's page: empty for
   * anyone who may not see complaints. The caller has already decided the
   * staff member may see the breach. Audited, as the list is.
   */
  async linkedToBreach(staff: StaffContext, breachId: string, organisationId: string) {
    if (!canComplaints(staff, 'complaint.view', organisationId)) return [];
    return this.db.transaction().execute(async (trx) => {
      const rows = await new ComplaintStore(trx).complaintsLinkedTo(breachId, organisationId);
      if (rows.length > 0) {
        await recordAudit(trx, {
          action: 'complaint.list',
          actorAccountId: staff.accountId,
          organisationId,
          objectType: 'complaint',
          objectIds: rows.map((r) => r.id),
        });
      }
      return rows.map((row) => ({
        id: row.id,
        referenceInWords: referenceInWords(row.reference),
        receivedOn: formatDate(row.received_on),
        closed: row.state === 'closed',
      }));
    });
  }

  /** s.164A(4)(b): the outcome, told to the complainant on `on`; closes the complaint. */
  async close(
    staff: StaffContext,
    id: string,
    input: {
      outcome: ComplaintOutcome;
      findings: string;
      actions: string | null;
      on: string;
      version: number;
    },
  ): Promise<void> {
    await this.withComplaint(staff, id, 'complaint.manage', async (trx, row) => {
      checkVersion(row, input.version);
      if (row.state === 'closed') throw new ConflictError('This complaint is already closed');
      if (row.state === 'received' || !row.acknowledged_on) {
        throw new ValidationError([
          { field: 'outcome', message: 'Record the acknowledgement before the outcome' },
        ]);
      }
      notBefore(
        input.on,
        row.acknowledged_on,
        'on',
        'The date the outcome was sent',
        'the complaint was acknowledged',
      );
      await new ComplaintStore(trx).close(row.id, { ...input, by: staff.accountId });
      await this.audit(trx, staff, 'complaint.close', row.id);
    });
  }

  /** The outcome letter of a closed complaint; an open one has none yet ("not found"). */
  async letter(staff: StaffContext, id: string): Promise<{ letter: Letter; complaintId: string }> {
    return this.withComplaint(staff, id, 'complaint.view', async (trx, row) => {
      if (row.state !== 'closed' || !row.outcome || !row.findings || !row.closed_on) {
        throw new NotFoundError();
      }
      const organisation = await new ComplaintStore(trx).organisationById(row.organisation_id);
      await this.audit(trx, staff, 'complaint.letter', row.id);
      return {
        complaintId: row.id,
        letter: outcomeLetter({
          organisationName: organisation.name,
          reference: row.reference,
          complainantName: row.complainant_name,
          postalAddress: row.contact_postal,
          email: row.contact_email,
          receivedOn: row.received_on,
          outcome: row.outcome,
          findings: row.findings,
          actions: row.actions,
          closedOn: row.closed_on,
          onBehalfOfName: row.on_behalf_of_name,
        }),
      };
    });
  }

  /** The counts of a period (dates and codes only, so not audited as a read of anyone's data). */
  async counts(
    staff: StaffContext,
    periodKey: string,
  ): Promise<{ period: Period; counts: PeriodCounts; csv: string }> {
    const organisationId = this.organisationOf(staff, 'complaint.view');
    const period = parsePeriod(periodKey);
    if (!period) {
      throw new ValidationError([{ field: 'period', message: 'Select a period from the list' }]);
    }
    const store = new ComplaintStore(this.db);
    const [rows, organisation] = await Promise.all([
      store.countRows(organisationId, period.from, period.to),
      store.organisationById(organisationId),
    ]);
    const counts = countPeriod(rows, period);
    return {
      period,
      counts,
      csv: countsCsv(organisation.short_name, period, counts, complaintLabels.outcome),
    };
  }

  /**
   * The home page's reminders for information governance and the DPO;
   * null for anyone else. Computed from the stored clocks each time, so they
   * are never stale: dates and ids only, not audited.
   */
  async reminders(staff: StaffContext): Promise<Reminders | null> {
    const organisation = staff.organisation;
    if (!organisation || !canComplaints(staff, 'complaint.view', organisation.id)) return null;
    const today = this.today();
    const rows = await new ComplaintStore(this.db).openClocks(organisation.id);
    const reminders: Reminders = { overdue: 0, dueSoon: 0, updateDue: 0, total: 0 };
    for (const row of rows) {
      const status = acknowledgementStatus(
        { receivedOn: row.received_on, acknowledgedOn: row.acknowledged_on },
        today,
      );
      if (status.kind === 'overdue') reminders.overdue += 1;
      else if (status.kind === 'waiting' && status.daysLeft < DUE_SOON_DAYS) reminders.dueSoon += 1;
      else if (status.kind === 'acknowledged') {
        const lastContact = [row.acknowledged_on, row.last_sent_on]
          .filter((d): d is string => !!d)
          .sort()
          .at(-1);
        if (updateDue(lastContact ?? null, today)) reminders.updateDue += 1;
      }
    }
    reminders.total = reminders.overdue + reminders.dueSoon + reminders.updateDue;
    return reminders;
  }

  // -------------------------------------------------------------------------

  /** Refuses ("not found") anyone who may not record or handle complaints here. */
  mayManage(staff: StaffContext): void {
    this.organisationOf(staff, 'complaint.manage');
  }

  /** The staff member's organisation, when they may do `action` there; "not found" otherwise. */
  private organisationOf(staff: StaffContext, action: ComplaintAction): string {
    const organisation = staff.organisation;
    if (!organisation || !canComplaints(staff, action, organisation.id)) throw new NotFoundError();
    return organisation.id;
  }

  /**
   * The one access decision for a complaint id. A malformed id names
   * nothing and is answered without a query; a complaint that is missing
   * and one that is refused do the same work — one lookup and a `denied`
   * audit event on the id as given — and answer alike.
   */
  private async withComplaint<T>(
    staff: StaffContext,
    id: string,
    action: ComplaintAction,
    work: (trx: Trx, row: ComplaintRow) => Promise<T>,
  ): Promise<T> {
    if (!isUuid(id)) throw new NotFoundError();
    const result = await this.db.transaction().execute(async (trx) => {
      const row = await new ComplaintStore(trx).complaint(id, {
        lock: action === 'complaint.manage',
      });
      if (!row || !canComplaints(staff, action, row.organisation_id)) {
        await recordAudit(trx, {
          action: action === 'complaint.view' ? 'complaint.read' : 'complaint.write',
          actorAccountId: staff.accountId,
          organisationId: staff.organisation?.id ?? null,
          objectType: 'complaint',
          objectIds: [id],
          outcome: 'denied',
        });
        return { refused: true as const };
      }
      return { refused: false as const, value: await work(trx, row) };
    });
    if (result.refused) throw new NotFoundError();
    return result.value;
  }

  private audit(trx: Trx, staff: StaffContext, action: string, ...objectIds: string[]) {
    return recordAudit(trx, {
      action,
      actorAccountId: staff.accountId,
      organisationId: staff.organisation?.id ?? null,
      objectType: 'complaint',
      objectIds,
    });
  }
}

/**
 * The checks across fields that the forms make too, made again here so that
 * no caller can store a complaint that could never be answered.
 */
function complainantColumns(input: ComplainantInput) {
  const forSomeone = input.onBehalf === 'yes';
  const errors = [];
  if (!input.email && !input.postalAddress && !input.phone) {
    errors.push({ field: 'email', message: 'Enter at least one way to contact the complainant' });
  }
  if (forSomeone && !input.onBehalfName) {
    errors.push({
      field: 'onBehalfName',
      message: 'Enter the name of the person they complain for',
    });
  }
  if (errors.length) throw new ValidationError(errors);
  return {
    complainant_name: input.fullName,
    contact_email: input.email,
    contact_postal: input.postalAddress,
    contact_phone: input.phone,
    about: input.about,
    their_reference: input.theirReference,
    on_behalf_of_name: forSomeone ? input.onBehalfName : null,
    on_behalf_relationship: forSomeone ? input.onBehalfRelationship : null,
  };
}

function checkVersion(row: ComplaintRow, version: number): void {
  if (row.version !== version) {
    throw new ConflictError(
      'Someone else changed this complaint while you were working on it. Reload the page to see the change, then try again',
    );
  }
}

function notBefore(date: string, earliest: string, field: string, what: string, since: string) {
  if (date < earliest) {
    throw new ValidationError([
      { field, message: `${what} must be on or after the day ${since}, ${formatDate(earliest)}` },
    ]);
  }
}
