/**
 * Each organisation's privacy notice, as data the service enforces: the
 * documents in src/policy/documents, loaded and validated by registry.ts
 * (design.md "policy/"; docs/decisions/0016-policy-as-documents.md).
 *
 * The vocabulary (category slugs, fact names, LADO outcomes, actions) is a
 * public contract: the CLI (`safekeep retention explain`), the API and
 * stored records use it.
 */
export type * from './types.js';
export type * from './notice-facts.js';
export type * from './access-rules.js';
export {
  article9NeedsSchedule1,
  categorySlugs,
  dateFactNames,
  ladoOutcomes,
  retentionActions,
} from './types.js';
export {
  findCategory,
  isCategorySlug,
  isOrganisationSlug,
  organisationSlugSchema,
  organisationSlugs,
  policies,
  policyFor,
  registerPolicy,
  roleHolderLimitsFor,
  shippedOrganisationSlugs,
} from './registry.js';
export { lawfulBasisName } from './names.js';
