import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { policies } from '../policy/index.js';

const normalise = (text: string) => text.replace(/\s+/g, ' ').trim();

describe('recipients as the notices list them', () => {
  it.each(policies.map((p) => [p.slug, p] as const))(
    '%s quotes its notice verbatim, with unique ids',
    (_slug, policy) => {
      const notice = normalise(
        readFileSync(
          join(import.meta.dirname, '../../docs/notices', policy.notice.seedFile),
          'utf8',
        ),
      );
      expect(policy.recipients.length).toBeGreaterThan(0);
      const ids = policy.recipients.map((r) => r.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const recipient of policy.recipients) {
        expect(notice, recipient.id).toContain(normalise(recipient.noticeWording));
        expect(recipient.safekeepOrganisations ?? []).not.toContain(policy.slug);
      }
    },
  );

  it('subscriber data has no sharing path: no recipient is a newsletter list', () => {
    for (const policy of policies) {
      for (const r of policy.recipients) expect(r.name.toLowerCase()).not.toContain('newsletter');
    }
  });
});
