import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { errorView, parseForm } from '../http/forms.js';
import { formatDate } from '../http/views.js';
import { acknowledgementExpires, staffConfidentialityStatement } from './confidentiality.js';
import { confidentialityReport } from './confidentiality-report.js';
import type { AuthService } from './service.js';
import { nextStepPath, staffOf } from './session-hook.js';

const acknowledgementForm = z.object({
  acknowledge: z.literal('yes', {
    error: 'Confirm that you have read the statement and will keep to it',
  }),
});

/**
 * `/confidentiality`: the last step of signing in for an organisation until
 * its statement is acknowledged (and again each year); afterwards the same
 * page shows the statement and when it was last acknowledged.
 */
export function registerConfidentialityRoutes(
  app: FastifyInstance,
  auth: AuthService,
  db: Kysely<Database>,
  now: () => Date,
): void {
  app.get('/governance/confidentiality', { schema: { hide: true } }, async (request, reply) => {
    const report = await confidentialityReport(db, staffOf(request), now());
    return reply.render('platform/auth/views/confidentiality-report.njk', {
      title: 'Staff confidentiality acknowledgements',
      organisationName: report.organisationName,
      rows_: report.rows,
    });
  });

  app.get('/confidentiality', { config: { access: 'signing-in' } }, async (request, reply) => {
    const staff = staffOf(request);
    if (staff.stage !== 'needs-confidentiality' && staff.stage !== 'complete') {
      return reply.redirect(nextStepPath(staff));
    }
    return render(reply, staff, []);
  });

  app.post('/confidentiality', { config: { access: 'signing-in' } }, async (request, reply) => {
    const staff = staffOf(request);
    if (staff.stage !== 'needs-confidentiality') return reply.redirect(nextStepPath(staff), 303);
    const form = parseForm(acknowledgementForm, request.body);
    if (!form.ok) return render(reply.status(400), staff, form.errors);
    await auth.acknowledgeConfidentiality(staff);
    return reply.redirect('/', 303);
  });

  async function render(
    reply: import('fastify').FastifyReply,
    staff: ReturnType<typeof staffOf>,
    errors: { field: string; message: string }[],
  ) {
    const organisationName = staff.organisation?.shortName ?? 'your organisation';
    const latest =
      staff.stage === 'complete' ? await auth.latestConfidentialityAcknowledgement(staff) : null;
    return reply.render('platform/auth/views/confidentiality.njk', {
      title: 'Your duty of confidentiality',
      organisationName,
      paragraphs: staffConfidentialityStatement.paragraphs(organisationName),
      acknowledgedOn: latest ? formatDate(latest) : null,
      dueBy: latest ? formatDate(acknowledgementExpires(latest)) : null,
      ...errorView(errors),
    });
  }
}
