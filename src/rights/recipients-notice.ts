/**
 * UK GDPR Art 19: after a rectification, erasure or restriction, each
 * recipient the data was disclosed to is told, unless that proves
 * impossible or involves disproportionate effort — and the person is told
 * who the recipients are if they ask. The recipients come from the
 * disclosure log (src/sharing), read-only; what was done about each is
 * recorded here against the request.
 */
import type { Selectable, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors/errors.js';
import { madeDisclosureStatuses } from '../sharing/disclosure-log.js';
import { sharedWith } from '../sharing/record-grants.js';
import type { NoticeOutcome, RightsRequestTable } from './tables.js';

/** The requests after which recipients are told (Art 19 names these three rights). */
export const noticeTypes: readonly Selectable<RightsRequestTable>['type'][] = [
  'rectification',
  'erasure',
  'consent-withdrawal',
  'restriction',
];

export interface Recipient {
  disclosureId: string;
  recipient: string;
  disclosedOn: Date;
  purpose: string;
  kind: 'grant' | 'package';
  recordIds: string[];
  notice: {
    outcome: NoticeOutcome;
    toldOn: string | null;
    method: string | null;
    reason: string | null;
    recordedAt: Date;
  } | null;
}

export interface NoticeInput {
  disclosureId: string;
  outcome: NoticeOutcome;
  toldOn?: string | undefined;
  method?: string | undefined;
  reason?: string | undefined;
}

/** The records the request is about: the confirmed subject's, and any it restricted. */
async function recordsOfRequest(
  trx: Transaction<Database>,
  organisationId: string,
  request: Selectable<RightsRequestTable>,
): Promise<string[]> {
  const ids = new Set<string>();
  if (request.subject_person_id) {
    const rows = await trx
      .selectFrom('record_party as rp')
      .innerJoin('case_record as cr', 'cr.id', 'rp.record_id')
      .select('cr.id')
      .where('rp.person_id', '=', request.subject_person_id)
      .where('cr.organisation_id', '=', organisationId)
      .execute();
    rows.forEach((r) => ids.add(r.id));
  }
  const restricted = await trx
    .selectFrom('restriction')
    .select(['record_id', 'person_id'])
    .where('request_id', '=', request.id)
    .execute();
  for (const r of restricted) {
    if (r.record_id) ids.add(r.record_id);
    if (r.person_id) {
      const rows = await trx
        .selectFrom('record_party as rp')
        .innerJoin('case_record as cr', 'cr.id', 'rp.record_id')
        .select('cr.id')
        .where('rp.person_id', '=', r.person_id)
        .where('cr.organisation_id', '=', organisationId)
        .execute();
      rows.forEach((row) => ids.add(row.id));
    }
  }
  return [...ids];
}

/** Every recipient the request's data was disclosed to, with what was recorded about telling them. */
export async function recipientsOf(
  trx: Transaction<Database>,
  organisationId: string,
  request: Selectable<RightsRequestTable>,
): Promise<Recipient[]> {
  if (!noticeTypes.includes(request.type)) return [];
  const byDisclosure = new Map<string, Recipient>();
  for (const recordId of await recordsOfRequest(trx, organisationId, request)) {
    for (const entry of await sharedWith(trx, recordId)) {
      if (!(madeDisclosureStatuses as readonly string[]).includes(entry.status)) continue;
      const recipient = byDisclosure.get(entry.disclosureId) ?? {
        disclosureId: entry.disclosureId,
        recipient: entry.recipient,
        disclosedOn: entry.on,
        purpose: entry.purpose,
        kind: entry.kind,
        recordIds: [],
        notice: null,
      };
      recipient.recordIds.push(recordId);
      byDisclosure.set(entry.disclosureId, recipient);
    }
  }
  const notices = await trx
    .selectFrom('rights_recipient_notice')
    .selectAll()
    .where('request_id', '=', request.id)
    .execute();
  for (const n of notices) {
    const recipient = byDisclosure.get(n.disclosure_id);
    if (!recipient) continue;
    recipient.notice = {
      outcome: n.outcome,
      toldOn: n.told_on,
      method: n.method,
      reason: n.reason,
      recordedAt: n.recorded_at,
    };
  }
  return [...byDisclosure.values()].sort(
    (a, b) =>
      a.disclosedOn.getTime() - b.disclosedOn.getTime() ||
      a.disclosureId.localeCompare(b.disclosureId),
  );
}

/** Records that a recipient was told (when, how), or why telling them is not possible. */
export async function recordNotice(
  trx: Transaction<Database>,
  ctx: { organisationId: string; actorAccountId: string; today: string },
  request: Selectable<RightsRequestTable>,
  input: NoticeInput,
): Promise<void> {
  const recipients = await recipientsOf(trx, ctx.organisationId, request);
  const recipient = recipients.find((r) => r.disclosureId === input.disclosureId);
  if (!recipient) throw new NotFoundError('That recipient did not receive this person’s data');
  if (recipient.notice) throw new ConflictError('What was done about this recipient is recorded');
  const method = input.method?.trim() ?? '';
  const reason = input.reason?.trim() ?? '';
  if (input.outcome === 'told') {
    const errors = [
      ...(input.toldOn ? [] : [{ field: 'toldOn', message: 'Enter the date they were told' }]),
      ...(method ? [] : [{ field: 'method', message: 'Say how they were told' }]),
    ];
    if (errors.length > 0) throw new ValidationError(errors);
    if (input.toldOn && input.toldOn > ctx.today) {
      throw new ValidationError([
        { field: 'toldOn', message: 'The date they were told cannot be in the future' },
      ]);
    }
  } else if (reason.length < 10) {
    throw new ValidationError([
      {
        field: 'reason',
        message:
          input.outcome === 'impossible'
            ? 'Say why telling them is impossible (at least 10 characters)'
            : 'Say why telling them would take disproportionate effort (at least 10 characters)',
      },
    ]);
  }
  await trx
    .insertInto('rights_recipient_notice')
    .values({
      request_id: request.id,
      disclosure_id: recipient.disclosureId,
      outcome: input.outcome,
      told_on: input.outcome === 'told' ? (input.toldOn ?? null) : null,
      method: input.outcome === 'told' ? method : null,
      reason: input.outcome === 'told' ? null : reason,
      recorded_by: ctx.actorAccountId,
    })
    .execute();
  await recordAudit(trx, {
    action: `rights.recipient.${input.outcome}`,
    actorAccountId: ctx.actorAccountId,
    organisationId: ctx.organisationId,
    objectType: 'disclosure',
    objectIds: [request.id, recipient.disclosureId],
    purpose: 'rights-request',
  });
}
