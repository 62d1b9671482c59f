/**
 * The team manager's pages (issue 13 item 11): /team, the team's caseload,
 * loads and overdue work; /team/records/:id/allocate, giving a record to a
 * worker. Reached from the manager's My work. Rules: TeamService.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffInOrganisation } from '../../platform/auth/session-hook.js';
import type { FieldError } from '../../platform/errors/errors.js';
import { submitForm } from '../../platform/http/form-route.js';
import { errorView } from '../../platform/http/forms.js';
import { one, type Body } from '../entries/entry-form.js';
import type { TeamService } from './team-service.js';

const idParams = z.object({ id: z.string() });

export function registerTeamRoutes(app: FastifyInstance, deps: { team: TeamService }) {
  const { team } = deps;
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.get('/team', { schema: { hide: true } }, async (request, reply) => {
    const { staff } = staffInOrganisation(request);
    const overview = await team.overview(staff);
    return reply.render('casework/team/views/team.njk', {
      title: 'Your team',
      backLink: '/',
      overview,
    });
  });

  async function renderAllocate(
    reply: FastifyReply,
    recordId: string,
    errors: FieldError[],
    body?: Body,
    conflict = false,
  ) {
    const { staff } = staffInOrganisation(reply.request);
    const { view, members } = await team.forAllocation(staff, recordId);
    const chosen = body ? one(body.workerId) : (view.allocatedAccountId ?? '');
    return reply.render('casework/team/views/allocate.njk', {
      title: view.allocatedAccountId ? 'Reallocate the record' : 'Allocate the record',
      backLink: '/team',
      record: view,
      subject: view.parties.find((p) => p.role === 'subject'),
      conflict,
      workers: members.map((m) => ({
        value: m.id,
        text: m.name,
        checked: m.id === chosen,
        hint: m.id === view.allocatedAccountId ? { text: 'Allocated now' } : undefined,
      })),
      ...errorView(errors),
    });
  }

  typed.get(
    '/team/records/:id/allocate',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => renderAllocate(reply, request.params.id, []),
  );

  typed.post(
    '/team/records/:id/allocate',
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const { staff } = staffInOrganisation(request);
      const body = (
        typeof request.body === 'object' && request.body !== null ? request.body : {}
      ) as Body;
      // The record is decided (not found when refused) before anything posted is
      // used: by allocate's one transaction, or, when a worker is missing, by the
      // form shown again. Nothing else opens the record (decision 0044).
      const workerId = one(body.workerId);
      return submitForm(reply, {
        errors: workerId ? [] : [{ field: 'workerId', message: 'Select a worker in your team' }],
        save: () =>
          team.allocate(staff, request.params.id, { workerId, version: one(body.version) }),
        redirectTo: '/team',
        conflictField: 'workerId',
        render: (shown, { errors, conflict }) =>
          renderAllocate(shown, request.params.id, errors, body, conflict),
      });
    },
  );
}
