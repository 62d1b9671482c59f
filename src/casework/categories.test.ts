import { describe, expect, it } from 'vitest';
import { policies, type CategorySlug } from '../policy/index.js';
import {
  detailEvents,
  detailSchemas,
  humanise,
  recordFactsFor,
  recordFactsSchema,
} from './categories.js';

/** For each category: a detail it must accept and one it must refuse (with the field at fault). */
const cases: Record<CategorySlug, { valid: unknown; invalid: unknown; field: string }> = {
  'child-in-need': {
    valid: { primaryNeed: 'abuse-or-neglect', assessmentCompletedOn: '2025-01-31' },
    invalid: { primaryNeed: 'N1' },
    field: 'primaryNeed',
  },
  'child-protection-plan': {
    valid: {
      categoryOfAbuse: 'neglect',
      section47Enquiries: [
        { startedOn: '2025-01-02', outcome: 'concerns-substantiated-conference' },
      ],
      conferences: [{ kind: 'initial', heldOn: '2025-01-20', decision: 'plan-made' }],
    },
    invalid: {
      categoryOfAbuse: 'neglect',
      conferences: [{ kind: 'initial', heldOn: '2023-02-30', decision: 'plan-made' }],
    },
    field: 'conferences.0.heldOn',
  },
  'looked-after': {
    valid: {
      legalStatus: 'care-order',
      episodes: [{ startedOn: '2024-01-01' }],
      placements: [{ type: 'foster-care', startedOn: '2024-01-01' }],
      careLeaver: {
        education: 'further-education',
        employment: 'part-time',
        accommodation: 'supported-lodgings',
      },
    },
    invalid: { careLeaver: { education: 'college' } },
    field: 'careLeaver.education',
  },
  adoption: {
    valid: {
      courtOrders: [
        { kind: 'adoption-order', court: 'Synthetic Family Court', madeOn: '2025-03-03' },
      ],
    },
    invalid: { courtOrders: [{ kind: 'adoption-order', madeOn: '2025-03-03' }] },
    field: 'courtOrders.0.court',
  },
  'private-fostering': {
    valid: { notifiedOn: '2025-01-01', visits: [{ visitedOn: '2025-01-08' }] },
    invalid: { notifiedOn: 'last week' },
    field: 'notifiedOn',
  },
  'private-foster-parent': {
    valid: { suitability: 'suitable' },
    invalid: { suitability: 'fine' },
    field: 'suitability',
  },
  'risk-register': { valid: { natureOfRisk: 'Synthetic' }, invalid: {}, field: 'natureOfRisk' },
  'lado-allegation': {
    valid: {
      employer: 'Synthetic School',
      employerSector: 'education',
      role: 'Teaching assistant',
      allegation: 'Synthetic',
      meetings: [{ kind: 'strategy', heldOn: '2025-02-02' }],
      harmTest: ['harmed-a-child', 'unsuitable-to-work-with-children'],
      referredBy: 'nspcc',
      employments: [
        { employer: 'Synthetic Youth Club', role: 'Volunteer leader', basis: 'voluntary' },
      ],
      s47Information: [
        { receivedOn: '2025-02-10', from: 'Synthetic CSC team', summary: 'Enquiry outcome' },
      ],
    },
    invalid: { employer: 'Synthetic School', employerSector: 'education', role: 'TA' },
    field: 'allegation',
  },
  'practice-review': {
    valid: {
      reviewType: 'rapid-review',
      nationalPanelNotification: { decision: 'notified', decidedOn: '2025-04-04' },
      chronologiesRequested: [{ agency: 'Synthetic Health Trust', requestedOn: '2025-04-05' }],
      leadReviewer: 'Synthetic Reviewer',
      panel: ['Synthetic Chair'],
      practitioners: [{ name: 'Synthetic Nurse', agency: 'Synthetic Health Trust' }],
    },
    invalid: { reviewType: 'rapid-review', nationalPanelNotification: { decision: 'maybe' } },
    field: 'nationalPanelNotification.decision',
  },
  'panel-referral-not-notified': {
    valid: { reviewType: 'rapid-review' },
    invalid: {},
    field: 'reviewType',
  },
  'audit-qa': {
    valid: { theme: 'Neglect', agencies: ['Police'] },
    invalid: { theme: '' },
    field: 'theme',
  },
  'meeting-admin': { valid: { summary: 'x' }, invalid: { agenda: 'x' }, field: '' },
  training: { valid: {}, invalid: { attendee: 'x' }, field: '' },
  'training-booking-details': { valid: {}, invalid: { summary: 1 }, field: 'summary' },
  survey: { valid: {}, invalid: { summary: 1 }, field: 'summary' },
  'newsletter-subscription': { valid: {}, invalid: { email: 'x' }, field: '' },
  'learning-system-record': { valid: {}, invalid: { summary: 1 }, field: 'summary' },
  'safeguarding-concern': {
    valid: {
      concernTypes: ['domestic-abuse', 'mental-health'],
      gp: 'Synthetic Surgery',
      referrals: [
        {
          partner: 'police',
          referredOn: '2025-05-05',
          consent: 'not-sought',
          reasonWithoutConsent: 'Asking would put the child at risk',
        },
      ],
    },
    // Maidstone notice: sharing without consent needs its reason.
    invalid: {
      concernTypes: ['domestic-abuse'],
      referrals: [{ partner: 'marac', referredOn: '2025-05-05', consent: 'refused' }],
    },
    field: 'referrals.0.reasonWithoutConsent',
  },
};

describe('category detail', () => {
  it.each(Object.entries(cases))(
    '%s: accepts a valid detail and refuses an invalid one',
    (slug, c) => {
      const schema = detailSchemas[slug as CategorySlug];
      expect(schema.safeParse(c.valid).success).toBe(true);
      const refused = schema.safeParse(c.invalid);
      expect(refused.success).toBe(false);
      expect(refused.error?.issues.map((i) => i.path.join('.'))).toContain(c.field);
    },
  );

  it('has a schema for every category any policy declares', () => {
    for (const policy of policies) {
      for (const category of policy.categories) expect(detailSchemas[category.slug]).toBeDefined();
    }
  });

  it('offers the retention facts each category’s rules read, and no others', () => {
    expect(recordFactsFor('kent-lado', 'lado-allegation')).toEqual(['outcome']);
    expect(recordFactsFor('kent-scs', 'adoption')).toEqual(['adoptionOrderDate']);
    expect(recordFactsFor('kent-scs', 'risk-register')).toEqual(['cautionOrConvictionDate']);
    expect(recordFactsFor('kent-scs', 'private-foster-parent')).toEqual(['lastContactDate']);
    expect(recordFactsFor('kent-scs', 'looked-after')).toEqual(['childDied']);
    expect(recordFactsFor('kscmp', 'practice-review')).toEqual(['incidentDate', 'childDied']);
    expect(recordFactsFor('maidstone-bc', 'safeguarding-concern')).toEqual(['recordedDate']);
    expect(recordFactsFor('kent-scs', 'child-in-need')).toEqual([]);
    expect(recordFactsSchema.safeParse({ incidentDate: '2023-02-30' }).success).toBe(false);
    expect(recordFactsSchema.safeParse({ outcome: 'proven' }).success).toBe(false);
  });

  it('finds the dated events in a detail for the chronology', () => {
    expect(detailEvents('adoption', cases.adoption.valid)).toEqual([
      { date: '2025-03-03', text: 'Adoption order made' },
    ]);
    expect(detailEvents('lado-allegation', cases['lado-allegation'].valid)).toEqual([
      { date: '2025-02-02', text: 'Strategy meeting' },
      { date: '2025-02-10', text: 'Section 47 information received from Synthetic CSC team' },
    ]);
  });

  it('holds the LADO harm test and referrer in the notice’s words, and refuses others (issue 12 item 9)', () => {
    const schema = detailSchemas['lado-allegation'];
    const base = cases['lado-allegation'].valid as Record<string, unknown>;
    expect(schema.safeParse({ ...base, harmTest: ['gossip'] }).success).toBe(false);
    expect(schema.safeParse({ ...base, referredBy: 'partner-referral' }).success).toBe(false);
    expect(
      schema.safeParse({ ...base, employments: [{ employer: 'X', role: 'Y', basis: 'hobby' }] })
        .success,
    ).toBe(false);
    expect(humanise('nspcc')).toBe('The NSPCC');
    expect(humanise('harmed-a-child')).toBe(
      'Behaved in a way that has harmed a child, or may have harmed a child',
    );
    // Other lists' options keep their own words.
    expect(humanise('education')).toBe('Education');
  });
});
