import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { findPeople, type FindResult } from '../people/choose.js';
import type { PeopleService } from '../people/service.js';
import { canPeople } from '../platform/access/access.js';
import type { StaffContext } from '../platform/auth/service.js';
import { staffInOrganisation } from '../platform/auth/session-hook.js';
import { NotFoundError, ValidationError } from '../platform/errors/errors.js';
import { errorView } from '../platform/http/forms.js';
import { humanise } from './categories.js';
import { partyRoles, type PartyInput } from './schemas.js';
import type { CaseworkService } from './service.js';

/**
 * Choosing people for records by searching (issue 13 item 4): who a new
 * record is about, and who to add to a record. Results are people the
 * searcher may see; what is posted goes through the same service calls,
 * and so the same access decision, as before.
 */

const views = 'casework/views';

function mayAddPeople(staff: StaffContext): boolean {
  return !!staff.organisation && canPeople(staff, 'person.write', staff.organisation.id);
}

/** The first step of a new record when nobody is chosen yet: find the person it is about. */
export async function renderChooseSubject(
  reply: FastifyReply,
  people: PeopleService,
  staff: StaffContext,
  query: { find?: string | undefined; category?: string | undefined },
) {
  const find = await findPeople(people, staff, query.find);
  const category = query.category ? `&category=${encodeURIComponent(query.category)}` : '';
  return reply.status(find.state === 'error' ? 400 : 200).render(`${views}/choose-person.njk`, {
    title: 'Who is the record about?',
    caption: 'Create a record',
    action: '/records/new',
    hidden: query.category ? { category: query.category } : {},
    find: withLinks(find, (id) => `/records/new?person=${id}${category}`),
    mayAddPeople: mayAddPeople(staff),
    ...(find.state === 'error' ? errorView([{ field: 'find', message: find.message }]) : {}),
  });
}

function withLinks(find: FindResult, href: (id: string) => string) {
  if (find.state !== 'found') return find;
  return { ...find, people: find.people.map((p) => ({ ...p, href: href(p.id) })) };
}

const idParams = z.object({ id: z.uuid() });

export function registerChooseRoutes(
  app: FastifyInstance,
  deps: { casework: CaseworkService; people: PeopleService },
): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { casework, people } = deps;

  const roleItems = (selected: unknown) => [
    { value: '', text: 'Select' },
    ...partyRoles
      .filter((r) => r !== 'subject')
      .map((r) => ({ value: r, text: humanise(r), selected: r === selected })),
  ];

  async function renderAddParty(
    reply: FastifyReply,
    staff: StaffContext,
    recordId: string,
    findText: string | undefined,
    values: Record<string, unknown> = {},
    errors: { field: string; message: string }[] = [],
  ) {
    // Through the access decision (audited as a read): only someone who may
    // change the record may add to it; anyone else finds no such page.
    const record = await casework.open(staff, recordId);
    if (!record.access.canWrite) throw new NotFoundError();
    const find = await findPeople(people, staff, findText);
    const all = [...errors];
    if (find.state === 'error') all.push({ field: 'find', message: find.message });
    const shown =
      find.state === 'found'
        ? {
            ...find,
            people: find.people.filter(
              (p) => !record.parties.some((party) => party.personId === p.id),
            ),
          }
        : find;
    return reply.status(all.length ? 400 : 200).render(`${views}/choose-person.njk`, {
      title: 'Add a person to the record',
      caption: record.categoryName,
      backLink: `/records/${recordId}#people`,
      action: `/records/${recordId}/parties/new`,
      postTo: `/records/${recordId}/parties/new?find=${encodeURIComponent(findText ?? '')}`,
      hidden: {},
      find: shown,
      partyRoles: roleItems(values.role),
      values,
      mayAddPeople: mayAddPeople(staff),
      ...errorView(all),
    });
  }

  typed.get(
    '/records/:id/parties/new',
    {
      schema: {
        params: idParams,
        querystring: z.object({ find: z.string().optional() }),
        hide: true,
      },
    },
    async (request, reply) => {
      const { staff } = staffInOrganisation(request);
      return renderAddParty(reply, staff, request.params.id, request.query.find);
    },
  );

  typed.post(
    '/records/:id/parties/new',
    {
      schema: {
        params: idParams,
        querystring: z.object({ find: z.string().optional() }),
        hide: true,
      },
    },
    async (request, reply) => {
      const { staff } = staffInOrganisation(request);
      const body = (request.body ?? {}) as Record<string, unknown>;
      const values = {
        personId: typeof body.personId === 'string' ? body.personId : '',
        role: typeof body.role === 'string' ? body.role : '',
      };
      try {
        await casework.addParty(staff, request.params.id, values as PartyInput);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        const errors = error.fieldErrors;
        return renderAddParty(reply, staff, request.params.id, request.query.find, values, errors);
      }
      return reply.redirect(`/records/${request.params.id}#people`, 303);
    },
  );
}
