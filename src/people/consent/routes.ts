import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { staffOf } from '../../platform/auth/session-hook.js';
import { NotFoundError, type FieldError } from '../../platform/errors/errors.js';
import { dateInputFields, dateInputValues } from '../../platform/http/date-input.js';
import { submitForm } from '../../platform/http/form-route.js';
import { errorView, parseForm } from '../../platform/http/forms.js';
import { requiredParagraphs } from '../../platform/validation/text.js';
import { renderPersonPage } from '../routes.js';
import type { PeopleService, PersonView } from '../service.js';
import { consentMethods } from '../tables.js';
import { consentPurposesOf, type ConsentService, type ConsentView } from './service.js';

const views = 'people/consent/views';

const methods: Record<(typeof consentMethods)[number], string> = {
  'in-writing': 'In writing',
  spoken: 'In person or on the phone',
  online: 'Online',
  'at-a-meeting': 'At a meeting',
};
const withdrawals: Record<NonNullable<ConsentView['withdrawnHow']>, string> = {
  ...methods,
  'rights-request': 'By a request to withdraw consent',
  'objection-to-direct-marketing': 'By objecting to direct marketing',
};

const giveForm = z
  .object({
    purpose: z.string({ error: 'Select what they consented to' }).min(1, {
      error: 'Select what they consented to',
    }),
    givenHow: z.enum(consentMethods, { error: 'Select how they gave consent' }),
    evidence: requiredParagraphs('where the evidence is', 500),
  })
  .and(dateInputFields('givenOn', 'the date they gave consent', { notAfter: 'today' }));

const withdrawForm = z
  .object({
    withdrawnHow: z.enum(consentMethods, { error: 'Select how they withdrew consent' }),
  })
  .and(dateInputFields('withdrawnOn', 'the date they withdrew consent', { notAfter: 'today' }));

const saved: Record<string, string> = {
  given: 'Consent recorded',
  withdrawn: 'Consent withdrawn: it has stopped',
};

/**
 * A person's consents (the "Consent" tab, shown only where the
 * organisation's policy rests a purpose on consent), recording and
 * withdrawing one, and the list of everyone consenting to a purpose.
 */
export function registerConsentRoutes(
  app: FastifyInstance,
  deps: { consent: ConsentService; people: PeopleService },
): void {
  const { consent, people } = deps;

  async function renderConsent(
    reply: FastifyReply,
    person: PersonView,
    values: Record<string, unknown>,
    errors: FieldError[],
    savedKey?: string,
  ) {
    const staff = staffOf(reply.request);
    const held = await consent.list(staff, person.id);
    const purposes = consentPurposesOf(staff).map((purpose) => ({
      ...purpose,
      standing: held.find((c) => c.purpose.id === purpose.id && c.withdrawnOn === null) ?? null,
      withdrawn: held.filter((c) => c.purpose.id === purpose.id && c.withdrawnOn !== null),
    }));
    return renderPersonPage(reply, `${views}/consent.njk`, person, 'consent', {
      title: 'Consent',
      organisationName: staff.organisation?.shortName ?? '',
      purposes,
      offerable: purposes.filter((p) => !p.standing),
      methods,
      withdrawals,
      values,
      givenOnItems: dateInputValues(values, 'givenOn'),
      saved: savedKey ? (saved[savedKey] ?? null) : null,
      ...errorView(errors),
    });
  }

  app.get<{ Params: { id: string }; Querystring: { saved?: string } }>(
    '/people/:id/consent',
    { schema: { hide: true } },
    async (request, reply) => {
      const person = await people.get(staffOf(request), request.params.id);
      return renderConsent(reply, person, {}, [], request.query.saved);
    },
  );

  app.post<{ Params: { id: string } }>(
    '/people/:id/consent',
    { schema: { hide: true } },
    async (request, reply) => {
      const staff = staffOf(request);
      const person = await people.get(staff, request.params.id);
      const values = (request.body ?? {}) as Record<string, unknown>;
      const form = parseForm(giveForm, values);
      return submitForm(reply, {
        errors: form.ok ? [] : form.errors,
        save: () => (form.ok ? consent.give(staff, person.id, form.data) : Promise.resolve()),
        redirectTo: `/people/${person.id}/consent?saved=given`,
        render: (r, refusal) => renderConsent(r, person, values, refusal.errors),
      });
    },
  );

  app.get<{ Params: { id: string; consentId: string } }>(
    '/people/:id/consent/:consentId/withdraw',
    { schema: { hide: true } },
    async (request, reply) => renderWithdraw(reply, request.params, {}, []),
  );

  app.post<{ Params: { id: string; consentId: string } }>(
    '/people/:id/consent/:consentId/withdraw',
    { schema: { hide: true } },
    async (request, reply) => {
      const staff = staffOf(request);
      const values = (request.body ?? {}) as Record<string, unknown>;
      // The person and the consent are checked by the service before any
      // write, and by the page before any error is shown: a refused or
      // missing id is "not found" either way.
      const form = parseForm(withdrawForm, values);
      return submitForm(reply, {
        errors: form.ok ? [] : form.errors,
        save: () =>
          form.ok
            ? consent.withdraw(staff, request.params.id, request.params.consentId, form.data)
            : Promise.resolve(),
        redirectTo: `/people/${request.params.id}/consent?saved=withdrawn`,
        render: (r, refusal) => renderWithdraw(r, request.params, values, refusal.errors),
      });
    },
  );

  app.get<{ Params: { purpose: string } }>(
    '/people/consent/:purpose',
    { schema: { hide: true } },
    async (request, reply) => {
      const list = await consent.consenting(staffOf(request), request.params.purpose);
      return reply.render(`${views}/consenting.njk`, {
        title: list.purpose.name,
        people: list.people,
      });
    },
  );

  async function renderWithdraw(
    reply: FastifyReply,
    params: { id: string; consentId: string },
    values: Record<string, unknown>,
    errors: FieldError[],
  ) {
    const staff = staffOf(reply.request);
    const person = await people.get(staff, params.id);
    const held = (await consent.list(staff, person.id)).find(
      (c) => c.id === params.consentId && c.withdrawnOn === null,
    );
    if (!held) throw new NotFoundError();
    return renderPersonPage(reply, `${views}/withdraw.njk`, person, 'consent', {
      title: 'Record that consent was withdrawn',
      purposeName: held.purpose.name,
      consentId: held.id,
      methods,
      values,
      withdrawnOnItems: dateInputValues(values, 'withdrawnOn'),
      ...errorView(errors),
    });
  }
}
