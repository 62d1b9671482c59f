import { type FieldError } from '../platform/errors/errors.js';
import { dateInputFields, dateInputValues } from '../platform/http/date-input.js';
import { parseForm } from '../platform/http/forms.js';
import { newRequestSchema, transitionSchema } from './schemas.js';

/**
 * The rights pages' forms read as the schemas expect them: flat form
 * fields (GOV.UK date inputs, checkboxes) shaped for newRequestSchema and
 * transitionSchema, and dates shown back in date inputs.
 */

export const optionText = (record: Record<string, string>, selected?: string) =>
  Object.entries(record).map(([value, text]) => ({ value, text, selected: value === selected }));

export type Body = Record<string, unknown>;
export const text = (body: Body, name: string) => {
  const value = body[name];
  return typeof value === 'string' ? value.trim() : '';
};
export const list = (body: Body, name: string) => {
  const value = body[name];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' && value ? [value] : [];
};

/** A GOV.UK date input that may be left blank. */
export function optionalDate(body: Body, name: string, label: string) {
  const parts = ['day', 'month', 'year'].map((p) => text(body, `${name}-${p}`));
  if (parts.every((p) => p === '')) return { value: undefined, errors: [] as FieldError[] };
  const parsed = parseForm(dateInputFields(name, label), body);
  return parsed.ok
    ? { value: (parsed.data as Record<string, string>)[name], errors: [] as FieldError[] }
    : { value: undefined, errors: parsed.errors };
}

export function requireDate(body: Body, name: string, label: string) {
  const parsed = parseForm(dateInputFields(name, label), body);
  return parsed.ok
    ? { value: (parsed.data as Record<string, string>)[name], errors: [] as FieldError[] }
    : { value: undefined, errors: parsed.errors };
}

/** The intake form's flat fields, shaped for newRequestSchema. */
export function intakeInput(body: Body) {
  const received = requireDate(body, 'receivedOn', 'the date the request was received');
  const dob = optionalDate(body, 'subjectDateOfBirth', 'the subject’s date of birth');
  const identifiers = [
    ...(text(body, 'nhsNumber') ? [{ type: 'nhs-number', value: text(body, 'nhsNumber') }] : []),
    ...(text(body, 'upn') ? [{ type: 'upn', value: text(body, 'upn') }] : []),
  ];
  const parsed = parseForm(newRequestSchema, {
    type: text(body, 'type') || undefined,
    receivedOn: received.value ?? '2000-01-01',
    channel: text(body, 'channel') || undefined,
    description: text(body, 'description'),
    categories: list(body, 'categories'),
    requesterRole: text(body, 'requesterRole') || undefined,
    requesterName: text(body, 'requesterName'),
    requesterContact: text(body, 'requesterContact'),
    identityCheck: text(body, 'identityCheck') || undefined,
    authorityEvidence: text(body, 'authorityEvidence') || undefined,
    authorityNote: text(body, 'authorityNote'),
    subject: {
      givenName: text(body, 'subjectGivenName'),
      familyName: text(body, 'subjectFamilyName'),
      otherNames: text(body, 'subjectOtherNames'),
      dateOfBirth: dob.value,
      identifiers,
    },
  });
  const errors = [
    ...received.errors,
    ...dob.errors,
    ...(parsed.ok ? [] : parsed.errors).map((e) => ({
      ...e,
      field: e.field.replace(/^subject\.(\w)/, (_m, c: string) => `subject${c.toUpperCase()}`),
    })),
  ];
  if (errors.length > 0 || !parsed.ok) return { ok: false as const, errors };
  return { ok: true as const, data: parsed.data };
}

/** The transition form's flat fields, shaped for transitionSchema. */
export function transitionInput(body: Body) {
  const on = optionalDate(body, 'on', 'the date');
  const to = text(body, 'to');
  const extending = to === 'extended' && text(body, 'extensionReason') !== '';
  const told = extending
    ? requireDate(body, 'toldOn', 'the date the requester was told')
    : { value: undefined, errors: [] };
  const parsed = parseForm(transitionSchema, {
    to: to || undefined,
    on: on.value,
    note: text(body, 'note'),
    identityCheck: text(body, 'identityCheck') || undefined,
    authorityEvidence: text(body, 'authorityEvidence') || undefined,
    expectedVersion: Number(text(body, 'version')) || undefined,
    extension:
      extending && told.value
        ? {
            toldOn: told.value,
            reason: text(body, 'extensionReason'),
            months: text(body, 'extensionMonths') === '1' ? 1 : 2,
          }
        : undefined,
  });
  const errors = [...on.errors, ...told.errors, ...(parsed.ok ? [] : parsed.errors)];
  if (errors.length > 0 || !parsed.ok) return { ok: false as const, errors };
  return { ok: true as const, data: parsed.data };
}

/** Three date-input boxes showing a stored ISO date, or what was typed after an error. */
export function dateItems(body: Body | undefined, name: string, iso: string | null | undefined) {
  if (body && [`${name}-day`, `${name}-month`, `${name}-year`].some((k) => k in body)) {
    return dateInputValues(body, name);
  }
  const [year = '', month = '', day = ''] = (iso ?? '').split('-');
  return dateInputValues(
    {
      [`${name}-day`]: day.replace(/^0/, ''),
      [`${name}-month`]: month.replace(/^0/, ''),
      [`${name}-year`]: year,
    },
    name,
  );
}
