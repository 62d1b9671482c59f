import type { FastifyInstance, FastifyReply } from 'fastify';
import type nunjucks from 'nunjucks';

export interface NavigationItem {
  href: string;
  text: string;
}

/** The service navigation, shown once sign-in is complete. */
const navigation: NavigationItem[] = [
  { href: '/', text: 'Home' },
  { href: '/people', text: 'People' },
];

/**
 * `reply.render(template, context)`: renders a page with what every page
 * needs (the signed-in staff member, a CSRF token for its forms, the CSP
 * nonce for the template's one inline script).
 */
export function registerRender(app: FastifyInstance, views: nunjucks.Environment): void {
  app.decorateReply(
    'render',
    function render(this: FastifyReply, template: string, context: Record<string, unknown> = {}) {
      const request = this.request;
      const path = request.url.split('?')[0];
      const html = views.render(template, {
        staff: request.staff,
        csrfToken: this.generateCsrf(),
        cspNonce: this.cspNonce.script,
        navigation: navigation.map((item) => ({ ...item, active: item.href === path })),
        ...context,
      });
      return this.type('text/html; charset=utf-8').send(html);
    },
  );
}
