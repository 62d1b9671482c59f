import { describe, expect, it } from 'vitest';
import { checkGround, groundCodes, grounds, groundsFor } from './exemptions.js';
import { requesterRoles } from './tables.js';

describe('exemptions as data: who may claim each ground', () => {
  it('cites a DPA 2018 reference (or privilege) for every ground', () => {
    expect(grounds.map((g) => g.code)).toEqual([...groundCodes]);
    for (const g of grounds) expect(g.reference).toMatch(/^DPA 2018 Sch \d/);
  });

  it.each(['sch3-para10-expectations', 'sch3-para21-child-abuse'])(
    '%s applies only when a parent or a court appointee asks',
    (code) => {
      for (const role of ['parent', 'court-appointee'] as const) {
        expect(checkGround(code, { requesterRole: role, category: 'child-in-need' }).ok).toBe(true);
      }
      for (const role of ['self', 'solicitor'] as const) {
        const result = checkGround(code, { requesterRole: role, category: 'child-in-need' });
        expect(result.ok).toBe(false);
        if (!result.ok)
          expect(result.reason).toContain('only when a parent or a court appointee asks');
      }
    },
  );

  it.each([
    'sch2-para2-crime',
    'sch2-para5-legal-proceedings',
    'sch2-para16-third-party',
    'sch3-para7-serious-harm',
    'sch3-para9-court-report',
    'legal-professional-privilege',
  ])('%s may be claimed whoever asks', (code) => {
    for (const role of requesterRoles) {
      expect(checkGround(code, { requesterRole: role, category: 'child-in-need' }).ok).toBe(true);
    }
  });

  it('Sch 4 applies to adoption records only', () => {
    expect(checkGround('sch4-adoption', { requesterRole: 'self', category: 'adoption' }).ok).toBe(
      true,
    );
    const refused = checkGround('sch4-adoption', {
      requesterRole: 'self',
      category: 'looked-after',
    });
    expect(refused).toMatchObject({ ok: false });
  });

  it('refuses a ground that is not on the list', () => {
    expect(checkGround('because', { requesterRole: 'self', category: null })).toMatchObject({
      ok: false,
      reason: 'Select a legal ground from the list',
    });
  });

  it('offers the person themselves neither para 10 nor para 21', () => {
    const codes = groundsFor('self').map((g) => g.code);
    expect(codes).not.toContain('sch3-para10-expectations');
    expect(codes).not.toContain('sch3-para21-child-abuse');
    expect(groundsFor('parent').map((g) => g.code)).toContain('sch3-para21-child-abuse');
  });
});
