import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Config } from '../../../config.js';
import { NotFoundError } from '../../errors/errors.js';
import { nextStepPath, setSessionCookie } from '../session-hook.js';
import type { SingleSignOnService } from './service.js';

/** Binds a sign-in in flight to the browser that started it (login CSRF). */
const STATE_COOKIE = 'safekeep_sso_state';
const CALLBACK_PATH = '/sign-in/single-sign-on/callback';
const views = 'platform/auth/single-sign-on/views';

const organisationParams = z.object({ org: z.string().regex(/^[a-z0-9-]{1,80}$/) });

/** What each refusal says, in words a member of staff can act on. */
const refusals = {
  failed: {
    status: 400,
    title: 'Sign-in did not work',
    paragraphs: [
      'Your organisation’s sign-in did not finish, or took too long. Nothing has been changed.',
      'Start again from the sign-in page.',
    ],
  },
  'no-access': {
    status: 403,
    title: 'Your account does not give you access to Safekeep',
    paragraphs: [
      'Your organisation’s account is not in a group that has access to Safekeep.',
      'If you need access for your work, ask your manager to add you to the right group.',
    ],
  },
  'email-in-use': {
    status: 409,
    title: 'An administrator needs to link your account',
    paragraphs: [
      'Safekeep already has an account with your email address that was set up with a password.',
      'Ask your Safekeep administrator to link it to your organisation’s account.',
    ],
  },
} as const;

export function registerSingleSignOnRoutes(
  app: FastifyInstance,
  deps: { singleSignOn: SingleSignOnService; config: Config },
): void {
  const { singleSignOn, config } = deps;
  const limit = { rateLimit: { max: config.signInRateLimitPerMinute, timeWindow: '1 minute' } };

  app.get(
    '/sign-in/organisation/:org',
    { config: { access: 'public', ...limit } },
    async (request, reply) => {
      const params = organisationParams.safeParse(request.params);
      const started = params.success ? await singleSignOn.begin(params.data.org) : null;
      if (!started) throw new NotFoundError();
      reply.setCookie(STATE_COOKIE, started.state, {
        httpOnly: true,
        secure: config.cookieSecure,
        // Lax: sent on the provider's top-level redirect back to us.
        sameSite: 'lax',
        path: CALLBACK_PATH,
        maxAge: 600,
      });
      return reply.redirect(started.url, 303);
    },
  );

  app.get(CALLBACK_PATH, { config: { access: 'public', ...limit } }, async (request, reply) => {
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
    const result = await singleSignOn.complete(query, request.cookies[STATE_COOKIE], request.id);
    reply.clearCookie(STATE_COOKIE, { path: CALLBACK_PATH });
    if (result.outcome === 'signed-in') {
      setSessionCookie(reply, config, result.token);
      return reply.redirect(nextStepPath(result.staff), 303);
    }
    const refusal = refusals[result.outcome];
    return reply.status(refusal.status).render(`${views}/outcome.njk`, {
      title: refusal.title,
      paragraphs: refusal.paragraphs,
    });
  });
}
