/**
 * The one place organisations' policies come from
 * (docs/decisions/0016-policy-as-documents.md). At load it reads and
 * validates every document in src/policy/documents/ — one per organisation
 * Safekeep ships — and refuses to start if any fails: a policy that is half
 * right is not enforced at all. Organisations added later
 * (`safekeep organisation add`) are registered from their policy version in
 * the database at start-up (governance/policy/versions.ts).
 *
 * An organisation slug is any string the registry knows: `isOrganisationSlug`
 * is the check.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';

import { z } from 'zod';

import type { RoleSlug } from '../platform/access/roles.js';
import { PolicyDocumentError, parsePolicyDocument } from './schema.js';
import { categorySlugs } from './types.js';
import type { CategorySlug, DataCategory, OrganisationPolicy, OrganisationSlug } from './types.js';

export const policyDocumentsDirectory = join(import.meta.dirname, 'documents');

/** The shipped documents' file names and text, in seed order. */
export function shippedPolicyDocuments(): { file: string; slug: string; source: string }[] {
  return readdirSync(policyDocumentsDirectory)
    .filter((file) => file.endsWith('.yaml'))
    .map((file) => ({
      file,
      slug: basename(file, '.yaml'),
      source: readFileSync(join(policyDocumentsDirectory, file), 'utf8'),
    }));
}

function loadShipped(): OrganisationPolicy[] {
  const loaded: OrganisationPolicy[] = [];
  const problems = [];
  for (const { file, slug, source } of shippedPolicyDocuments()) {
    const result = parsePolicyDocument(source, file, slug);
    if (result.ok) loaded.push(result.policy);
    else problems.push(...result.problems);
  }
  if (problems.length > 0) throw new PolicyDocumentError(problems);
  // Seed order (the notices' file names), as the organisations were seeded.
  return loaded.sort((a, b) => a.notice.seedFile.localeCompare(b.notice.seedFile));
}

/**
 * Every organisation's policy in force, shipped ones first in seed order.
 * Live: an organisation registered later appears here too.
 */
export const policies: OrganisationPolicy[] = loadShipped();

/** Every organisation slug the registry knows (live, like `policies`). */
export const organisationSlugs: OrganisationSlug[] = policies.map((policy) => policy.slug);

/** Each shipped document's policy as loaded, whatever version is in force since. */
const shippedPolicies = new Map(policies.map((policy) => [policy.slug, policy]));

export function shippedPolicy(slug: OrganisationSlug): OrganisationPolicy | undefined {
  return shippedPolicies.get(slug);
}

/** The organisations Safekeep ships with a document. */
export const shippedOrganisationSlugs: readonly OrganisationSlug[] = [...organisationSlugs];

/**
 * Puts an organisation's policy in force (a new organisation, or a new
 * version of one already known). The caller has validated it.
 */
export function registerPolicy(policy: OrganisationPolicy): void {
  const index = policies.findIndex((p) => p.slug === policy.slug);
  if (index === -1) {
    policies.push(policy);
    organisationSlugs.push(policy.slug);
  } else {
    policies[index] = policy;
  }
}

/**
 * Back to the shipped policies alone, as a fresh process starts: each test
 * file begins here (test/support/each-file.ts), since files share a process.
 * The arrays are changed in place, as registerPolicy changes them, because
 * modules hold them.
 */
export function restoreShippedPolicies(): void {
  policies.splice(0, policies.length, ...shippedPolicies.values());
  organisationSlugs.splice(0, organisationSlugs.length, ...shippedOrganisationSlugs);
}

export function isOrganisationSlug(value: string): value is OrganisationSlug {
  return organisationSlugs.includes(value);
}

/** A form or CLI field naming an organisation: any slug the registry knows when parsed. */
export function organisationSlugSchema(error?: (input: unknown) => string) {
  return z.string().refine(isOrganisationSlug, {
    error: (issue) =>
      error
        ? error(issue.input)
        : `unknown organisation ${JSON.stringify(issue.input)}; expected one of ${organisationSlugs.join(', ')}`,
  });
}

export function policyFor(slug: OrganisationSlug): OrganisationPolicy {
  const policy = policies.find((p) => p.slug === slug);
  if (!policy) throw new Error(`No policy for organisation ${slug}`);
  return policy;
}

/** The organisation's limits on holders that cover this role (usually none). */
export function roleHolderLimitsFor(
  organisation: OrganisationSlug,
  role: RoleSlug,
): OrganisationPolicy['roleHolderLimits'] {
  return policyFor(organisation).roleHolderLimits.filter((limit) => limit.roles.includes(role));
}

export function isCategorySlug(value: string): value is CategorySlug {
  return (categorySlugs as readonly string[]).includes(value);
}

/** The organisation's category, or undefined if it holds no records of that category. */
export function findCategory(
  organisation: OrganisationSlug,
  category: CategorySlug,
): DataCategory | undefined {
  return policies.find((p) => p.slug === organisation)?.categories.find((c) => c.slug === category);
}
