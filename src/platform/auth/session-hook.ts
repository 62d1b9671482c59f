import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import { UnauthenticatedError } from '../errors/errors.js';
import { isApiRequest } from '../http/error-handler.js';
import type { ServiceAccounts } from './service-accounts.js';
import type { AuthService, StaffContext } from './service.js';

export const SESSION_COOKIE = 'safekeep_session';

/** Where a part-signed-in staff member goes next. */
export function nextStepPath(staff: StaffContext): string {
  switch (staff.stage) {
    case 'needs-mfa-setup':
      return '/sign-in/two-factor/set-up';
    case 'needs-mfa':
      return '/sign-in/two-factor';
    case 'needs-organisation':
      return '/choose-organisation';
    case 'needs-confidentiality':
      return '/confidentiality';
    case 'complete':
      return '/';
  }
}

export function setSessionCookie(reply: FastifyReply, config: Config, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    secure: config.cookieSecure,
    sameSite: 'lax',
    path: '/',
  });
}

/**
 * Resolves the session cookie to a staff member on every request and
 * enforces each route's declared access. Deny by default: routes are for
 * fully signed-in staff unless they say otherwise.
 */
export function registerSessionHook(
  app: FastifyInstance,
  auth: AuthService,
  serviceAccounts: ServiceAccounts,
): void {
  app.decorateRequest('staff', null);
  app.decorateRequest('viaApiToken', false);
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    // A page's stylesheets, scripts, fonts and images are the same for
    // everyone: looking up the session for each (eight a page view) was
    // eight database round trips a page, and would keep an idle session
    // alive on a tab's refetches.
    if (request.routeOptions.config?.sessionless) return;
    // A route that checks a bearer token of its own (/metrics) is not an API call.
    const bearer = request.routeOptions.config?.ownBearerToken
      ? undefined
      : /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (bearer !== undefined) {
      // Integrations use /api/v1 only, and a bad token is refused outright
      // rather than quietly treated as signed out.
      if (!isApiRequest(request)) throw new UnauthenticatedError('API tokens are for /api/v1 only');
      request.staff = await serviceAccounts.resume(bearer);
      if (!request.staff)
        throw new UnauthenticatedError('The API token is unknown, expired or revoked');
      request.viaApiToken = true;
    } else {
      const token = request.cookies[SESSION_COOKIE];
      request.staff = token ? await auth.resume(token) : null;
      if (token && !request.staff) reply.clearCookie(SESSION_COOKIE, { path: '/' });
    }

    const access = request.routeOptions.config?.access ?? 'staff';
    // Unknown URLs get the not-found page, signed in or not.
    if (access === 'public' || request.is404) return;
    if (!request.staff) throw new UnauthenticatedError();
    if (access === 'staff' && request.staff.stage !== 'complete') {
      if (isApiRequest(request)) throw new UnauthenticatedError('Finish signing in first');
      return reply.redirect(nextStepPath(request.staff));
    }
  });
}

/** The staff member on a route the session hook has already guarded. */
export function staffOf(request: FastifyRequest): StaffContext {
  if (!request.staff) throw new UnauthenticatedError();
  return request.staff;
}

/** The staff member and the organisation they are acting for. */
export function staffInOrganisation(request: FastifyRequest) {
  const staff = staffOf(request);
  if (!staff.organisation || staff.stage !== 'complete') {
    throw new UnauthenticatedError('Finish signing in first');
  }
  return { staff, organisation: staff.organisation };
}
