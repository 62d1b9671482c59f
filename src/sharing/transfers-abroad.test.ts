import { describe, expect, it } from 'vitest';
import { policies, policyFor } from '../policy/index.js';
import { transferAbroadRefusal } from './transfers-abroad.js';

describe('transfers abroad (UK GDPR Chapter V)', () => {
  it('no notice names a safeguard, so no policy may list a recipient abroad without one', () => {
    for (const policy of policies) {
      for (const recipient of policy.recipients) {
        expect(transferAbroadRefusal(policy, recipient), `${policy.slug}/${recipient.id}`).toBe(
          null,
        );
      }
    }
    expect(policyFor('sscp').transfersAbroad.source).toMatch(/not be transferred abroad/);
  });

  it('refuses a recipient outside the UK unless the policy names the safeguard for its country', () => {
    const sscp = policyFor('sscp');
    const abroad = { name: 'A synthetic research institute', outsideUk: { country: 'Ireland' } };
    expect(transferAbroadRefusal(sscp, abroad)).toMatch(
      /A synthetic research institute is in Ireland\. SSCP’s privacy notice does not allow/,
    );
    const withSafeguard = {
      ...sscp,
      transfersAbroad: {
        safeguards: [{ country: 'Ireland', safeguard: 'UK adequacy regulations (EEA)' }],
        source: sscp.transfersAbroad.source,
      },
    };
    expect(transferAbroadRefusal(withSafeguard, abroad)).toBeNull();
    expect(transferAbroadRefusal(sscp, { name: 'Somerset Council' })).toBeNull();
  });
});
