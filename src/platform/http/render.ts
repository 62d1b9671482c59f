import type { FastifyInstance, FastifyReply } from 'fastify';
import type nunjucks from 'nunjucks';
import {
  canBreach,
  canPartnership,
  canPeople,
  canRetention,
  canRights,
  receivesGrants,
  searchableCategories,
} from '../access/access.js';
import type { StaffContext } from '../auth/service.js';

export interface NavigationItem {
  href: string;
  text: string;
  /** Shown only to staff the access function lets use it. */
  shownTo?: (staff: StaffContext) => boolean;
}

/** The service navigation, shown once sign-in is complete. */
const navigation: NavigationItem[] = [
  { href: '/', text: 'Home' },
  {
    href: '/people',
    text: 'People',
    shownTo: (staff) =>
      !!staff.organisation && canPeople(staff, 'person.list', staff.organisation.id),
  },
  {
    href: '/records',
    text: 'Records',
    shownTo: (staff) => searchableCategories(staff).length > 0,
  },
  { href: '/sharing', text: 'Sharing', shownTo: (staff) => receivesGrants(staff) },
  { href: '/partnership', text: 'Partnership', shownTo: (staff) => canPartnership(staff) },
  {
    href: '/rights',
    text: 'Rights requests',
    shownTo: (staff) => canRights(staff, 'rights.view'),
  },
  {
    href: '/rights/gathering',
    text: 'Requests to gather',
    shownTo: (staff) => !canRights(staff, 'rights.view') && canRights(staff, 'rights.gather'),
  },
  {
    href: '/retention',
    text: 'Retention',
    shownTo: (staff) => canRetention(staff, 'retention.view'),
  },
  {
    href: '/governance/breaches',
    text: 'Breaches',
    shownTo: (staff) => canBreach(staff, 'breach.view'),
  },
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
        navigation: navigation
          .filter((item) => !item.shownTo || (request.staff && item.shownTo(request.staff)))
          .map(({ href, text }) => ({
            href,
            text,
            active: href === '/' ? path === '/' : path?.startsWith(href),
          })),
        ...context,
      });
      return this.type('text/html; charset=utf-8').send(html);
    },
  );
}
