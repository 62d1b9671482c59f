import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema.js';
import { canPeople } from '../platform/access/access.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import type { StaffContext } from '../platform/auth/service.js';
import { NotFoundError } from '../platform/errors/errors.js';
import { findDuplicatePeople, type DuplicatePair } from './linkage/duplicates.js';
import { thresholdsFor } from './linkage/thresholds.js';
import type { PeopleService } from './service.js';

/**
 * The duplicate-people job per organisation (issue 15, use 2): the likely
 * duplicates the matcher finds among the people held, each with its
 * probability and waterfall, for staff to merge (with the existing merge
 * and undo) or to mark as not one person, after which it is not listed
 * again. Only pairs whose two people the member of staff may see are
 * shown; every listing and decision is audited.
 */
export const DUPLICATES_SHOWN = 50;

export interface ShownPair extends DuplicatePair {
  people: [PairPerson, PairPerson];
}

interface PairPerson {
  id: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string | null;
}

const uuid = z.uuid();

export class DuplicateReview {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly people: PeopleService,
  ) {}

  async list(staff: StaffContext): Promise<{ pairs: ShownPair[]; people: number }> {
    const organisation = this.organisationOf(staff);
    const report = await findDuplicatePeople(this.db, organisation.id, {
      threshold: thresholdsFor(organisation.slug).review,
      matchThreshold: thresholdsFor(organisation.slug).autoLink,
    });
    const apart = await this.db
      .selectFrom('person_not_duplicate')
      .select(['person_a', 'person_b'])
      .where('organisation_id', '=', organisation.id)
      .execute();
    const decided = new Set(apart.map((p) => `${p.person_a}|${p.person_b}`));
    const pairs: ShownPair[] = [];
    for (const pair of report.pairs) {
      if (pairs.length >= DUPLICATES_SHOWN) break;
      const [a, b] = ordered(pair.a, pair.b);
      if (decided.has(`${a}|${b}`)) continue;
      const shown = await this.visiblePeople(staff, [pair.a, pair.b]);
      if (shown) pairs.push({ ...pair, people: shown });
    }
    await this.audit(staff, organisation.id, 'person.duplicates.list', [
      ...new Set(pairs.flatMap((p) => [p.a, p.b])),
    ]);
    return { pairs, people: report.people };
  }

  /** One pair, side by side, with its waterfall; not found unless both are seen and still held. */
  async pair(staff: StaffContext, firstId: string, secondId: string): Promise<ShownPair> {
    const organisation = this.organisationOf(staff);
    if (!uuid.safeParse(firstId).success || !uuid.safeParse(secondId).success) {
      throw new NotFoundError();
    }
    const shown = await this.visiblePeople(staff, [firstId, secondId]);
    if (!shown || firstId === secondId) throw new NotFoundError();
    const report = await findDuplicatePeople(this.db, organisation.id, { threshold: 0 });
    const found = report.pairs.find(
      (p) => (p.a === firstId && p.b === secondId) || (p.a === secondId && p.b === firstId),
    );
    await this.audit(staff, organisation.id, 'person.duplicates.compare', [firstId, secondId]);
    if (!found) {
      // Blocking never compared them: nothing in common the matcher looks at.
      return {
        a: firstId,
        b: secondId,
        probability: 0,
        match: false,
        waterfall: { steps: [], weight: 0, probability: 0 },
        people: shown,
      };
    }
    return { ...found, people: found.a === firstId ? shown : [shown[1], shown[0]] };
  }

  async markNotSame(staff: StaffContext, firstId: string, secondId: string): Promise<void> {
    const organisation = this.organisationOf(staff);
    await this.pair(staff, firstId, secondId);
    const [a, b] = ordered(firstId, secondId);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('person_not_duplicate')
        .values({
          organisation_id: organisation.id,
          person_a: a,
          person_b: b,
          decided_by: staff.accountId,
        })
        .onConflict((oc) => oc.columns(['person_a', 'person_b']).doNothing())
        .execute();
      await recordAudit(trx, {
        action: 'person.duplicates.not-same',
        actorAccountId: staff.accountId,
        organisationId: organisation.id,
        objectType: 'person',
        objectIds: [a, b],
      });
    });
  }

  private organisationOf(staff: StaffContext) {
    const organisation = staff.organisation;
    if (!organisation || !canPeople(staff, 'person.write', organisation.id)) {
      throw new NotFoundError();
    }
    return organisation;
  }

  private async visiblePeople(
    staff: StaffContext,
    ids: [string, string],
  ): Promise<[PairPerson, PairPerson] | null> {
    if (!(await this.people.isVisible(staff, ids[0]))) return null;
    if (!(await this.people.isVisible(staff, ids[1]))) return null;
    const rows = await this.db
      .selectFrom('person')
      .select([
        'id',
        'given_name as givenName',
        'family_name as familyName',
        'date_of_birth as dateOfBirth',
      ])
      .where('id', 'in', ids)
      .where('merged_into_id', 'is', null)
      .execute();
    const first = rows.find((r) => r.id === ids[0]);
    const second = rows.find((r) => r.id === ids[1]);
    return first && second ? [first, second] : null;
  }

  private async audit(staff: StaffContext, organisationId: string, action: string, ids: string[]) {
    await this.db.transaction().execute((trx) =>
      recordAudit(trx, {
        action,
        actorAccountId: staff.accountId,
        organisationId,
        objectType: 'person',
        objectIds: ids,
      }),
    );
  }
}

function ordered(x: string, y: string): [string, string] {
  return x < y ? [x, y] : [y, x];
}
