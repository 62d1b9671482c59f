import type { FastifyServerOptions } from 'fastify';
import type { Config } from '../../config.js';

/**
 * pino settings. No personal data in logs: requests are logged by method,
 * route pattern and status only (never the query string, which can hold a
 * searched name), and anything that might carry personal or secret fields
 * is redacted should it ever be logged.
 */
export const redactedPaths = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  '*.password',
  '*.email',
  '*.name',
  '*.givenName',
  '*.familyName',
  '*.dateOfBirth',
  '*.nhsNumber',
  '*.upn',
  '*.address',
  '*.body',
  '*.code',
  '*.token',
];

export function loggerOptions(config: Config): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    serializers: {
      req(request: { method: string; url: string; routeOptions?: { url?: string }; id: string }) {
        return {
          id: request.id,
          method: request.method,
          // The route pattern (/people/:id), falling back to the path without its query.
          route: request.routeOptions?.url ?? request.url.split('?')[0],
        };
      },
    },
  };
}
