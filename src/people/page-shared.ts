/**
 * What the people pages share: the words shown for stored codes, the
 * "saved" banners, form error shaping, and the person page's frame (header
 * and tabs) that every page about one person is drawn in.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { StaffContext } from '../platform/auth/service.js';
import { type FieldError } from '../platform/errors/errors.js';
import { errorView } from '../platform/http/forms.js';
import { isOrganisationSlug, policyFor } from '../policy/index.js';
import { dateFromParts, text } from './form-input.js';
import type { PersonView } from './service.js';
import { birthPrecisions } from './tables.js';

export const views = 'people/views';
export const pageQuery = z.object({ page: z.coerce.number().int().min(1).max(100_000).default(1) });
export const idParams = z.object({ id: z.string().describe('Person id (uuid)') });

// ---------------------------------------------------------------------------
// Words shown on pages

export const labels = {
  precision: {
    exact: 'Exact',
    month: 'Month and year only',
    year: 'Year only',
    estimated: 'Estimated',
  },
  gender: { female: 'Female', male: 'Male', other: 'Other', 'not-known': 'Not known' },
  nameKind: { current: 'Current name', previous: 'Previous name', alias: 'Alias' },
  identifier: {
    'nhs-number': 'NHS number',
    upn: 'Unique pupil number (UPN)',
    'home-office-reference': 'Home Office reference',
    'port-reference': 'Port reference',
  },
  contact: { phone: 'Phone', email: 'Email', other: 'Other' },
  relationship: {
    family: 'Family',
    'extended-family': 'Extended family',
    friend: 'Friend',
    carer: 'Carer',
    professional: 'Professional',
  },
  characteristic: {
    ethnicity: 'Ethnicity',
    disability: 'Disability',
    'religion-or-belief': 'Religion or belief',
    'sexual-orientation': 'Sexual orientation',
    'marriage-or-civil-partnership': 'Marriage or civil partnership',
    'gender-reassignment': 'Gender reassignment',
    health: 'Health, including mental health',
    'drug-and-alcohol-use': 'Drug and alcohol use',
  },
  offence: {
    'legal-status': 'Legal status',
    proceedings: 'Proceedings',
    caution: 'Caution',
    conviction: 'Conviction',
  },
} as const;

export const saved: Record<string, string> = {
  created: 'Person added',
  updated: 'Details saved',
  name: 'Name added',
  address: 'Address added',
  identifier: 'Identifier added',
  'identifier-removed': 'Identifier removed. What it was is kept in the person’s history.',
  'address-removed': 'Address removed. What it was is kept in the person’s history.',
  'address-ended': 'Address ended',
  contact: 'Contact detail added',
  relationship: 'Relationship added',
  sensitive: 'Special category information added',
  offence: 'Criminal offence information added',
  merged: 'Entries merged. The merge can be undone below.',
  unmerged: 'Merge undone: both entries are back as they were',
};

/** Error summary plus per-field messages; date input parts report on the date. */
export function formErrors(errors: FieldError[]) {
  const view = errorView(errors);
  const fieldErrors: Record<string, { text: string }> = { ...view.fieldErrors };
  for (const e of errors) {
    const date = /^(\w+)-(day|month|year)$/.exec(e.field)?.[1];
    if (date && !fieldErrors[date]) fieldErrors[date] = { text: e.message };
  }
  return { errors: view.errors, fieldErrors };
}

/**
 * GOV.UK wording ("Select …") for a question whose options were left
 * unanswered, in place of the schema's generic "invalid option".
 */
export function withChoiceMessages(
  errors: FieldError[],
  messages: Record<string, string> = {},
): FieldError[] {
  return errors.map((e) => {
    const message = messages[e.field];
    return message && !/^(Enter|Choose|Select)/.test(e.message) ? { ...e, message } : e;
  });
}

export function isoDateParts(body: Record<string, unknown>, name: string) {
  return {
    day: text(body, `${name}-day`),
    month: text(body, `${name}-month`),
    year: text(body, `${name}-year`),
  };
}

/** The person form's fields, put together from the page's inputs. */
export function personFormInput(body: Record<string, unknown>) {
  const precisionText = text(body, 'dateOfBirthPrecision');
  const precision = (birthPrecisions as readonly string[]).includes(precisionText)
    ? precisionText
    : 'exact';
  const dob = dateFromParts(body, 'dateOfBirth', 'Date of birth', {
    range: { notAfter: 'today' },
    ...(precision === 'month' ? { partial: 'month' as const } : {}),
    ...(precision === 'year' ? { partial: 'year' as const } : {}),
  });
  const dod = dateFromParts(body, 'dateOfDeath', 'Date of death', {
    range: { notAfter: 'today' },
  });
  const gender = text(body, 'gender');
  return {
    input: {
      givenName: text(body, 'givenName'),
      familyName: text(body, 'familyName'),
      dateOfBirth: dob.value,
      dateOfBirthPrecision: dob.value ? precision : null,
      dateOfDeath: dod.value,
      gender: gender === '' ? null : gender,
    },
    dateErrors: [dob.error, dod.error].filter((e): e is FieldError => e !== undefined),
  };
}

/**
 * A person's records and alerts, from casework (passed in by app.ts, as
 * people sits below casework): only what the viewer may read, audited.
 */
export type PersonRecordsPort = (
  staff: StaffContext,
  personId: string,
) => Promise<{
  records: {
    id: string;
    categoryName: string;
    role: string;
    open: boolean;
    openedOn: string;
    closedOn: string | null;
    workerName: string | null;
    restricted: boolean;
  }[];
  alerts: { kind: string; words: string }[];
}>;

/**
 * A page about one person: their header, the tabs, and the page's own
 * content. Exported for the person's pages kept in their own folders
 * (people/consent).
 */
export function renderPersonPage(
  reply: FastifyReply,
  template: string,
  person: Pick<PersonView, 'id' | 'givenName' | 'familyName' | 'dateOfBirth'> & {
    dateOfBirthPrecision?: string | null;
  },
  tab: 'details' | 'sensitive' | 'merge' | 'consent' | 'from-partners',
  context: Record<string, unknown>,
) {
  const organisation = reply.request.staff?.organisation;
  const consentPurposes =
    organisation && isOrganisationSlug(organisation.slug)
      ? (policyFor(organisation.slug).consentPurposes ?? [])
      : [];
  return reply.render(template.includes('/') ? template : `${views}/${template}`, {
    person,
    labels,
    // Only the kinds of sensitive data the organisation's notice covers are offered.
    sensitiveAllowed: sensitiveDataAllowed(reply.request),
    subNavigation: [
      { text: 'Details', href: `/people/${person.id}`, active: tab === 'details' },
      {
        text: 'Special category and offence information',
        href: `/people/${person.id}/sensitive`,
        active: tab === 'sensitive',
      },
      // Only where the organisation's policy rests a purpose on consent.
      ...(consentPurposes.length > 0
        ? [{ text: 'Consent', href: `/people/${person.id}/consent`, active: tab === 'consent' }]
        : []),
      // What partners' files said about them (src/intake).
      {
        text: 'From partners',
        href: `/people/${person.id}/from-partners`,
        active: tab === 'from-partners',
      },
      { text: 'Merge', href: `/people/${person.id}/merge`, active: tab === 'merge' },
    ],
    ...context,
  });
}

/** The special category and offence data kinds the signed-in organisation's notice covers. */
export function sensitiveDataAllowed(request: FastifyRequest) {
  const slug = request.staff?.organisation?.slug;
  if (!slug || !isOrganisationSlug(slug))
    return { specialCategory: [], offenceData: [], source: '' };
  const policy = policyFor(slug);
  return { ...policy.personSensitiveData, organisationName: policy.name };
}
