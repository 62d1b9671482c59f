import type { FastifyInstance } from 'fastify';

/**
 * Nothing Safekeep answers may be kept by a browser or a proxy
 * (`Cache-Control: no-store`) except the design-system and app assets under
 * /assets/, which are the same for everyone and keep their own caching.
 * A signed-in page or API answer holds personal data, and a shared
 * computer's back button or disk cache must not give it to the next person
 * (NCSC and OWASP session guidance). Signed-out pages carry a CSRF token tied
 * to a cookie, so they are not kept either: one rule, nothing to forget on a
 * new route.
 */
export function registerNoStore(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (!request.routeOptions.url?.startsWith('/assets/'))
      reply.header('cache-control', 'no-store');
    return payload;
  });
}
