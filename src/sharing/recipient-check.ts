import type { OrganisationPolicy } from '../policy/index.js';
import { transferAbroadRefusal } from './transfers-abroad.js';

/**
 * The one check that decides whether an organisation may disclose to a
 * recipient: the recipient must be one its privacy notice lists, and, when
 * abroad, one its policy names a transfer safeguard for (UK GDPR Chapter V).
 * Sharing (service.ts) refuses a disclosure with this reason; the privacy
 * notice (src/governance/notice) lists only recipients this accepts, so the
 * notice never names someone sharing would refuse, nor leaves out someone it
 * would accept. Returns why the recipient is refused, or null when accepted.
 */
export function recipientRefusal(
  policy: Pick<OrganisationPolicy, 'shortName' | 'recipients' | 'transfersAbroad'>,
  recipientId: string,
): string | null {
  const recipient = policy.recipients.find((r) => r.id === recipientId);
  if (!recipient) return `Choose a recipient that ${policy.shortName}’s privacy notice lists`;
  return transferAbroadRefusal(policy, recipient);
}
