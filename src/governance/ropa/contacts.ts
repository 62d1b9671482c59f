import type { OrganisationPolicy } from '../../policy/index.js';
import type { ContactRoute } from '../../policy/notice-facts.js';

/** A contact route on one line: "Benjamin Watts, dpo@kent.gov.uk, …"; the note when it gives nothing. */
export function routeWords(route: ContactRoute): string {
  const parts = [
    route.name,
    route.email,
    route.postalAddress,
    route.phone ? `phone ${route.phone}` : null,
    route.webForm ? (route.webForm.url ?? route.webForm.wording) : null,
  ].filter((part): part is string => !!part);
  return parts.length ? parts.join(', ') : (route.note ?? 'Not stated in the privacy notice');
}

export function dpoWords(policy: OrganisationPolicy): string {
  return routeWords(policy.contacts.dataProtectionOfficer);
}

/** Where the data comes from, as the policy lists its sources. */
export function sourceWords(policy: OrganisationPolicy): string {
  const items = policy.sources.items.map((s) => s.description);
  return items.length
    ? items.join('; ')
    : (policy.sources.note ?? 'Not stated in the privacy notice');
}
