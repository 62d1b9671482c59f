import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config.js';
import { errorView } from '../../platform/http/forms.js';
import { bodyOf, readComplainant, typedValues } from './form-input.js';
import { referenceInWords } from './reference.js';
import { complainantFields } from './schemas.js';
import type { ComplaintsService } from './service.js';

/**
 * The public complaint form (DPA 2018 s.164A(2): "a complaint form which can
 * be completed electronically"), at /privacy/{organisation}/complain beside
 * the organisation's privacy notice. No sign-in. The POST carries the CSRF
 * token the page gave (app.ts checks every state-changing request), and is
 * rate-limited per client address as sign-in is. An organisation that does
 * not exist gets the ordinary "Page not found".
 *
 * Nothing the complainant types is logged: requests are logged by route
 * pattern only (platform/http/logging.ts), and nothing here logs.
 */

const views = 'governance/complaints/views/public';
const params = z.object({ organisation: z.string().max(100) });

/** The reference shown on the confirmation page, carried there in a signed cookie. */
const SENT_COOKIE = 'safekeep_complaint_sent';

export function registerPublicComplaintRoutes(
  app: FastifyInstance,
  deps: { complaints: ComplaintsService; config: Config },
): void {
  const { complaints, config } = deps;
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const formPath = (slug: string) => `/privacy/${slug}/complain`;

  const formPage = async (
    reply: FastifyReply,
    slug: string,
    extra: { values?: Record<string, string>; errors?: { field: string; message: string }[] } = {},
  ) => {
    const organisation = await complaints.publicOrganisation(slug);
    return reply.render(`${views}/complain.njk`, {
      title: `Complain about how ${organisation.name} uses personal information`,
      organisation,
      action: formPath(organisation.slug),
      values: extra.values ?? {},
      ...errorView(extra.errors ?? []),
    });
  };

  typed.get(
    '/privacy/:organisation/complain',
    { config: { access: 'public' }, schema: { hide: true, params } },
    (request, reply) => formPage(reply, request.params.organisation),
  );

  typed.post(
    '/privacy/:organisation/complain',
    {
      config: {
        access: 'public',
        rateLimit: { max: config.signInRateLimitPerMinute, timeWindow: '1 minute' },
      },
      schema: { hide: true, params },
    },
    async (request, reply) => {
      const slug = request.params.organisation;
      const body = bodyOf(request.body);
      const form = readComplainant(body, 'public');
      if (!form.ok) {
        return formPage(reply.status(400), slug, {
          values: typedValues(body, complainantFields),
          errors: form.errors,
        });
      }
      const received = await complaints.receive(slug, form.data);
      reply.setCookie(SENT_COOKIE, [received.reference, received.acknowledgeBy].join(' '), {
        signed: true,
        httpOnly: true,
        secure: config.cookieSecure,
        sameSite: 'lax',
        path: formPath(slug),
        maxAge: 60 * 60,
      });
      return reply.redirect(`${formPath(slug)}/sent`, 303);
    },
  );

  typed.get(
    '/privacy/:organisation/complain/sent',
    { config: { access: 'public' }, schema: { hide: true, params } },
    async (request, reply) => {
      const organisation = await complaints.publicOrganisation(request.params.organisation);
      const cookie = sentCookie(request);
      const sent = cookie ? { ...cookie, words: referenceInWords(cookie.reference) } : null;
      return reply.render(`${views}/sent.njk`, {
        title: sent ? 'Complaint sent' : 'Your complaint',
        organisation,
        sent,
        formPath: formPath(organisation.slug),
      });
    },
  );
}

/** The reference and last day to acknowledge from the signed cookie, or null. */
function sentCookie(request: FastifyRequest): { reference: string; acknowledgeBy: string } | null {
  const raw = request.cookies[SENT_COOKIE];
  if (!raw) return null;
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || !unsigned.value) return null;
  const [reference, acknowledgeBy] = unsigned.value.split(' ');
  if (!reference || !acknowledgeBy || !/^[a-z]+-[a-z]+-\d{2}$/.test(reference)) return null;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(acknowledgeBy)) return null;
  return { reference, acknowledgeBy };
}
