/** The pages about a person as a whole (src/people/routes.ts registers them). */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffOf } from '../platform/auth/session-hook.js';
import { submitForm } from '../platform/http/form-route.js';
import { parseForm } from '../platform/http/forms.js';
import { dateFromParts, partsOf, text } from './form-input.js';
import { familyPicture } from './family-picture.js';
import { formatNhsNumber } from './identifiers.js';
import { createPersonSchema, mergeSchema, searchSchema, updatePersonSchema } from './schemas.js';
import type { PeopleService, PersonView } from './service.js';
import { birthPrecisions, genders } from './tables.js';
import {
  views,
  pageQuery,
  idParams,
  labels,
  saved,
  formErrors,
  isoDateParts,
  personFormInput,
  renderPersonPage,
  type PersonRecordsPort,
} from './page-shared.js';

/** Finding, adding and changing a person; their special category page; merging entries. */
export function registerPersonPages(
  app: FastifyInstance,
  deps: { people: PeopleService; personRecords?: PersonRecordsPort },
): void {
  const { people } = deps;
  const typed = app.withTypeProvider<ZodTypeProvider>();

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
      return renderPersonPage(reply, 'person.njk', person, 'details', {
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
    renderPersonPage(reply, 'edit.njk', person, 'details', {
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
      return renderPersonPage(reply, 'sensitive.njk', person, 'sensitive', {
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
      return renderPersonPage(reply, 'merge.njk', person, 'merge', {
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
        return renderPersonPage(reply.status(400), 'merge.njk', person, 'merge', {
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
}
