/** The pages that add to or take from a person's entries. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffOf } from '../platform/auth/session-hook.js';
import { NotFoundError, type FieldError } from '../platform/errors/errors.js';
import { submitForm } from '../platform/http/form-route.js';
import { parseForm } from '../platform/http/forms.js';
import { dateFromParts, partsOf, text } from './form-input.js';
import { formatNhsNumber } from './identifiers.js';
import {
  addressSchema,
  contactSchema,
  identifierSchema,
  nameSchema,
  offenceDataSchema,
  specialCategorySchema,
} from './schemas.js';
import type { PeopleService, PersonView } from './service.js';
import {
  idParams,
  labels,
  formErrors,
  withChoiceMessages,
  isoDateParts,
  renderPersonPage,
} from './page-shared.js';

/**
 * Adding one thing to a person (a name, address, identifier, contact,
 * special category or offence entry), and removing or ending an identifier
 * or address.
 */
export function registerEntryPages(app: FastifyInstance, deps: { people: PeopleService }): void {
  const { people } = deps;
  const typed = app.withTypeProvider<ZodTypeProvider>();

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
        return renderPersonPage(reply, options.template, person, tab, {
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
            return renderPersonPage(shown, options.template, person, tab, {
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
    return renderPersonPage(reply, 'change-entry.njk', person, 'details', {
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
}
