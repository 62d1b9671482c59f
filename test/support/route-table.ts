import type { FastifyInstance } from 'fastify';
import type { RouteSummary } from '../../src/platform/http/types.js';

/**
 * Every route the app serves, from the table the app builds as routes are
 * registered (app.ts), less HEAD (Fastify's automatic twin of each GET) and
 * the design systems' static assets and the API description, which hold no
 * data. Tests that must reach every route walk this list, never a hand-kept
 * one, so that a route added tomorrow is walked too.
 */
export function appRoutes(app: FastifyInstance): RouteSummary[] {
  return app.routeTable.filter(
    (route) =>
      route.method !== 'HEAD' &&
      !route.url.startsWith('/assets/') &&
      !route.url.startsWith('/api/docs'),
  );
}

/** The path parameters of a route, in order: `/records/:id/notes/:noteId` → ['id', 'noteId']. */
export function pathParams(route: RouteSummary): string[] {
  return [...route.url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
}

/** The route's URL with each path parameter replaced by `value(name)`. */
export function fillPath(route: RouteSummary, value: (param: string) => string): string {
  return route.url.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) =>
    encodeURIComponent(value(name)),
  );
}
