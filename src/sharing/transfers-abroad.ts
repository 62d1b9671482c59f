import type { OrganisationPolicy, PolicyRecipient } from '../policy/index.js';

/**
 * UK GDPR Chapter V: sending personal data to a recipient outside the UK is
 * a restricted transfer, lawful only under a safeguard (adequacy
 * regulations, an international data transfer agreement, …). The notices
 * promise none without saying so, so a recipient abroad is refused unless
 * the organisation's policy names the safeguard for its country.
 * Returns why it is refused, or null when the disclosure may go.
 */
export function transferAbroadRefusal(
  policy: Pick<OrganisationPolicy, 'shortName' | 'transfersAbroad'>,
  recipient: Pick<PolicyRecipient, 'name' | 'outsideUk'>,
): string | null {
  const country = recipient.outsideUk?.country;
  if (!country) return null;
  const safeguard = policy.transfersAbroad.safeguards.find((s) => s.country === country);
  if (safeguard) return null;
  return (
    `${recipient.name} is in ${country}. ${policy.shortName}’s privacy notice does not allow ` +
    'information to be sent outside the UK without a safeguard, and its policy names none for ' +
    `${country}. Ask your data protection officer.`
  );
}
