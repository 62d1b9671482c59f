/**
 * The roles staff hold, per organisation (design.md "Who uses it"). Stored
 * as data in the `role` table and synchronised from this list at start-up,
 * so a deployment can see and report on them in SQL.
 *
 * Privileged roles see the most sensitive data across an organisation and
 * must pass two-factor authentication at every sign-in.
 *
 * Only roles marked `forIntegrations` may be given to a service account
 * (an integration calling /api/v1 with a bearer token, which has no second
 * factor and no person behind it). Never a privileged role, and never one a
 * notice gives to named people, such as the concern log's officers; the
 * database refuses anything else too (migration 0017).
 */
export interface RoleDefinition {
  slug: RoleSlug;
  name: string;
  description: string;
  privileged: boolean;
  forIntegrations: boolean;
}

export const roleSlugs = [
  'practitioner',
  'team-manager',
  'lado-officer',
  'designated-safeguarding-officer',
  'partnership-business',
  'information-governance',
  'data-protection-officer',
  'partner-agency',
  'performance',
] as const;
export type RoleSlug = (typeof roleSlugs)[number];

export const roles: readonly RoleDefinition[] = [
  {
    slug: 'practitioner',
    name: 'Practitioner',
    description: 'Records and works on cases allocated to them or their team',
    privileged: false,
    forIntegrations: true,
  },
  {
    slug: 'team-manager',
    name: 'Team manager',
    description: 'Allocates work and approves closures and outcomes for their team',
    privileged: false,
    forIntegrations: false,
  },
  {
    slug: 'lado-officer',
    name: 'LADO officer',
    description: 'Manages allegations against adults who work with children',
    privileged: true,
    forIntegrations: false,
  },
  {
    slug: 'designated-safeguarding-officer',
    name: 'Designated safeguarding officer',
    description: 'Keeps the safeguarding concern log (the officer and two deputies only)',
    privileged: false,
    forIntegrations: false,
  },
  {
    slug: 'partnership-business',
    name: 'Partnership business team',
    description: 'Runs rapid reviews, practice reviews, training, newsletters and surveys',
    privileged: false,
    forIntegrations: true,
  },
  {
    slug: 'information-governance',
    name: 'Information governance officer',
    description: 'Runs rights requests, retention reviews, the disclosure log and audit',
    privileged: true,
    forIntegrations: false,
  },
  {
    slug: 'data-protection-officer',
    name: 'Data protection officer',
    description: 'Oversees compliance; sees governance reports and the breach register',
    privileged: true,
    forIntegrations: false,
  },
  {
    slug: 'partner-agency',
    name: 'Partner agency',
    description: 'Receives information shared under an agreement; never browses',
    privileged: false,
    forIntegrations: true,
  },
  {
    // Issue 17: statutory returns "need the performance and information
    // governance roles". They read every child in need's census facts at
    // once, so the role is privileged (two-factor at every sign-in).
    slug: 'performance',
    name: 'Performance and information officer',
    description: 'Produces and checks statutory returns (Children in Need census)',
    privileged: true,
    forIntegrations: false,
  },
];

/** The roles a service account may hold. */
export const integrationRoleSlugs: readonly RoleSlug[] = roles
  .filter((r) => r.forIntegrations)
  .map((r) => r.slug);
