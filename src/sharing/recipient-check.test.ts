import { describe, expect, it } from 'vitest';
import { policies, policyFor } from '../policy/index.js';
import { recipientRefusal } from './recipient-check.js';

describe('recipientRefusal: the one check sharing uses to accept a recipient', () => {
  it('accepts every recipient the five notices list (none is abroad)', () => {
    for (const policy of policies) {
      for (const recipient of policy.recipients) {
        expect(recipientRefusal(policy, recipient.id), `${policy.slug}/${recipient.id}`).toBeNull();
      }
    }
  });

  it('refuses a recipient the notice does not list, naming the notice', () => {
    expect(recipientRefusal(policyFor('maidstone-bc'), 'a-newspaper')).toBe(
      'Choose a recipient that Maidstone Borough Council’s privacy notice lists',
    );
  });

  it('refuses a listed recipient abroad for which the policy names no safeguard', () => {
    const sscp = policyFor('sscp');
    const withAbroad = {
      ...sscp,
      recipients: [
        ...sscp.recipients,
        {
          id: 'abroad',
          name: 'A synthetic institute',
          noticeWording: '',
          outsideUk: { country: 'Ireland' },
        },
      ],
    };
    expect(recipientRefusal(withAbroad, 'abroad')).toMatch(/is in Ireland/);
    const withSafeguard = {
      ...withAbroad,
      transfersAbroad: {
        safeguards: [{ country: 'Ireland', safeguard: 'UK adequacy regulations' }],
        source: null,
      },
    };
    expect(recipientRefusal(withSafeguard, 'abroad')).toBeNull();
  });
});
