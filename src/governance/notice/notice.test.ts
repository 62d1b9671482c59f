import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, testApp } from '../../../test/support/app.js';
import { codesOnPage } from '../../../test/support/human-words.js';
import { testDatabase } from '../../../test/support/database.js';
import type { DatabaseHandle } from '../../db/connection.js';
import { auditLogRetention } from '../../policy/audit-log.js';
import { findCategory, policies, type CategorySlug } from '../../policy/index.js';
import { lawfulBasisWords } from '../ropa/legal-words.js';
import {
  erasureFor,
  noAutomatedDecisions,
  objectionReaches,
  portabilityFor,
} from '../../rights/decisions.js';
import { describeRule, noRuleSentence, openSentence } from '../../retention/wording.js';
import { recipientRefusal } from '../../sharing/recipient-check.js';
import { statutoryReturnFileRetentionFor } from '../../policy/retention-actions.js';
import { localAuthorityCodes } from '../../returns/codes.js';

/**
 * Issue 11: "a test asserts that every statement on the page comes from
 * policy that the engine enforces". Each notice page is read back, and each
 * statement marked on it is traced to the code that enforces it.
 */

let database: DatabaseHandle;
let app: FastifyInstance;
const pages = new Map<string, string>();

beforeAll(async () => {
  database = await testDatabase();
  app = await testApp(database);
  const visitor = new Agent(app);
  for (const policy of policies) {
    const page = await visitor.get(`/privacy/${policy.slug}`);
    expect(page.statusCode).toBe(200);
    pages.set(policy.slug, page.body);
  }
});

afterAll(async () => {
  await app.close();
  await database.close();
});

function decode(text: string): string {
  return text
    .replace(/<[^>]+>/g, '')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The elements marked data-testid=`testid`: their attributes and text. */
function marked(html: string, testid: string) {
  const pattern = new RegExp(
    `<([a-z0-9]+)\\b([^>]*\\bdata-testid="${testid}"[^>]*)>([\\s\\S]*?)</\\1>`,
    'g',
  );
  return [...html.matchAll(pattern)].map((m) => {
    const attrs = m[2] ?? '';
    const attr = (name: string) => new RegExp(`data-${name}="([^"]*)"`).exec(attrs)?.[1] ?? '';
    return { text: decode(m[3] ?? ''), attr };
  });
}

describe.each(policies.map((p) => [p.slug, p] as const))(
  'the privacy notice of %s',
  (slug, policy) => {
    const html = () => pages.get(slug) ?? '';

    it('states each retention rule in the words of describeRule, of a rule the engine applies', () => {
      const sentences = marked(html(), 'retention-sentence');
      for (const s of sentences) {
        // The category the engine looks up (engine.ts assessRetention → findCategory).
        const category = findCategory(policy.slug, s.attr('category') as CategorySlug);
        expect(category?.retention.kind).toBe('schedule');
        if (category?.retention.kind !== 'schedule') continue;
        const rule = category.retention.rules.find((r) => r.id === s.attr('rule'));
        expect(rule, s.attr('rule')).toBeDefined();
        if (rule) expect(s.text).toBe(describeRule(rule));
      }
      // …and every rule the engine can apply is stated.
      const ruleCount = policy.categories.reduce(
        (n, c) => n + (c.retention.kind === 'schedule' ? c.retention.rules.length : 0),
        0,
      );
      expect(sentences).toHaveLength(ruleCount);
      for (const s of marked(html(), 'retention-no-rule')) {
        expect(findCategory(policy.slug, s.attr('category') as CategorySlug)?.retention.kind).toBe(
          'no-rule',
        );
        expect(s.text).toBe(noRuleSentence);
      }
      for (const s of marked(html(), 'retention-open')) {
        const retention = findCategory(policy.slug, s.attr('category') as CategorySlug)?.retention;
        expect(retention?.kind === 'schedule' && retention.openWhileNoneRecorded).toBeTruthy();
        if (retention?.kind === 'schedule' && retention.openWhileNoneRecorded) {
          expect(s.text).toBe(openSentence(retention.openWhileNoneRecorded));
        }
      }
    });

    it('states how long the record of who saw their information is kept: the period the daily job drops its months by', () => {
      const lines = marked(html(), 'access-log').map((l) => l.text);
      // dropExpiredAuditMonths (audit.partitions) keeps auditLogRetention.months.
      expect(auditLogRetention.months).toBe(24);
      expect(lines).toContain(
        'We keep this record for 2 years after the end of the month it was made in, then delete it.',
      );
      expect(lines.join(' ')).toMatch(/keeps only those reference numbers/);
    });

    it('lists exactly the recipients sharing accepts', () => {
      const listed = marked(html(), 'recipient');
      for (const r of listed) {
        expect(recipientRefusal(policy, r.attr('recipient')), r.text).toBeNull();
        expect(r.text).toBe(policy.recipients.find((x) => x.id === r.attr('recipient'))?.name);
      }
      const accepted = policy.recipients.filter((r) => recipientRefusal(policy, r.id) === null);
      expect(listed.map((r) => r.attr('recipient'))).toEqual(accepted.map((r) => r.id));
    });

    it('gives for each activity the lawful bases sharing checks a disclosure against', () => {
      for (const category of policy.categories) {
        const stated = marked(html(), 'lawful-basis')
          .filter((b) => b.attr('category') === category.slug)
          .map((b) => b.text);
        expect(stated).toEqual(lawfulBasisWords(category));
      }
    });

    it('says where portability, erasure and objection apply by the rights service’s own decisions', () => {
      const applies = (right: string) =>
        marked(html(), 'right-applies').find((x) => x.attr('right') === right)?.text ?? '';
      const names = (test: (c: (typeof policy.categories)[number]) => boolean) =>
        policy.categories.filter(test).map((c) => c.name);
      const portable = names((c) => portabilityFor(c).outcome === 'applies');
      expect(applies('portability')).toBe(
        portable.length ? `This applies to: ${portable.join('; ')}.` : '',
      );
      const erasable = names((c) => erasureFor(c).outcome === 'erase');
      expect(applies('erasure')).toBe(
        erasable.length ? `This applies to: ${erasable.join('; ')}.` : '',
      );
      for (const c of policy.categories.filter(objectionReaches)) {
        expect(applies('objection')).toContain(c.name);
      }
      const notPortable = marked(html(), 'right-does-not-apply').filter(
        (x) => x.attr('right') === 'portability',
      );
      expect(notPortable).toHaveLength(policy.categories.length - portable.length);
    });

    it('names the DPO and the ways to use rights from the policy’s contacts', () => {
      const dpo = marked(html(), 'dpo')[0]?.text ?? '';
      const route = policy.contacts.dataProtectionOfficer;
      for (const value of [route.name, route.email, route.phone, route.postalAddress]) {
        if (value) expect(dpo).toContain(value);
      }
      const rights = marked(html(), 'exercising-rights')[0]?.text ?? '';
      if (policy.contacts.exercisingRights.email) {
        expect(rights).toContain(policy.contacts.exercisingRights.email);
      }
      expect(marked(html(), 'automated-decisions')[0]?.text).toBe(noAutomatedDecisions);
    });

    it('shows no codes: no ids, machine dates or slugs', () => {
      expect(codesOnPage(html())).toEqual([]);
    });
  },
);

describe('the files of statutory returns in the notices', () => {
  it('states the period the sweep keeps a return file for, where the organisation makes returns', () => {
    for (const policy of policies) {
      const stated = marked(pages.get(policy.slug) ?? '', 'retention-return-files');
      if (localAuthorityCodes[policy.slug] === undefined) {
        expect(stated, policy.slug).toHaveLength(0);
        continue;
      }
      // The rule return-files.ts destroys by, in its own number of years.
      const rule = statutoryReturnFileRetentionFor(policy.slug);
      expect(stated).toHaveLength(1);
      expect(stated[0]?.attr('rule')).toBe(rule.ruleId);
      expect(stated[0]?.text).toContain(
        `is kept for ${rule.years} years after the date the return is for, then securely destroyed`,
      );
    }
    expect(marked(pages.get('kent-scs') ?? '', 'retention-return-files')).toHaveLength(1);
  });
});

describe('what the notices say where the published originals differ', () => {
  it('Maidstone’s notice does not offer portability for its public task (Art 20(3))', () => {
    const html = pages.get('maidstone-bc') ?? '';
    expect(
      marked(html, 'right-applies').find((x) => x.attr('right') === 'portability'),
    ).toBeUndefined();
    expect(
      marked(html, 'right-does-not-apply').find((x) => x.attr('right') === 'portability')?.text,
    ).toContain('Article 20(3)');
  });

  it('Kent’s notices name dpo@kent.gov.uk and data.protection@kent.gov.uk', () => {
    const html = pages.get('kent-scs') ?? '';
    expect(marked(html, 'dpo')[0]?.text).toContain('dpo@kent.gov.uk');
    expect(marked(html, 'exercising-rights')[0]?.text).toContain('data.protection@kent.gov.uk');
  });

  it('an organisation that does not exist is not found, and the list links every notice', async () => {
    const visitor = new Agent(app);
    expect((await visitor.get('/privacy/no-such-council')).statusCode).toBe(404);
    const list = await visitor.get('/privacy');
    expect(list.statusCode).toBe(200);
    expect(marked(list.body, 'notice-link').map((l) => l.text)).toEqual(
      policies.map((p) => p.name),
    );
  });
});
