import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import type { CategorySlug } from '../../src/policy/index.js';
import { createPerson, organisationId } from './casework.js';
import { recordWith } from './people.js';

export interface KentCaseload {
  /** Kent SCS's organisation id. */
  organisationId: string;
  /** The demo's assessment team at Kent SCS. */
  teamId: string;
  /** Sam Social-Worker, the demo social worker in that team. */
  workerId: string;
  /**
   * A bare record of `category` (opened 1 January 2025) about a new
   * synthetic child, or about the people given (the first is the subject),
   * in the assessment team and allocated to the social worker unless
   * `unallocated`.
   */
  record(
    category: CategorySlug,
    about:
      { givenName: string; familyName: string; dateOfBirth?: string } | { personIds: string[] },
    options?: { unallocated?: boolean },
  ): Promise<{ recordId: string; personId: string }>;
}

/**
 * The demo data's Kent assessment team and its social worker, as the
 * browser tests of a practitioner's day use them (loadDemoData first):
 * found once, and records built the one way.
 */
export async function kentCaseload(db: Kysely<Database>): Promise<KentCaseload> {
  const kent = await organisationId(db, 'kent-scs');
  const assessment = await db
    .selectFrom('team')
    .select('id')
    .where('organisation_id', '=', kent)
    .where('slug', '=', 'assessment')
    .executeTakeFirstOrThrow();
  const worker = await db
    .selectFrom('account')
    .select('id')
    .where('email', '=', 'social.worker@kent-scs.example')
    .executeTakeFirstOrThrow();
  return {
    organisationId: kent,
    teamId: assessment.id,
    workerId: worker.id,
    async record(category, about, options = {}) {
      const personIds =
        'personIds' in about ? about.personIds : [await createPerson(db, 'kent-scs', about)];
      const recordId = await recordWith(db, {
        organisation: 'kent-scs',
        category,
        personIds,
        allocatedAccountId: options.unallocated ? null : worker.id,
        allocatedTeamId: assessment.id,
      });
      return { recordId, personId: personIds[0]! };
    },
  };
}
