import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { StaffContext } from '../platform/auth/service.js';
import { staffInOrganisation, staffOf } from '../platform/auth/session-hook.js';
import { NotFoundError, type FieldError } from '../platform/errors/errors.js';
import { submitForm } from '../platform/http/form-route.js';
import { errorView, parseForm } from '../platform/http/forms.js';
import { isOrganisationSlug, policyFor } from '../policy/index.js';
import { dateFromParts, partsOf, text } from './form-input.js';
import { familyPicture } from './family-picture.js';
import { formatNhsNumber } from './identifiers.js';
import {
  addressSchema,
  contactSchema,
  createPersonSchema,
  identifierSchema,
  mergeSchema,
  nameSchema,
  offenceDataSchema,
  relationshipSchema,
  searchSchema,
  specialCategorySchema,
  updatePersonSchema,
} from './schemas.js';
import type { PeopleService, PersonView } from './service.js';
import {
  birthPrecisions,
  contactKinds,
  genders,
  identifierTypes,
  nameKinds,
  offenceDataKinds,
  relationshipTypes,
  specialCharacteristics,
} from './tables.js';

const views = 'people/views';
const pageQuery = z.object({ page: z.coerce.number().int().min(1).max(100_000).default(1) });
const idParams = z.object({ id: z.string().describe('Person id (uuid)') });

// ---------------------------------------------------------------------------
// API shapes (also the OpenAPI description at /api/docs)

export const personSummarySchema = z.object({
  id: z.uuid(),
  givenName: z.string(),
  familyName: z.string(),
  dateOfBirth: z.string().nullable().describe('Calendar date, YYYY-MM-DD, or null when unknown'),
});

const searchHitSchema = personSummarySchema.extend({
  dateOfBirthPrecision: z.enum(birthPrecisions).nullable(),
  matchedName: z
    .object({ kind: z.enum(nameKinds), givenName: z.string(), familyName: z.string() })
    .nullable()
    .describe('The alias or previous name that matched, when not the current name'),
  score: z.number(),
});
const likelyMatchSchema = searchHitSchema.extend({ reasons: z.array(z.string()) });

const personSchema = personSummarySchema.extend({
  organisationId: z.uuid(),
  dateOfBirthPrecision: z.enum(birthPrecisions).nullable(),
  dateOfDeath: z.string().nullable(),
  gender: z.enum(genders).nullable(),
  version: z.number().int().describe('Send back with an edit: optimistic locking'),
  names: z.array(
    z.object({
      id: z.uuid(),
      kind: z.enum(nameKinds),
      givenName: z.string(),
      familyName: z.string(),
      fromDate: z.string().nullable(),
      toDate: z.string().nullable(),
    }),
  ),
  addresses: z.array(
    z.object({
      id: z.uuid(),
      line1: z.string(),
      line2: z.string().nullable(),
      town: z.string().nullable(),
      postcode: z.string().nullable(),
      fromDate: z.string().nullable(),
      toDate: z.string().nullable(),
    }),
  ),
  contacts: z.array(z.object({ id: z.uuid(), kind: z.enum(contactKinds), value: z.string() })),
  identifiers: z.array(
    z.object({ id: z.uuid(), type: z.enum(identifierTypes), value: z.string() }),
  ),
  relationships: z.array(
    z.object({
      id: z.uuid(),
      type: z.enum(relationshipTypes),
      description: z.string().nullable(),
      relatedPersonId: z.uuid(),
      relatedPersonName: z.string(),
      direction: z.enum(['to', 'from']),
    }),
  ),
  merges: z.array(
    z.object({
      id: z.uuid(),
      mergedId: z.uuid(),
      mergedAt: z.date(),
      givenName: z.string(),
      familyName: z.string(),
      dateOfBirth: z.string().nullable(),
    }),
  ),
});

const sensitiveSchema = z.object({
  specialCategory: z
    .array(
      z.object({
        id: z.uuid(),
        characteristic: z.enum(specialCharacteristics),
        value: z.string(),
        recordedOn: z.string().nullable(),
      }),
    )
    .describe('SPECIAL CATEGORY DATA (UK GDPR Art 9)'),
  offenceData: z
    .array(
      z.object({
        id: z.uuid(),
        kind: z.enum(offenceDataKinds),
        description: z.string(),
        occurredOn: z.string().nullable(),
      }),
    )
    .describe('CRIMINAL OFFENCE DATA (UK GDPR Art 10)'),
});

const created = z.object({ id: z.uuid() });

// ---------------------------------------------------------------------------
// Words shown on pages

const labels = {
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

const saved: Record<string, string> = {
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
function formErrors(errors: FieldError[]) {
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
function withChoiceMessages(
  errors: FieldError[],
  messages: Record<string, string> = {},
): FieldError[] {
  return errors.map((e) => {
    const message = messages[e.field];
    return message && !/^(Enter|Choose|Select)/.test(e.message) ? { ...e, message } : e;
  });
}

function isoDateParts(body: Record<string, unknown>, name: string) {
  return {
    day: text(body, `${name}-day`),
    month: text(body, `${name}-month`),
    year: text(body, `${name}-year`),
  };
}

/** The person form's fields, put together from the page's inputs. */
function personFormInput(body: Record<string, unknown>) {
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

export function registerPeopleRoutes(
  app: FastifyInstance,
  deps: { people: PeopleService; personRecords?: PersonRecordsPort },
): void {
  const { people } = deps;
  const typed = app.withTypeProvider<ZodTypeProvider>();

  const renderPerson = renderPersonPage;

  // -------------------------------------------------------------------------
  // Pages

  typed.get(
    '/people',
    {
      schema: {
        hide: true,
        querystring: pageQuery.extend({
          name: z.string().optional(),
          'dateOfBirth-day': z.string().optional(),
          'dateOfBirth-month': z.string().optional(),
          'dateOfBirth-year': z.string().optional(),
          nhsNumber: z.string().optional(),
          upn: z.string().optional(),
        }),
      },
    },
    async (request, reply) => {
      const staff = staffOf(request);
      const query = request.query as Record<string, unknown>;
      const values = {
        name: text(query, 'name'),
        nhsNumber: text(query, 'nhsNumber'),
        upn: text(query, 'upn'),
        dateOfBirth: isoDateParts(query, 'dateOfBirth'),
      };
      const searching = Boolean(
        values.name.trim() ||
        values.nhsNumber.trim() ||
        values.upn.trim() ||
        Object.values(values.dateOfBirth).some((v) => v.trim()),
      );
      if (searching) {
        const dob = dateFromParts(query, 'dateOfBirth', 'Date of birth');
        const form = parseForm(searchSchema, {
          name: values.name,
          nhsNumber: values.nhsNumber,
          upn: values.upn,
          ...(dob.value ? { dateOfBirth: dob.value } : {}),
        });
        const errors = [...(dob.error ? [dob.error] : []), ...(form.ok ? [] : form.errors)];
        if (errors.length > 0 || !form.ok) {
          return reply.status(400).render(`${views}/list.njk`, {
            title: 'Find a person',
            values,
            searching,
            ...formErrors(errors),
          });
        }
        const hits = await people.search(staff, form.data);
        return reply.render(`${views}/list.njk`, {
          title: 'Find a person',
          values,
          searching,
          hits,
          labels,
        });
      }
      const result = await people.list(staff, request.query.page);
      const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
      return reply.render(`${views}/list.njk`, {
        title: 'People',
        values,
        searching,
        ...result,
        pages,
        previous: result.page > 1 ? `/people?page=${result.page - 1}` : null,
        next: result.page < pages ? `/people?page=${result.page + 1}` : null,
      });
    },
  );

  const newPersonPage = (reply: FastifyReply, context: Record<string, unknown>) =>
    reply.render(`${views}/new.njk`, {
      title: 'Add a person',
      backLink: '/people',
      labels,
      precisions: birthPrecisions,
      genders,
      ...context,
    });

  typed.get('/people/new', { schema: { hide: true } }, async (request, reply) => {
    // Refuse the form to those who may not add people, as "not found".
    await people.visibilityFor(staffOf(request), 'person.write');
    return newPersonPage(reply, {
      values: { dateOfBirth: partsOf(null), dateOfDeath: partsOf(null) },
    });
  });

  app.post('/people/new', { schema: { hide: true } }, async (request, reply) => {
    const staff = staffOf(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const { input, dateErrors } = personFormInput(body);
    const values = {
      ...input,
      dateOfBirthPrecision: text(body, 'dateOfBirthPrecision'),
      gender: text(body, 'gender'),
      nhsNumber: text(body, 'nhsNumber'),
      upn: text(body, 'upn'),
      dateOfBirth: isoDateParts(body, 'dateOfBirth'),
      dateOfDeath: isoDateParts(body, 'dateOfDeath'),
    };
    const form = parseForm(createPersonSchema, {
      ...input,
      nhsNumber: text(body, 'nhsNumber'),
      upn: text(body, 'upn'),
      confirmedNotDuplicate: text(body, 'confirmedNotDuplicate') === 'yes',
    });
    const errors = [...dateErrors, ...(form.ok ? [] : form.errors)];
    if (errors.length > 0 || !form.ok) {
      return newPersonPage(reply.status(400), { values, ...formErrors(errors) });
    }
    if (!form.data.confirmedNotDuplicate) {
      const matches = await people.likelyMatches(staff, form.data);
      if (matches.length > 0) return newPersonPage(reply, { values, matches });
    }
    let id = '';
    return submitForm(reply, {
      errors: [],
      save: async () => {
        id = await people.create(staff, form.data);
      },
      redirectTo: () => `/people/${id}?saved=created`,
      render: (shown, { errors: refused }) =>
        newPersonPage(shown, { values, ...formErrors(refused) }),
    });
  });

  typed.get(
    '/people/:id',
    {
      schema: {
        hide: true,
        params: idParams,
        querystring: z.object({ saved: z.string().optional() }),
      },
    },
    async (request, reply) => {
      const staff = staffOf(request);
      // The person first: a refused or missing id goes no further.
      const person = await people.get(staff, request.params.id);
      const name = `${person.givenName} ${person.familyName}`;
      return renderPerson(reply, 'person.njk', person, 'details', {
        title: name,
        work: deps.personRecords ? await deps.personRecords(staff, person.id) : null,
        picture: familyPicture({ name }, person.relationships, labels.relationship),
        saved: saved[request.query.saved ?? ''] ?? null,
        formatNhsNumber,
      });
    },
  );

  const editPage = (
    reply: FastifyReply,
    person: PersonView,
    values: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ) =>
    renderPerson(reply, 'edit.njk', person, 'details', {
      title: 'Change details',
      backLink: `/people/${person.id}`,
      precisions: birthPrecisions,
      genders,
      values,
      ...extra,
    });

  typed.get(
    '/people/:id/edit',
    { schema: { hide: true, params: idParams } },
    async (request, reply) => {
      const person = await people.get(staffOf(request), request.params.id);
      return editPage(reply, person, {
        givenName: person.givenName,
        familyName: person.familyName,
        dateOfBirthPrecision: person.dateOfBirthPrecision ?? 'exact',
        gender: person.gender ?? '',
        dateOfBirth: partsOf(person.dateOfBirth),
        dateOfDeath: partsOf(person.dateOfDeath),
        version: person.version,
      });
    },
  );

  typed.post(
    '/people/:id/edit',
    { schema: { hide: true, params: idParams } },
    async (request, reply) => {
      const staff = staffOf(request);
      const body = (request.body ?? {}) as Record<string, unknown>;
      const { input, dateErrors } = personFormInput(body);
      const values = {
        ...input,
        dateOfBirthPrecision: text(body, 'dateOfBirthPrecision'),
        gender: text(body, 'gender'),
        dateOfBirth: isoDateParts(body, 'dateOfBirth'),
        dateOfDeath: isoDateParts(body, 'dateOfDeath'),
        version: text(body, 'version'),
      };
      const form = parseForm(updatePersonSchema, { ...input, version: text(body, 'version') });
      return submitForm(reply, {
        errors: [...dateErrors, ...(form.ok ? [] : form.errors)],
        save: async () => {
          if (form.ok) await people.update(staff, request.params.id, form.data);
        },
        redirectTo: `/people/${request.params.id}?saved=updated`,
        // Show what they typed beside the error; the stored details are untouched.
        conflictField: 'givenName',
        render: async (shown, { errors, conflict }) => {
          const person = await people.get(staff, request.params.id);
          return editPage(shown, person, values, {
            ...formErrors(errors),
            ...(conflict ? { conflict: true } : {}),
          });
        },
      });
    },
  );

  /** A small "add one thing to this person" page: GET shows it, POST saves and redirects. */
  function addPage<S extends z.ZodType>(options: {
    path: string;
    template: string;
    title: string;
    tab?: 'details' | 'sensitive';
    savedKey: string;
    schema: S;
    /** Form fields into the schema's input, with any date errors. */
    input: (body: Record<string, unknown>) => {
      input: Record<string, unknown>;
      errors: FieldError[];
    };
    save: (
      staffId: Parameters<PeopleService['addName']>[0],
      id: string,
      data: z.output<S>,
    ) => Promise<string>;
    back?: (id: string) => string;
    /** "Select …" messages for radio questions left unanswered, by field. */
    choiceMessages?: Record<string, string>;
  }) {
    const tab = options.tab ?? 'details';
    const back = options.back ?? ((id: string) => `/people/${id}`);
    typed.get(
      `/people/:id/${options.path}`,
      { schema: { hide: true, params: idParams } },
      async (request, reply) => {
        const person = await people.get(staffOf(request), request.params.id);
        return renderPerson(reply, options.template, person, tab, {
          title: options.title,
          backLink: back(person.id),
          values: {
            fromDate: partsOf(null),
            toDate: partsOf(null),
            recordedOn: partsOf(null),
            occurredOn: partsOf(null),
          },
        });
      },
    );
    typed.post(
      `/people/:id/${options.path}`,
      { schema: { hide: true, params: idParams } },
      async (request, reply) => {
        const staff = staffOf(request);
        const body = (request.body ?? {}) as Record<string, unknown>;
        const { input, errors: dateErrors } = options.input(body);
        const form = parseForm(options.schema, input);
        return submitForm(reply, {
          errors: [
            ...dateErrors,
            ...(form.ok ? [] : withChoiceMessages(form.errors, options.choiceMessages)),
          ],
          save: async () => {
            if (form.ok) await options.save(staff, request.params.id, form.data);
          },
          redirectTo: `${back(request.params.id)}?saved=${options.savedKey}`,
          render: async (shown, { errors }) => {
            const person = await people.get(staff, request.params.id);
            const values: Record<string, unknown> = { ...body };
            for (const d of ['fromDate', 'toDate', 'recordedOn', 'occurredOn']) {
              values[d] = isoDateParts(body, d);
            }
            return renderPerson(shown, options.template, person, tab, {
              title: options.title,
              backLink: back(person.id),
              values,
              ...formErrors(errors),
            });
          },
        });
      },
    );
  }

  const datedInput = (
    body: Record<string, unknown>,
    fields: string[],
    dates: [string, string][],
  ) => {
    const input: Record<string, unknown> = {};
    for (const f of fields) input[f] = text(body, f);
    const errors: FieldError[] = [];
    for (const [name, label] of dates) {
      const d = dateFromParts(body, name, label);
      input[name] = d.value;
      if (d.error) errors.push(d.error);
    }
    return { input, errors };
  };

  addPage({
    path: 'names/new',
    template: 'add-name.njk',
    title: 'Add a previous name or alias',
    savedKey: 'name',
    schema: nameSchema,
    input: (body) =>
      datedInput(
        body,
        ['kind', 'givenName', 'familyName'],
        [
          ['fromDate', 'Date from'],
          ['toDate', 'Date to'],
        ],
      ),
    save: (staff, id, data) => people.addName(staff, id, data),
  });

  addPage({
    path: 'addresses/new',
    template: 'add-address.njk',
    title: 'Add an address',
    savedKey: 'address',
    schema: addressSchema,
    input: (body) =>
      datedInput(
        body,
        ['line1', 'line2', 'town', 'postcode'],
        [
          ['fromDate', 'Date moved in'],
          ['toDate', 'Date moved out'],
        ],
      ),
    save: (staff, id, data) => people.addAddress(staff, id, data),
  });

  addPage({
    path: 'identifiers/new',
    template: 'add-identifier.njk',
    title: 'Add an identifier',
    savedKey: 'identifier',
    schema: identifierSchema,
    input: (body) => datedInput(body, ['type', 'value'], []),
    save: (staff, id, data) => people.addIdentifier(staff, id, data),
  });

  addPage({
    path: 'contacts/new',
    template: 'add-contact.njk',
    title: 'Add a contact detail',
    savedKey: 'contact',
    schema: contactSchema,
    input: (body) => datedInput(body, ['kind', 'value'], []),
    save: (staff, id, data) => people.addContact(staff, id, data),
  });

  addPage({
    path: 'offence-data/new',
    template: 'add-offence-data.njk',
    title: 'Add criminal offence information',
    tab: 'sensitive',
    savedKey: 'offence',
    schema: offenceDataSchema,
    input: (body) => datedInput(body, ['kind', 'description'], [['occurredOn', 'Date']]),
    save: (staff, id, data) => people.addOffenceData(staff, id, data),
    choiceMessages: { kind: 'Select the kind of criminal offence information' },
    back: (id) => `/people/${id}/sensitive`,
  });

  // Removing a wrong identifier or address, or ending an address: a page
  // that asks first, then the change (kept in the person's history).
  const entryParams = z.object({
    id: z.string(),
    entry: z.enum(['identifiers', 'addresses']),
    entryId: z.string(),
    change: z.enum(['remove', 'end']),
  });
  const entryPage = (
    reply: FastifyReply,
    person: PersonView,
    params: z.infer<typeof entryParams>,
    values: Record<string, unknown> = {},
    errors: FieldError[] = [],
  ) => {
    const identifier =
      params.entry === 'identifiers'
        ? person.identifiers.find((i) => i.id === params.entryId)
        : undefined;
    const address =
      params.entry === 'addresses'
        ? person.addresses.find((a) => a.id === params.entryId)
        : undefined;
    if ((!identifier && !address) || (params.change === 'end' && !address)) {
      throw new NotFoundError();
    }
    const entry = identifier
      ? {
          label: labels.identifier[identifier.type],
          text:
            identifier.type === 'nhs-number' ? formatNhsNumber(identifier.value) : identifier.value,
        }
      : {
          label: 'Address',
          text: [address?.line1, address?.line2, address?.town, address?.postcode]
            .filter(Boolean)
            .join(', '),
        };
    const noun = identifier ? 'identifier' : 'address';
    return renderPerson(reply, 'change-entry.njk', person, 'details', {
      title: params.change === 'end' ? 'When did they move out?' : `Remove this ${noun}?`,
      backLink: `/people/${person.id}`,
      action: `/people/${person.id}/${params.entry}/${params.entryId}/${params.change}`,
      ending: params.change === 'end',
      entry,
      values: { toDate: partsOf(null), ...values },
      ...(errors.length ? formErrors(errors) : {}),
    });
  };

  typed.get(
    '/people/:id/:entry/:entryId/:change',
    { schema: { hide: true, params: entryParams } },
    async (request, reply) => {
      const person = await people.get(staffOf(request), request.params.id);
      return entryPage(reply, person, request.params);
    },
  );

  typed.post(
    '/people/:id/:entry/:entryId/:change',
    { schema: { hide: true, params: entryParams } },
    async (request, reply) => {
      const staff = staffOf(request);
      const { id, entry, entryId, change } = request.params;
      const body = (request.body ?? {}) as Record<string, unknown>;
      const toDate = change === 'end' ? dateFromParts(body, 'toDate', 'Date moved out') : null;
      const missing =
        toDate && !toDate.error && !toDate.value
          ? [{ field: 'toDate', message: 'Enter the date they moved out' }]
          : [];
      return submitForm(reply, {
        errors: [...(toDate?.error ? [toDate.error] : []), ...missing],
        save: async () => {
          if (change === 'end') {
            await people.endAddress(staff, id, entryId, toDate?.value ?? '');
          } else if (entry === 'identifiers') {
            await people.removeIdentifier(staff, id, entryId);
          } else {
            await people.removeAddress(staff, id, entryId);
          }
        },
        redirectTo: `/people/${id}?saved=${
          change === 'end'
            ? 'address-ended'
            : entry === 'identifiers'
              ? 'identifier-removed'
              : 'address-removed'
        }`,
        render: async (shown, { errors }) => {
          const person = await people.get(staff, id);
          return entryPage(
            shown,
            person,
            request.params,
            { toDate: isoDateParts(body, 'toDate') },
            errors,
          );
        },
      });
    },
  );

  // Relating two people: find the other person by name (only people the
  // staff member may see are found), choose them and the relationship.
  const relationshipPage = async (
    reply: FastifyReply,
    staff: ReturnType<typeof staffOf>,
    person: PersonView,
    searchName: string,
    values: Record<string, string>,
    errors: FieldError[] = [],
  ) => {
    const criteria = searchName.trim() ? searchSchema.safeParse({ name: searchName }) : null;
    const hits =
      criteria?.success && criteria.data.name
        ? (await people.search(staff, criteria.data)).filter((h) => h.id !== person.id)
        : null;
    // With nobody to choose from, "choose the person" belongs to the search box.
    const shown = hits?.length
      ? errors
      : errors.map((e) => (e.field === 'relatedPersonId' ? { ...e, field: 'name' } : e));
    return renderPerson(reply, 'add-relationship.njk', person, 'details', {
      title: 'Add a relationship',
      backLink: `/people/${person.id}`,
      searchName,
      hits,
      relationshipTypes,
      values,
      ...(shown.length > 0 ? formErrors(shown) : {}),
    });
  };

  typed.get(
    '/people/:id/relationships/new',
    {
      schema: {
        hide: true,
        params: idParams,
        querystring: z.object({ name: z.string().max(200).optional() }),
      },
    },
    async (request, reply) => {
      const staff = staffOf(request);
      const person = await people.get(staff, request.params.id);
      return relationshipPage(reply, staff, person, request.query.name ?? '', {});
    },
  );

  typed.post(
    '/people/:id/relationships/new',
    { schema: { hide: true, params: idParams } },
    async (request, reply) => {
      const staff = staffOf(request);
      const body = (request.body ?? {}) as Record<string, unknown>;
      const values = {
        relatedPersonId: text(body, 'relatedPersonId'),
        type: text(body, 'type'),
        description: text(body, 'description'),
      };
      const form = parseForm(relationshipSchema, values);
      return submitForm(reply, {
        errors: form.ok
          ? []
          : withChoiceMessages(form.errors, {
              relatedPersonId: 'Select the related person',
              type: 'Select the kind of relationship',
            }),
        save: async () => {
          if (form.ok) await people.addRelationship(staff, request.params.id, form.data);
        },
        redirectTo: `/people/${request.params.id}?saved=relationship`,
        render: async (shown, { errors }) => {
          const person = await people.get(staff, request.params.id);
          return relationshipPage(shown, staff, person, text(body, 'searchName'), values, errors);
        },
      });
    },
  );

  addPage({
    path: 'sensitive/new',
    template: 'add-special-category.njk',
    title: 'Add special category information',
    tab: 'sensitive',
    savedKey: 'sensitive',
    schema: specialCategorySchema,
    input: (body) =>
      datedInput(body, ['characteristic', 'value'], [['recordedOn', 'Date recorded']]),
    save: (staff, id, data) => people.addSpecialCategory(staff, id, data),
    back: (id) => `/people/${id}/sensitive`,
  });

  typed.get(
    '/people/:id/sensitive',
    {
      schema: {
        hide: true,
        params: idParams,
        querystring: z.object({ saved: z.string().optional() }),
      },
    },
    async (request, reply) => {
      const staff = staffOf(request);
      const person = await people.get(staff, request.params.id);
      const data = await people.sensitive(staff, request.params.id);
      return renderPerson(reply, 'sensitive.njk', person, 'sensitive', {
        title: 'Special category and offence information',
        saved: saved[request.query.saved ?? ''] ?? null,
        ...data,
      });
    },
  );

  typed.get(
    '/people/:id/merge',
    {
      schema: {
        hide: true,
        params: idParams,
        querystring: z.object({ saved: z.string().optional() }),
      },
    },
    async (request, reply) => {
      const staff = staffOf(request);
      const person = await people.get(staff, request.params.id);
      const candidates = (
        await people.likelyMatches(staff, {
          givenName: person.givenName,
          familyName: person.familyName,
          dateOfBirth: person.dateOfBirth,
        })
      ).filter((m) => m.id !== person.id);
      return renderPerson(reply, 'merge.njk', person, 'merge', {
        title: 'Merge entries',
        candidates,
        saved: saved[request.query.saved ?? ''] ?? null,
      });
    },
  );

  typed.post(
    '/people/:id/merge',
    { schema: { hide: true, params: idParams } },
    async (request, reply) => {
      const staff = staffOf(request);
      const form = parseForm(mergeSchema, request.body);
      if (!form.ok) {
        const person = await people.get(staff, request.params.id);
        return renderPerson(reply.status(400), 'merge.njk', person, 'merge', {
          title: 'Merge entries',
          candidates: [],
          ...formErrors(form.errors),
        });
      }
      await people.merge(staff, request.params.id, form.data.duplicateId);
      return reply.redirect(`/people/${request.params.id}?saved=merged`, 303);
    },
  );

  typed.post(
    '/people/merges/:mergeId/undo',
    { schema: { hide: true, params: z.object({ mergeId: z.string() }) } },
    async (request, reply) => {
      const { survivorId } = await people.undoMerge(staffOf(request), request.params.mergeId);
      return reply.redirect(`/people/${survivorId}?saved=unmerged`, 303);
    },
  );

  // -------------------------------------------------------------------------
  // JSON API: the same operations, the same access function and audit.

  const api = <T extends object>(summary: string, extra: T) => ({
    schema: { summary, tags: ['people'], ...extra },
  });

  typed.get(
    '/api/v1/people',
    api('People held by your current organisation that you may see', {
      querystring: pageQuery,
      response: {
        200: z.object({
          total: z.number().int(),
          page: z.number().int(),
          pageSize: z.number().int(),
          people: z.array(personSummarySchema),
        }),
      },
    }),
    async (request) => people.list(staffOf(request), request.query.page),
  );

  typed.get(
    '/api/v1/people/search',
    api(
      'Find people by name (spelling variants too), date of birth, NHS number or UPN; all given criteria must match. Only people you may see are found.',
      {
        querystring: searchSchema,
        response: { 200: z.object({ people: z.array(searchHitSchema) }) },
      },
    ),
    async (request) => ({ people: await people.search(staffOf(request), request.query) }),
  );

  typed.post(
    '/api/v1/people/likely-matches',
    api('People who may already be the one you are about to add (duplicate check)', {
      body: createPersonSchema,
      response: { 200: z.object({ matches: z.array(likelyMatchSchema) }) },
    }),
    async (request) => ({ matches: await people.likelyMatches(staffOf(request), request.body) }),
  );

  typed.post(
    '/api/v1/people',
    api(
      'Add a person. Refused with 409 and the likely matches unless none exist or confirmedNotDuplicate is true.',
      {
        body: createPersonSchema,
        response: {
          201: created,
          409: z.object({
            error: z.literal('possible-duplicate'),
            message: z.string(),
            matches: z.array(likelyMatchSchema),
          }),
        },
      },
    ),
    async (request, reply) => {
      const staff = staffOf(request);
      if (!request.body.confirmedNotDuplicate) {
        const matches = await people.likelyMatches(staff, request.body);
        if (matches.length > 0) {
          return reply.status(409).send({
            error: 'possible-duplicate' as const,
            message:
              'This may be someone already held. Check the matches; send confirmedNotDuplicate: true if it is someone else.',
            matches,
          });
        }
      }
      return reply.status(201).send({ id: await people.create(staff, request.body) });
    },
  );

  typed.get(
    '/api/v1/people/:id',
    api('A person (not their special category or offence data)', {
      params: idParams,
      response: { 200: personSchema },
    }),
    async (request) => people.get(staffOf(request), request.params.id),
  );

  typed.put(
    '/api/v1/people/:id',
    api('Change a person’s details. 409 when someone else saved since your version.', {
      params: idParams,
      body: updatePersonSchema,
      response: { 200: z.object({ version: z.number().int() }) },
    }),
    async (request) => ({
      version: await people.update(staffOf(request), request.params.id, request.body),
    }),
  );

  const addApi = <S extends z.ZodType>(
    path: string,
    summary: string,
    body: S,
    save: (staff: ReturnType<typeof staffOf>, id: string, data: z.output<S>) => Promise<string>,
  ) =>
    typed.post(
      `/api/v1/people/:id/${path}`,
      api(summary, { params: idParams, body, response: { 201: created } }),
      async (request, reply) => {
        const id = await save(staffOf(request), request.params.id, request.body as z.output<S>);
        return reply.status(201).send({ id });
      },
    );

  addApi('names', 'Add a previous name or alias', nameSchema, (s, id, d) =>
    people.addName(s, id, d),
  );
  addApi(
    'addresses',
    'Add an address (postcode validated and normalised)',
    addressSchema,
    (s, id, d) => people.addAddress(s, id, d),
  );
  addApi('contacts', 'Add a contact detail', contactSchema, (s, id, d) =>
    people.addContact(s, id, d),
  );
  addApi(
    'identifiers',
    'Add an identifier: NHS number, UPN, Home Office or port reference. Refused with the reason when invalid or already held.',
    identifierSchema,
    (s, id, d) => people.addIdentifier(s, id, d),
  );
  addApi(
    'relationships',
    'Relate this person to another you may see',
    relationshipSchema,
    (s, id, d) => people.addRelationship(s, id, d),
  );
  addApi(
    'special-category',
    'Add SPECIAL CATEGORY DATA (UK GDPR Art 9)',
    specialCategorySchema,
    (s, id, d) => people.addSpecialCategory(s, id, d),
  );
  addApi(
    'offence-data',
    'Add CRIMINAL OFFENCE DATA (UK GDPR Art 10)',
    offenceDataSchema,
    (s, id, d) => people.addOffenceData(s, id, d),
  );

  const entryApiParams = z.object({ id: z.string(), entryId: z.string() });
  typed.delete(
    '/api/v1/people/:id/identifiers/:entryId',
    api('Remove a wrong identifier; what it was stays in the person’s history', {
      params: entryApiParams,
      response: { 204: z.null() },
    }),
    async (request, reply) => {
      await people.removeIdentifier(staffOf(request), request.params.id, request.params.entryId);
      return reply.status(204).send(null);
    },
  );
  typed.delete(
    '/api/v1/people/:id/addresses/:entryId',
    api('Remove an address that was wrong; what it was stays in the person’s history', {
      params: entryApiParams,
      response: { 204: z.null() },
    }),
    async (request, reply) => {
      await people.removeAddress(staffOf(request), request.params.id, request.params.entryId);
      return reply.status(204).send(null);
    },
  );
  typed.post(
    '/api/v1/people/:id/addresses/:entryId/end',
    api('End an address on the date the person moved out; the change stays in their history', {
      params: entryApiParams,
      body: z.object({ toDate: z.iso.date() }),
      response: { 204: z.null() },
    }),
    async (request, reply) => {
      await people.endAddress(
        staffOf(request),
        request.params.id,
        request.params.entryId,
        request.body.toDate,
      );
      return reply.status(204).send(null);
    },
  );

  typed.get(
    '/api/v1/people/:id/sensitive',
    api('Special category and criminal offence data, read and audited on its own', {
      params: idParams,
      response: { 200: sensitiveSchema },
    }),
    async (request) => people.sensitive(staffOf(request), request.params.id),
  );

  typed.post(
    '/api/v1/people/:id/merge',
    api('Merge another entry (duplicateId) into this person; undo with the returned merge id', {
      params: idParams,
      body: mergeSchema,
      response: { 201: z.object({ mergeId: z.uuid() }) },
    }),
    async (request, reply) => {
      const mergeId = await people.merge(
        staffOf(request),
        request.params.id,
        request.body.duplicateId,
      );
      return reply.status(201).send({ mergeId });
    },
  );

  typed.post(
    '/api/v1/people/merges/:mergeId/undo',
    api('Undo a merge exactly', {
      params: z.object({ mergeId: z.string() }),
      response: { 200: z.object({ survivorId: z.uuid(), restoredId: z.uuid() }) },
    }),
    async (request) => {
      staffInOrganisation(request);
      return people.undoMerge(staffOf(request), request.params.mergeId);
    },
  );
}

/** The special category and offence data kinds the signed-in organisation's notice covers. */
function sensitiveDataAllowed(request: FastifyRequest) {
  const slug = request.staff?.organisation?.slug;
  if (!slug || !isOrganisationSlug(slug))
    return { specialCategory: [], offenceData: [], source: '' };
  const policy = policyFor(slug);
  return { ...policy.personSensitiveData, organisationName: policy.name };
}
