/**
 * Creating and changing a record's own fields: its dates, allocation,
 * retention facts and detail, each change kept in the record's history and
 * a changed retention fact reassessed at once.
 */
import type { Transaction } from 'kysely';
import type { z } from 'zod';
import type { Database } from '../db/schema.js';
import { decideRecord, type RecordScope } from '../platform/access/access.js';
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
  isCategorySlug,
  isOrganisationSlug,
  type CategorySlug,
  type OrganisationSlug,
} from '../policy/index.js';
import { OBJECTION_UPHELD_MESSAGE, upheldObjectionFor } from '../rights/restriction.js';
import {
  detailSchemas,
  factColumns,
  factLabels,
  recordDateFacts,
  recordFactsFor,
  type RecordFact,
} from './categories.js';
import { PERSON_NOT_FOUND } from './record-access.js';
import { staffOrganisation } from './record-scope.js';
import { assessAndStoreRetention } from './retention.js';
import {
  createRecordSchema,
  parse,
  updateRecordSchema,
  type CreateRecordInput,
  type UpdateRecordInput,
} from './schemas.js';
import type { CaseworkService } from './service.js';
import { CaseworkStore, type RecordRow } from './store.js';

/** An edit made on a version of the record that is no longer the latest: nothing is saved. */
export function staleVersionError(): ConflictError {
  return new ConflictError(
    'This record has been changed by someone else since you opened it. Nothing has been saved: open the record again to see the latest version, then make your change again.',
  );
}

/** What the change history shows for a value: dates and codes as they are, objects as JSON. */
function historyValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** Creates a record in the staff member's organisation; returns its id. */
export async function createRecord(
  casework: CaseworkService,
  staff: StaffContext,
  raw: CreateRecordInput,
): Promise<string> {
  const organisation = staffOrganisation(staff);
  const input = parse(createRecordSchema, raw);
  // A record cannot be saved in a category its organisation's policy lacks
  // (design.md principle 3): without it there is no purpose, lawful basis
  // or retention rule.
  const category = findCategory(organisation.slug, input.category);
  if (!category) {
    throw new ValidationError([
      {
        field: 'category',
        message: `${staff.organisation?.shortName ?? 'This organisation'} does not hold records of the category “${input.category}” in its privacy notice, so a record cannot be saved in it`,
      },
    ]);
  }
  const detail = validDetail(input.category, input.detail);
  const facts = validFacts(organisation.slug, input.category, input.facts);
  const allocatedAccountId =
    input.allocatedAccountId === undefined ? staff.accountId : input.allocatedAccountId;
  const allocatedTeamId =
    input.allocatedTeamId === undefined ? (staff.teams[0]?.id ?? null) : input.allocatedTeamId;
  if (input.closedOn && input.closedOn < input.openedOn) {
    throw new ValidationError([
      { field: 'closedOn', message: 'The date closed must be on or after the date opened' },
    ]);
  }
  const scope: RecordScope = {
    organisationId: organisation.id,
    category: input.category,
    allocatedAccountId,
    allocatedTeamId,
    // No record yet; a restricted subject is refused by isVisible below.
    restricted: false,
    state: 'active',
  };
  if (!decideRecord(staff, 'write', scope).allowed) {
    throw new ForbiddenError(`You cannot create ${category.name.toLowerCase()} records`);
  }

  // Need-to-know covers who a record may be opened for (decision 0005): a
  // person the creator cannot already see answers exactly as one that does
  // not exist, or creating a record would open them to the creator.
  const subjectVisible = await casework.people.isVisible(staff, input.subjectPersonId);

  return casework.db.transaction().execute(async (trx) => {
    const store = new CaseworkStore(trx);
    await checkAllocation(store, organisation.id, allocatedAccountId, allocatedTeamId);
    const subject = await store.person(input.subjectPersonId);
    if (!subjectVisible || !subject || subject.organisation_id !== organisation.id) {
      throw new ValidationError([{ field: 'subjectPersonId', message: PERSON_NOT_FOUND }]);
    }
    if (await upheldObjectionFor(trx, subject.id, input.category)) {
      throw new ValidationError([{ field: 'subjectPersonId', message: OBJECTION_UPHELD_MESSAGE }]);
    }
    const { id } = await trx
      .insertInto('case_record')
      .values({
        organisation_id: organisation.id,
        category: input.category,
        opened_on: input.openedOn,
        closed_on: input.closedOn ?? null,
        created_by: staff.accountId,
        allocated_account_id: allocatedAccountId,
        allocated_team_id: allocatedTeamId,
        detail: JSON.stringify(detail),
        ...factColumnValues(facts),
        // Maidstone's seven years run from the date the concern was logged
        // (decision 0002): recorded on opening unless given.
        ...(input.category === 'safeguarding-concern' && !facts.recordedDate
          ? { recorded_date: input.openedOn }
          : {}),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('record_party')
      .values({ record_id: id, person_id: subject.id, role: 'subject' })
      .execute();
    await assessAndStoreRetention(trx, id, casework.today());
    await recordAudit(trx, {
      action: 'record.create',
      actorAccountId: staff.accountId,
      organisationId: organisation.id,
      objectType: 'case-record',
      objectIds: [id, subject.id],
      purpose: 'casework',
    });
    return id;
  });
}

/**
 * Edits a record made on `version`. A stale version is refused and nothing
 * is written (design.md principle 8). Each changed field is kept in the
 * change history; a changed retention fact reassesses retention at once.
 */
export async function updateRecord(
  casework: CaseworkService,
  staff: StaffContext,
  recordId: string,
  raw: UpdateRecordInput,
): Promise<number> {
  const input = parse(updateRecordSchema, raw);
  return casework.withRecord(staff, recordId, 'write', async (trx, record) => {
    const { version } = await applyUpdate(casework, trx, staff, record, input, {
      action: 'record.update',
      purpose: 'casework',
      objectIds: [record.id],
    });
    return version;
  });
}

/**
 * Gives a record to a worker (and a team), made on `version`: decided,
 * locked and changed in one transaction and audited once, as
 * `record.update` — the same rules as `update`. It reads nothing the
 * record says, so there is no read to audit: the allocation page that
 * shows the record is the read (issue 13; decision 0044). `choose` sees
 * the decided, locked record and returns the allocation, or throws.
 */
export async function allocateRecord(
  casework: CaseworkService,
  staff: StaffContext,
  recordId: string,
  version: unknown,
  choose: (record: RecordRow) => { allocatedAccountId: string; allocatedTeamId?: string | null },
): Promise<number> {
  return casework.withRecord(staff, recordId, 'write', async (trx, record) => {
    const input = parse(updateRecordSchema, { version, ...choose(record) });
    const { version: next } = await applyUpdate(casework, trx, staff, record, input, {
      action: 'record.update',
      purpose: 'casework',
      objectIds: [record.id],
    });
    return next;
  });
}

/** One edit of a record, locked and loaded by withRecord: the rules every change of its fields follows. */
export async function applyUpdate(
  casework: CaseworkService,
  trx: Transaction<Database>,
  staff: StaffContext,
  record: RecordRow,
  input: z.output<typeof updateRecordSchema>,
  audit: { action: string; purpose: string; objectIds: string[] },
): Promise<{ version: number; fields: string[] }> {
  if (record.version !== input.version) throw staleVersionError();
  const organisation = await new CaseworkStore(trx).organisationSlug(record.organisation_id);
  if (!isOrganisationSlug(organisation) || !isCategorySlug(record.category)) {
    throw new NotFoundError();
  }
  const category = record.category;
  const changes: { field: string; from: unknown; to: unknown }[] = [];
  const set: Record<string, unknown> = {};
  const change = (field: string, column: string, from: unknown, to: unknown) => {
    if (historyValue(from) === historyValue(to)) return;
    changes.push({ field, from, to });
    set[column] = to;
  };

  if (input.openedOn !== undefined)
    change('openedOn', 'opened_on', record.opened_on, input.openedOn);
  if (input.closedOn !== undefined)
    change('closedOn', 'closed_on', record.closed_on, input.closedOn);
  const openedOn = (set.opened_on as string | undefined) ?? record.opened_on;
  const closedOn = 'closed_on' in set ? (set.closed_on as string | null) : record.closed_on;
  if (closedOn && closedOn < openedOn) {
    throw new ValidationError([
      { field: 'closedOn', message: 'The date closed must be on or after the date opened' },
    ]);
  }
  if (input.allocatedAccountId !== undefined || input.allocatedTeamId !== undefined) {
    const account =
      input.allocatedAccountId !== undefined
        ? input.allocatedAccountId
        : record.allocated_account_id;
    const team =
      input.allocatedTeamId !== undefined ? input.allocatedTeamId : record.allocated_team_id;
    await checkAllocation(new CaseworkStore(trx), record.organisation_id, account, team);
    change('allocatedAccountId', 'allocated_account_id', record.allocated_account_id, account);
    change('allocatedTeamId', 'allocated_team_id', record.allocated_team_id, team);
  }
  if (input.facts !== undefined) {
    const facts = validFacts(organisation, category, input.facts);
    for (const fact of recordDateFacts) {
      if (facts[fact] === undefined) continue;
      change(`facts.${fact}`, factColumns[fact], record[factColumns[fact]], facts[fact]);
    }
    if (facts.childDied !== undefined)
      change('facts.childDied', 'child_died', record.child_died, facts.childDied);
    if (facts.outcome !== undefined)
      change('facts.outcome', 'outcome', record.outcome, facts.outcome);
  }
  if (input.detail !== undefined || input.detailPatch !== undefined) {
    const before = (record.detail ?? {}) as Record<string, unknown>;
    const merged = Object.fromEntries(
      Object.entries({ ...(input.detail ?? before), ...input.detailPatch }).filter(
        ([, value]) => value !== null && value !== undefined,
      ),
    );
    const after = validDetail(category, merged);
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    let detailChanged = false;
    for (const key of [...keys].sort()) {
      if (historyValue(before[key]) !== historyValue(after[key])) {
        changes.push({ field: `detail.${key}`, from: before[key], to: after[key] });
        detailChanged = true;
      }
    }
    if (detailChanged) set.detail = JSON.stringify(after);
  }
  if (changes.length === 0) return { version: record.version, fields: [] };

  const updated = await trx
    .updateTable('case_record')
    .set({ ...set, version: record.version + 1, updated_at: casework.now() })
    .where('id', '=', record.id)
    .where('version', '=', input.version)
    .returning('version')
    .executeTakeFirst();
  if (!updated) throw staleVersionError();
  await trx
    .insertInto('record_change')
    .values(
      changes.map((c) => ({
        record_id: record.id,
        version: updated.version,
        field: c.field,
        from_value: historyValue(c.from),
        to_value: historyValue(c.to),
        changed_by: staff.accountId,
        changed_at: casework.now(),
      })),
    )
    .execute();
  if (changes.some((c) => c.field === 'closedOn' || c.field.startsWith('facts.'))) {
    await assessAndStoreRetention(trx, record.id, casework.today());
  }
  await recordAudit(trx, {
    ...audit,
    actorAccountId: staff.accountId,
    organisationId: record.organisation_id,
    objectType: 'case-record',
  });
  return { version: updated.version, fields: changes.map((c) => c.field) };
}

function validDetail(category: CategorySlug, detail: unknown): Record<string, unknown> {
  const result = detailSchemas[category].safeParse(detail ?? {});
  if (result.success) return result.data;
  throw new ValidationError(
    result.error.issues.map((issue) => ({
      field: ['detail', ...issue.path.map(String)].join('.'),
      message: issue.message,
    })),
  );
}

/** Only the facts the category's retention reads may be recorded on it. */
function validFacts(
  organisation: OrganisationSlug,
  category: CategorySlug,
  facts: Partial<Record<RecordFact, string | boolean | null | undefined>>,
) {
  const allowed = new Set(recordFactsFor(organisation, category));
  const errors: FieldError[] = [];
  for (const [name, value] of Object.entries(facts)) {
    if (value !== undefined && value !== null && !allowed.has(name as RecordFact)) {
      errors.push({
        field: `facts.${name}`,
        message: `${factLabels[name as RecordFact] ?? name} is not recorded on this category of record`,
      });
    }
  }
  if (errors.length) throw new ValidationError(errors);
  return facts as Partial<Record<RecordFact, string | boolean | null>> & {
    childDied?: boolean | null;
    outcome?: string | null;
  };
}

function factColumnValues(facts: Partial<Record<RecordFact, string | boolean | null>>) {
  const values: Record<string, string | boolean | null> = {};
  for (const fact of recordDateFacts) {
    const value = facts[fact];
    if (typeof value === 'string') values[factColumns[fact]] = value;
  }
  if (typeof facts.childDied === 'boolean') values.child_died = facts.childDied;
  if (typeof facts.outcome === 'string') values.outcome = facts.outcome;
  return values;
}

async function checkAllocation(
  store: CaseworkStore,
  organisationId: string,
  accountId: string | null,
  teamId: string | null,
) {
  const errors: FieldError[] = [];
  if (accountId && !(await store.isMember(accountId, organisationId))) {
    errors.push({ field: 'allocatedAccountId', message: 'Choose a worker in your organisation' });
  }
  if (teamId && !(await store.teamInOrganisation(teamId, organisationId))) {
    errors.push({ field: 'allocatedTeamId', message: 'Choose a team in your organisation' });
  }
  if (errors.length) throw new ValidationError(errors);
}
