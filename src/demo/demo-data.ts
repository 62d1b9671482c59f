import { faker } from '@faker-js/faker/locale/en';
import type { Kysely } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import type { Database } from '../db/schema.js';
import { grantRoles } from '../platform/access/role-holders.js';
import type { RoleSlug } from '../platform/access/roles.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import { createDemoRecords } from '../casework/demo.js';
import { createDemoPeople } from '../people/demo.js';
import { createDemoPracticeReviews } from '../practice-reviews/demo.js';
import { createDemoRightsRequests } from '../rights/demo.js';
import { seedAgreements } from '../sharing/agreements.js';
import { hashPassword } from '../platform/auth/passwords.js';
import { acknowledgeConfidentialityFor } from '../platform/auth/service.js';
import type { OrganisationSlug } from '../policy/index.js';

/**
 * Synthetic demo data: staff, teams, people and records for the five bodies.
 * Faker with a fixed seed, so every first start builds the same world. No
 * real people: names come from faker, and no real identifiers are made.
 */
export const DEMO_PASSWORD = 'demo-password-not-for-real-use';

interface DemoStaff {
  email: string;
  displayName: string;
  memberships: { organisation: OrganisationSlug; role: RoleSlug; team?: string }[];
}

export const demoStaff: readonly DemoStaff[] = [
  {
    email: 'social.worker@kent-scs.example',
    displayName: 'Sam Social-Worker',
    memberships: [{ organisation: 'kent-scs', role: 'practitioner', team: 'assessment' }],
  },
  {
    email: 'team.manager@kent-scs.example',
    displayName: 'Taylor Team-Manager',
    memberships: [{ organisation: 'kent-scs', role: 'team-manager', team: 'assessment' }],
  },
  {
    email: 'adoption.worker@kent-scs.example',
    displayName: 'Avery Adoption',
    memberships: [{ organisation: 'kent-scs', role: 'practitioner', team: 'adoption' }],
  },
  {
    email: 'care.worker@kent-scs.example',
    displayName: 'Casey Care',
    memberships: [{ organisation: 'kent-scs', role: 'practitioner', team: 'children-in-care' }],
  },
  {
    email: 'ig.officer@kent-scs.example',
    displayName: 'Indira Governance',
    memberships: [{ organisation: 'kent-scs', role: 'information-governance' }],
  },
  {
    email: 'lado@kent-lado.example',
    displayName: 'Lee LADO',
    memberships: [{ organisation: 'kent-lado', role: 'lado-officer' }],
  },
  {
    email: 'lado.manager@kent-lado.example',
    displayName: 'Morgan Manager',
    memberships: [{ organisation: 'kent-lado', role: 'team-manager' }],
  },
  {
    email: 'business@kscmp.example',
    displayName: 'Bailey Business',
    memberships: [{ organisation: 'kscmp', role: 'partnership-business' }],
  },
  {
    email: 'dpo@kscmp.example',
    displayName: 'Dana Protection',
    memberships: [
      { organisation: 'kscmp', role: 'data-protection-officer' },
      { organisation: 'kent-scs', role: 'data-protection-officer' },
    ],
  },
  {
    email: 'business@sscp.example',
    displayName: 'Sasha Somerset',
    memberships: [{ organisation: 'sscp', role: 'partnership-business' }],
  },
  {
    // Every SSCP record waits for a person to review it (the notice publishes
    // no periods): without this account nobody could open SSCP's retention page.
    email: 'ig@sscp.example',
    displayName: 'Rory Records',
    memberships: [{ organisation: 'sscp', role: 'information-governance' }],
  },
  {
    email: 'dso@maidstone-bc.example',
    displayName: 'Drew Designated',
    memberships: [{ organisation: 'maidstone-bc', role: 'designated-safeguarding-officer' }],
  },
  {
    // Maidstone's rights requests: governance cannot read the concern log,
    // so the designated safeguarding officer gathers (decision record 0023).
    email: 'ig@maidstone-bc.example',
    displayName: 'Morgan Maidstone-Governance',
    memberships: [{ organisation: 'maidstone-bc', role: 'information-governance' }],
  },
  {
    email: 'dpo@maidstone-bc.example',
    displayName: 'Devon Maidstone-DPO',
    memberships: [{ organisation: 'maidstone-bc', role: 'data-protection-officer' }],
  },
  {
    email: 'officer@maidstone-bc.example',
    displayName: 'Olly Officer',
    memberships: [{ organisation: 'maidstone-bc', role: 'practitioner' }],
  },
  {
    email: 'practitioner@two-bodies.example',
    displayName: 'Jordan Joint',
    memberships: [
      { organisation: 'kent-scs', role: 'practitioner' },
      { organisation: 'kscmp', role: 'partnership-business' },
    ],
  },
];

const teams: Partial<Record<OrganisationSlug, { slug: string; name: string }[]>> = {
  'kent-scs': [
    { slug: 'assessment', name: 'Assessment and intervention' },
    { slug: 'children-in-care', name: 'Children in care' },
    // Adoption records are sealed to this team (record-rules.ts).
    { slug: 'adoption', name: 'Adoption' },
  ],
  'kent-lado': [{ slug: 'lado', name: 'LADO team' }],
};

/** True when the demo world has been created already (a second start keeps the data). */
export async function hasDemoData(db: Kysely<Database>): Promise<boolean> {
  const row = await db.selectFrom('account').select('id').limit(1).executeTakeFirst();
  return row !== undefined;
}

/** The demo's made-up people per organisation (`safekeep demo --people N` adds more at scale). */
export const DEMO_PEOPLE_PER_ORGANISATION = 150;

/** A child the demo records twice on purpose (people/demo.ts), for the duplicate-people job. */
export interface PlantedDuplicate {
  organisation: OrganisationSlug;
  pair: [string, string];
}

export async function loadDemoData(
  db: Kysely<Database>,
  options: { peoplePerOrganisation?: number } = {},
): Promise<{ plantedDuplicates: PlantedDuplicate[] }> {
  faker.seed(20_261_125);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  // "A few hundred people across the five organisations" (issue 13, item
  // 13): enough that lists, searches and the duplicate job have something to
  // show a newcomer, and that every table of the SSDA903 return (adoptions
  // included) has rows (issue 17); tests that need fewer say so.
  const peoplePerOrganisation = options.peoplePerOrganisation ?? DEMO_PEOPLE_PER_ORGANISATION;
  const planted: PlantedDuplicate[] = [];
  await db.transaction().execute(async (trx) => {
    const organisations = await trx.selectFrom('organisation').select(['id', 'slug']).execute();
    const orgId = (slug: string) => {
      const found = organisations.find((o) => o.slug === slug);
      if (!found)
        throw new Error(`organisation ${slug} is missing: reference data not synchronised`);
      return found.id;
    };
    const teamIds = new Map<string, string>();
    for (const [slug, list] of Object.entries(teams)) {
      for (const team of list ?? []) {
        const { id } = await trx
          .insertInto('team')
          .values({ organisation_id: orgId(slug), slug: team.slug, name: team.name })
          .returning('id')
          .executeTakeFirstOrThrow();
        teamIds.set(`${slug}/${team.slug}`, id);
      }
    }
    for (const staff of demoStaff) {
      const { id: accountId } = await trx
        .insertInto('account')
        .values({
          email: staff.email,
          display_name: staff.displayName,
          password_hash: passwordHash,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const m of staff.memberships) {
        // Through the same rules as any grant: the notices' limits on holders.
        await grantRoles(trx, {
          accountId,
          holderKind: 'staff',
          organisation: { id: orgId(m.organisation), slug: m.organisation },
          roles: [m.role],
          teamId: m.team ? (teamIds.get(`${m.organisation}/${m.team}`) ?? null) : null,
        });
        // The demo's staff already work there: briefed when the demo was
        // loaded, so a tour starts at the work. A new account (safekeep
        // account create, or one an administrator adds) meets the statement
        // on first signing in.
        await acknowledgeConfidentialityFor(trx, accountId, orgId(m.organisation), new Date());
      }
    }
    // Sharing agreements between the bodies (src/sharing/agreements.ts).
    await seedAgreements(trx);
    for (const org of organisations) {
      const slug = org.slug as OrganisationSlug;
      const { ids: personIds, plantedDuplicates } = await createDemoPeople(trx, faker, {
        organisationId: org.id,
        organisation: slug,
        count: peoplePerOrganisation,
      });
      await createDemoRecords(trx, faker, {
        organisationId: org.id,
        organisation: slug,
        personIds,
        teamIds,
      });
      await recordAudit(trx, {
        action: 'demo.load',
        actorAccountId: null,
        organisationId: org.id,
        objectType: 'person',
        objectIds: [...personIds, ...plantedDuplicates.map(([, second]) => second)],
        purpose: 'demonstration',
      });
      planted.push(...plantedDuplicates.map((pair) => ({ organisation: slug, pair })));
    }
    // The partnerships' reviews at different stages, through the workflow's
    // own service, in this same transaction (src/practice-reviews/demo.ts).
    const today = Temporal.Now.plainDateISO('Europe/London').toString();
    await createDemoPracticeReviews(trx, { today });
    // Rights requests at every step, through the rights service, with the
    // second-person approval it enforces (src/rights/demo.ts).
    await createDemoRightsRequests(trx, { today });
  });
  return { plantedDuplicates: planted };
}
