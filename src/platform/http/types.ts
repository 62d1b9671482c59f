import type { FastifySchema } from 'fastify';
import type { StaffContext } from '../auth/service.js';

/**
 * Who may reach a route. Deny by default: a route that says nothing needs a
 * staff member who has finished signing in (two-factor and organisation too).
 */
export type RouteAccess =
  | 'public'
  /** Part-way through sign-in: two-factor or choosing an organisation. */
  | 'signing-in'
  | 'staff';

/** One route as registered: what tests walk to reach every route. */
export interface RouteSummary {
  method: string;
  url: string;
  access: RouteAccess;
  schema?: FastifySchema;
}

declare module 'fastify' {
  interface FastifyInstance {
    routeTable: readonly RouteSummary[];
  }
  interface FastifyRequest {
    staff: StaffContext | null;
    /** Authenticated by a bearer token (no cookies, so no CSRF exposure). */
    viaApiToken: boolean;
  }
  interface FastifyReply {
    render(template: string, context?: Record<string, unknown>): FastifyReply;
  }
  interface FastifyContextConfig {
    access?: RouteAccess;
    /**
     * Served the same to everyone (the design systems' files, the API
     * description): the session is not looked up at all.
     */
    sessionless?: boolean;
  }
}
