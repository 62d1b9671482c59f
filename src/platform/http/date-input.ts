import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';
import { dateProblem, type DateRange } from '../validation/dates.js';

/**
 * The GOV.UK date input (three boxes: day, month, year) as one zod schema
 * that gives back `{ [name]: 'YYYY-MM-DD' }`, with the design system's
 * error wording, ready to combine with a form's other fields by `.and()`.
 * Form fields are named `<name>-day`, `<name>-month`, `<name>-year`.
 */
export function dateInputFields<N extends string>(name: N, label: string, range: DateRange = {}) {
  return z
    .object({
      [`${name}-day`]: z.string().trim().default(''),
      [`${name}-month`]: z.string().trim().default(''),
      [`${name}-year`]: z.string().trim().default(''),
    })
    .transform((parts, ctx) => {
      const day = parts[`${name}-day`] ?? '';
      const month = parts[`${name}-month`] ?? '';
      const year = parts[`${name}-year`] ?? '';
      const fail = (message: string) => {
        ctx.addIssue({ code: 'custom', path: [name], message });
        return z.NEVER;
      };
      if (!day && !month && !year) return fail(`Enter ${label}`);
      const missing = [!day && 'day', !month && 'month', !year && 'year'].filter(Boolean);
      if (missing.length)
        return fail(`${capitalise(label)} must include a ${missing.join(' and ')}`);
      if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) {
        return fail(`${capitalise(label)} must be a real date`);
      }
      try {
        const iso = Temporal.PlainDate.from(
          { year: Number(year), month: Number(month), day: Number(day) },
          { overflow: 'reject' },
        ).toString();
        // The shared range: 1900–2200, or up to today for what has happened.
        const problem = dateProblem(iso, label.replace(/^(the|a|an) /, ''), range);
        if (problem) return fail(problem);
        return { [name]: iso } as Record<N, string>;
      } catch {
        return fail(`${capitalise(label)} must be a real date`);
      }
    });
}

/** The values to show again in a date input after an error. */
export function dateInputValues(body: unknown, name: string) {
  const source = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const value = (part: string) => String(source[`${name}-${part}`] ?? '');
  return [
    { name: 'day', classes: 'govuk-input--width-2', value: value('day') },
    { name: 'month', classes: 'govuk-input--width-2', value: value('month') },
    { name: 'year', classes: 'govuk-input--width-4', value: value('year') },
  ];
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
