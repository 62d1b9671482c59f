import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { CasePerson } from './types.js';

/**
 * What Safekeep knows about the people of a practice review, for the
 * redaction engine (issue 14: "Safekeep knows far more than a generic tool
 * about who must not be identifiable"): every party to the review's record
 * with every name they have been known by (current, previous, alias), date
 * of birth and death, every address and identifier; and the practitioners
 * who contributed to the review. Each gets the label a published review
 * would give them, which the reviewer can change.
 *
 * Read inside the caller's transaction, after the access decision on the
 * review: nothing here decides who may see it.
 */
export async function reviewPeople(
  trx: Transaction<Database>,
  recordId: string,
  reviewId: string,
): Promise<CasePerson[]> {
  const parties = await trx
    .selectFrom('record_party')
    .innerJoin('person', 'person.id', 'record_party.person_id')
    .select([
      'person.id',
      'record_party.role',
      'person.given_name',
      'person.family_name',
      'person.date_of_birth',
      'person.date_of_death',
      'person.gender',
    ])
    .where('record_party.record_id', '=', recordId)
    .orderBy('record_party.added_at')
    .orderBy('person.id')
    .execute();
  const ids = parties.map((p) => p.id);
  const [names, addresses, identifiers] = ids.length
    ? await Promise.all([
        trx
          .selectFrom('person_name')
          .select(['person_id', 'given_name', 'family_name'])
          .where('person_id', 'in', ids)
          .execute(),
        trx
          .selectFrom('person_address')
          .select(['person_id', 'line1', 'line2', 'town', 'postcode'])
          .where('person_id', 'in', ids)
          .execute(),
        trx
          .selectFrom('person_identifier')
          .select(['person_id', 'value'])
          .where('person_id', 'in', ids)
          .execute(),
      ])
    : [[], [], []];
  const labels = new Labeller();
  const people: CasePerson[] = parties.map((party) => ({
    label: labels.next(party.role, party.gender),
    names: unique([
      `${party.given_name} ${party.family_name}`,
      ...names
        .filter((n) => n.person_id === party.id)
        .map((n) => `${n.given_name} ${n.family_name}`),
    ]),
    dateOfBirth: party.date_of_birth ?? undefined,
    dateOfDeath: party.date_of_death ?? undefined,
    addresses: addresses
      .filter((a) => a.person_id === party.id)
      .map((a) => [a.line1, a.line2, a.town, a.postcode].filter(Boolean).join(', ')),
    identifiers: identifiers.filter((i) => i.person_id === party.id).map((i) => i.value),
    schools: [],
  }));
  // Contributing practitioners are anonymised by role in a published
  // review; the lead reviewer and the panel are named by the partnership.
  const practitioners = await trx
    .selectFrom('practice_review_appointment')
    .select(['name'])
    .where('review_id', '=', reviewId)
    .where('role', '=', 'practitioner')
    .orderBy('appointed_on')
    .orderBy('id')
    .execute();
  for (const practitioner of practitioners) {
    people.push({
      label: labels.next('professional', null),
      names: [practitioner.name],
      addresses: [],
      identifiers: [],
      schools: [],
    });
  }
  return people;
}

/** "Child A", "Child B", "Mother", "Father", "Practitioner 1"… as a review labels people. */
class Labeller {
  private children = 0;
  private used = new Set<string>();
  private counts = new Map<string, number>();

  next(role: string, gender: string | null): string {
    if (role === 'subject' || role === 'child' || role === 'sibling') {
      return this.take(`Child ${String.fromCharCode(65 + (this.children++ % 26))}`);
    }
    const base =
      role === 'parent'
        ? gender === 'female'
          ? 'Mother'
          : gender === 'male'
            ? 'Father'
            : 'Parent'
        : ({
            carer: 'Carer',
            'foster-parent': 'Foster carer',
            'family-member': 'Relative',
            friend: 'Family friend',
            'other-adult': 'Adult',
            professional: 'Practitioner',
            referrer: 'Referrer',
          }[role] ?? 'Adult');
    if (base === 'Mother' || base === 'Father' || base === 'Referrer') {
      if (!this.used.has(base)) return this.take(base);
    }
    return this.numbered(base);
  }

  private numbered(base: string): string {
    let n = this.counts.get(base) ?? 0;
    let label: string;
    do label = `${base} ${++n}`;
    while (this.used.has(label));
    this.counts.set(base, n);
    return this.take(label);
  }

  private take(label: string): string {
    this.used.add(label);
    return label;
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values.map((v) => v.trim()).filter(Boolean))];
}
