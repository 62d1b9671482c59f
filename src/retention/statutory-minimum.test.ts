import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';

import type { StatutoryMinimum } from '../policy/types.js';
import { compareDates } from './calendar.js';
import { applyStatutoryMinimum } from './statutory-minimum.js';
import { dateArbitrary } from './test-arbitraries.js';

const d = (text: string) => Temporal.PlainDate.from(text);

const adoptionMinimum: StatutoryMinimum = {
  trigger: 'adoptionOrderDate',
  period: { kind: 'calendar-years', years: 100 },
  authority: 'Disclosure of Adoption Information (Post-Commencement Adoptions) Regulations 2005',
  whenTriggerUnknown: 'review',
};

describe('applyStatutoryMinimum', () => {
  it('lengthens when the legal minimum is later', () => {
    const result = applyStatutoryMinimum(d('2110-01-01'), adoptionMinimum, {
      adoptionOrderDate: d('2012-06-30'),
    });
    expect(result).toMatchObject({ checked: true, lengthened: true });
    expect(result.due.toString()).toBe('2112-06-30');
  });

  it('never shortens: a rule date later than the minimum stands', () => {
    const result = applyStatutoryMinimum(d('2120-01-01'), adoptionMinimum, {
      adoptionOrderDate: d('2012-06-30'),
    });
    expect(result).toMatchObject({ checked: true, lengthened: false });
    expect(result.due.toString()).toBe('2120-01-01');
  });

  it('reports that it could not check when the trigger is unknown', () => {
    const result = applyStatutoryMinimum(d('2110-01-01'), adoptionMinimum, {});
    expect(result.checked).toBe(false);
    expect(result.due.toString()).toBe('2110-01-01');
  });

  it('can only lengthen (property)', () => {
    fc.assert(
      fc.property(dateArbitrary, dateArbitrary, (ruleDue, order) => {
        const result = applyStatutoryMinimum(ruleDue, adoptionMinimum, {
          adoptionOrderDate: order,
        });
        expect(compareDates(result.due, ruleDue)).toBeGreaterThanOrEqual(0);
        if (result.checked) {
          expect(compareDates(result.due, result.minimumDate)).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });
});
