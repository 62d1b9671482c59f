/** Relating two people (src/people/routes.ts registers the pages). */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffOf } from '../platform/auth/session-hook.js';
import { type FieldError } from '../platform/errors/errors.js';
import { submitForm } from '../platform/http/form-route.js';
import { parseForm } from '../platform/http/forms.js';
import { text } from './form-input.js';
import { relationshipSchema, searchSchema } from './schemas.js';
import type { PeopleService, PersonView } from './service.js';
import { relationshipTypes } from './tables.js';
import { idParams, formErrors, withChoiceMessages, renderPersonPage } from './page-shared.js';

export function registerRelationshipPages(
  app: FastifyInstance,
  deps: { people: PeopleService },
): void {
  const { people } = deps;
  const typed = app.withTypeProvider<ZodTypeProvider>();

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
    return renderPersonPage(reply, 'add-relationship.njk', person, 'details', {
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
}
