import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { PeopleStore } from './store.js';
import type { Gender } from './tables.js';

/**
 * A person first known from a partner's file, one at a time, with the
 * identifiers and address the row gave. Imports write a chunk's new people
 * in bulk by the same rules (src/intake/write-rows.ts); this one is for a
 * single person in a caller's transaction (tests and fixtures set people
 * up with it, as an import would have made them).
 * An identifier already held by someone else here is not added (identifiers
 * are unique per organisation): the row was matched first, and a clash the
 * matcher let through is a conflict for a person to resolve on the record.
 */
export interface PartnerPerson {
  givenName: string;
  familyName: string;
  dateOfBirth: string | null;
  gender: Gender | null;
  addressLine1: string | null;
  postcode: string | null;
  nhsNumber: string | null;
  upn: string | null;
}

export async function createPersonFromPartner(
  trx: Transaction<Database>,
  organisationId: string,
  person: PartnerPerson,
): Promise<string> {
  const store = new PeopleStore(trx);
  const id = await store.create({
    organisationId,
    givenName: person.givenName,
    familyName: person.familyName,
    dateOfBirth: person.dateOfBirth,
    dateOfBirthPrecision: person.dateOfBirth ? 'exact' : null,
    dateOfDeath: null,
    gender: person.gender,
  });
  for (const [type, value] of [
    ['nhs-number', person.nhsNumber],
    ['upn', person.upn],
  ] as const) {
    if (value && (await store.identifierHolder(organisationId, type, value)) === undefined) {
      await store.addIdentifier(id, organisationId, type, value);
    }
  }
  if (person.addressLine1 || person.postcode) {
    await store.addAddress(id, {
      line1: person.addressLine1 ?? person.postcode ?? '',
      line2: null,
      town: null,
      postcode: person.postcode,
      fromDate: null,
      toDate: null,
    });
  }
  return id;
}
