/**
 * Art 16 and 19 on a request: correcting and completing what is held about
 * the confirmed subject (facts about them, identifiers, addresses, a
 * record's facts) through the people and casework services, whose checks,
 * history and retention recompute apply, each in the request's transaction
 * with its event on the request and an audit event of ids only; and
 * annotating what is disputed rather than changed (rectification.ts).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { joinTransaction } from '../db/joined-transaction.js';
import type { StaffContext } from '../platform/auth/service.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import type { RecordCorrectionInput } from '../casework/schemas.js';
import { CaseworkService } from '../casework/service.js';
import type { IdentifierInput } from '../people/schemas.js';
import { PeopleService } from '../people/service.js';
import {
  annotate,
  checkRectifiable,
  correctedFactsNote,
  personEntryNotes,
  rectificationScope,
  type AnnotationInput,
  type PersonEntryCorrection,
} from './rectification.js';
import { loadRequest, recordRequestEvent, rightsOrganisation } from './request-store.js';

const PURPOSE = 'rights-request';

/** Facts about the confirmed person a rectification may correct; undefined keeps what is held. */
export interface PersonCorrection {
  version: number;
  givenName?: string | undefined;
  familyName?: string | undefined;
  dateOfBirth?: string | null | undefined;
  dateOfDeath?: string | null | undefined;
}

export class RightsRectification {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly today: () => string,
  ) {}

  /** Art 16: what the person disputes, or their statement on a refusal, attached to a record or note. */
  async annotate(staff: StaffContext, id: string, input: AnnotationInput): Promise<string> {
    const organisation = rightsOrganisation(staff, 'rights.manage');
    return this.db.transaction().execute(async (trx) => {
      const row = await loadRequest(trx, organisation.id, id);
      const annotationId = await annotate(
        trx,
        { organisationId: organisation.id, actorAccountId: staff.accountId },
        row,
        input,
      );
      await recordRequestEvent(trx, staff, id, { kind: `annotated-${input.kind}` });
      return annotationId;
    });
  }

  /**
   * Art 16: corrects facts about the confirmed person through the people
   * service (history kept, retention recomputed), inside this request's
   * transaction so the correction and its record on the request go together.
   */
  async rectifyPerson(staff: StaffContext, id: string, input: PersonCorrection): Promise<number> {
    const organisation = rightsOrganisation(staff, 'rights.manage');
    return this.db.transaction().execute(async (trx) => {
      const row = await loadRequest(trx, organisation.id, id);
      const personId = checkRectifiable(row);
      const person = await trx
        .selectFrom('person')
        .select([
          'given_name',
          'family_name',
          'date_of_birth',
          'date_of_birth_precision',
          'date_of_death',
          'gender',
        ])
        .where('id', '=', personId)
        .executeTakeFirstOrThrow();
      const dateOfBirth =
        input.dateOfBirth === undefined ? person.date_of_birth : input.dateOfBirth;
      const version = await new PeopleService(joinTransaction(trx)).update(
        staff,
        personId,
        {
          version: input.version,
          givenName: input.givenName ?? person.given_name,
          familyName: input.familyName ?? person.family_name,
          dateOfBirth,
          dateOfBirthPrecision:
            input.dateOfBirth === undefined
              ? person.date_of_birth_precision
              : dateOfBirth
                ? 'exact'
                : null,
          dateOfDeath: input.dateOfDeath === undefined ? person.date_of_death : input.dateOfDeath,
          gender: person.gender,
        },
        // An Art 18(1)(a) restriction on the person does not block this correction (access.ts).
        rectificationScope(row),
      );
      const changed = await trx
        .selectFrom('person_change')
        .select('field')
        .where('person_id', '=', personId)
        .where('version', '=', version)
        .execute();
      await recordRequestEvent(trx, staff, id, {
        kind: 'rectified-person',
        note: changed.length
          ? `Corrected: ${changed.map((c) => c.field.replace(/_/g, ' ')).join(', ')}`
          : 'Nothing needed changing',
      });
      await recordAudit(trx, {
        action: 'rights.rectification.person',
        actorAccountId: staff.accountId,
        organisationId: organisation.id,
        objectType: 'person',
        objectIds: [personId, id],
        purpose: PURPOSE,
      });
      return version;
    });
  }

  /**
   * Art 16(2), completing incomplete data: an identifier or address the
   * person says is missing (a wrong one is superseded, its dates saying
   * when), added through the people service, whose checks (an identifier
   * held for someone else is refused) apply — in this request's transaction.
   */
  async completePerson(
    staff: StaffContext,
    id: string,
    input:
      | { kind: 'identifier'; identifier: IdentifierInput }
      | { kind: 'address'; address: Parameters<PeopleService['addAddress']>[2] },
  ): Promise<string> {
    const organisation = rightsOrganisation(staff, 'rights.manage');
    return this.db.transaction().execute(async (trx) => {
      const row = await loadRequest(trx, organisation.id, id);
      const personId = checkRectifiable(row);
      const people = new PeopleService(joinTransaction(trx));
      const added =
        input.kind === 'identifier'
          ? await people.addIdentifier(staff, personId, input.identifier, rectificationScope(row))
          : await people.addAddress(staff, personId, input.address, rectificationScope(row));
      await recordRequestEvent(trx, staff, id, {
        kind: 'rectified-person',
        note: input.kind === 'identifier' ? 'Identifier added' : 'Address added',
      });
      await recordAudit(trx, {
        action: `rights.rectification.${input.kind}`,
        actorAccountId: staff.accountId,
        organisationId: organisation.id,
        objectType: 'person',
        objectIds: [personId, id, added],
        purpose: PURPOSE,
      });
      return added;
    });
  }

  /**
   * Art 16: corrects a fact of a record in the confirmed subject's file
   * (its dates, outcome, whether the child died) through casework's own
   * update — optimistic locking, field history, retention recomputed — as
   * the access function allows for this request (decideRectification), in
   * this request's transaction so the correction and its record go together.
   */
  async rectifyRecord(
    staff: StaffContext,
    id: string,
    recordId: string,
    input: RecordCorrectionInput,
  ): Promise<number> {
    const organisation = rightsOrganisation(staff, 'rights.manage');
    return this.db.transaction().execute(async (trx) => {
      const row = await loadRequest(trx, organisation.id, id);
      checkRectifiable(row);
      const casework = new CaseworkService(joinTransaction(trx), { today: () => this.today() });
      const { version, fields } = await casework.correctForRectification(
        staff,
        recordId,
        input,
        rectificationScope(row),
      );
      await recordRequestEvent(trx, staff, id, {
        kind: 'rectified-record',
        // Which facts, never their values: the request's timeline is not the record.
        note: fields.length ? correctedFactsNote(fields) : 'Nothing needed changing',
      });
      await recordAudit(trx, {
        action: 'rights.rectification.record',
        actorAccountId: staff.accountId,
        organisationId: organisation.id,
        objectType: 'case-record',
        objectIds: [recordId, id],
        purpose: PURPOSE,
      });
      return version;
    });
  }

  /** The facts of a record in the subject's file, to correct them (Art 16); audited with the request. */
  async recordToRectify(staff: StaffContext, id: string, recordId: string) {
    const organisation = rightsOrganisation(staff, 'rights.manage');
    return this.db.transaction().execute(async (trx) => {
      const row = await loadRequest(trx, organisation.id, id);
      checkRectifiable(row);
      return new CaseworkService(joinTransaction(trx)).factsForRectification(
        staff,
        recordId,
        rectificationScope(row),
      );
    });
  }

  /** The confirmed person's identifiers and addresses, to correct them (read through people, audited). */
  async subjectEntries(staff: StaffContext, id: string) {
    const organisation = rightsOrganisation(staff, 'rights.manage');
    return this.db.transaction().execute(async (trx) => {
      const row = await loadRequest(trx, organisation.id, id);
      const personId = checkRectifiable(row);
      const person = await new PeopleService(joinTransaction(trx)).get(
        staff,
        personId,
        rectificationScope(row),
      );
      return {
        personId,
        name: `${person.givenName} ${person.familyName}`,
        identifiers: person.identifiers,
        addresses: person.addresses,
      };
    });
  }

  /**
   * Art 16: a wrong identifier or address removed from the confirmed person
   * (or an address ended on the date they moved out) through the people
   * service, which keeps what it was in the person's history.
   */
  async rectifyPersonEntry(
    staff: StaffContext,
    id: string,
    input: PersonEntryCorrection,
  ): Promise<void> {
    const organisation = rightsOrganisation(staff, 'rights.manage');
    await this.db.transaction().execute(async (trx) => {
      const row = await loadRequest(trx, organisation.id, id);
      const personId = checkRectifiable(row);
      const people = new PeopleService(joinTransaction(trx));
      const scope = rectificationScope(row);
      if (input.kind === 'remove-identifier') {
        await people.removeIdentifier(staff, personId, input.entryId, scope);
      } else if (input.kind === 'remove-address') {
        await people.removeAddress(staff, personId, input.entryId, scope);
      } else {
        await people.endAddress(staff, personId, input.entryId, input.toDate, scope);
      }
      await recordRequestEvent(trx, staff, id, {
        kind: 'rectified-person',
        note: personEntryNotes[input.kind],
      });
      await recordAudit(trx, {
        action: `rights.rectification.${input.kind}`,
        actorAccountId: staff.accountId,
        organisationId: organisation.id,
        objectType: 'person',
        objectIds: [personId, id, input.entryId],
        purpose: PURPOSE,
      });
    });
  }
}
