import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  listResponse,
  readFilter,
  readPage,
  readPatch,
  SCIM_CONTENT_TYPE,
  ScimError,
  serviceProviderConfig,
  userResource,
} from './scim-protocol.js';
import type { ScimClient, ScimService } from './scim.js';

/** Entra ID sends one person per request; a PATCH of a few operations is well under this. */
const BODY_LIMIT = 64 * 1024;
/**
 * A provider's sync sends a request per person it changes; counted per
 * client address, in the database, as every other limit (decision 0041).
 */
const REQUESTS_PER_MINUTE = 1_200;

const NOT_FOUND = new ScimError(404, 'Safekeep has no such SCIM resource.');

declare module 'fastify' {
  interface FastifyRequest {
    scimClient?: ScimClient;
  }
}

/**
 * /scim/v2: SCIM 2.0 for each organisation's identity provider, which tells
 * Safekeep that a member of staff has left (decision record 0037). A
 * provider authenticates with the bearer token an administrator issued for
 * it (`safekeep sso scim-token`), and reaches only its own people. Every
 * answer, errors included, is SCIM JSON.
 */
export function registerScimRoutes(app: FastifyInstance, deps: { scim: ScimService }): void {
  const { scim } = deps;
  // Its own scope: its own body parsing, error and not-found answers.
  void app.register(
    async (scope) => {
      // The body is read here, so that bad JSON is a SCIM 400 like any other.
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser(
        '*',
        { parseAs: 'string', bodyLimit: BODY_LIMIT },
        (_request, body, done) => done(null, body),
      );

      // After the rate limit (a route's onRequest), before the CSRF check (a preHandler).
      scope.addHook('preParsing', async (request, reply, payload) => {
        const token = /^Bearer (\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
        const client = await scim.clientFor(token);
        if (!client) {
          reply.header('www-authenticate', 'Bearer realm="scim"');
          return sendScim(
            reply,
            401,
            new ScimError(401, 'A valid bearer token for this service is required.').body(),
          );
        }
        request.scimClient = client;
        // Sent by a provider with its token and no cookies: not a browser's form.
        request.viaApiToken = true;
        return payload;
      });

      scope.setErrorHandler((error, request, reply) => {
        if (error instanceof ScimError) return sendScim(reply, error.status, error.body());
        // An unknown path with a bearer token: the session hook refuses the
        // token (not an API route) before the not-found handler answers.
        if (request.is404) return sendScim(reply, 404, NOT_FOUND.body());
        const status =
          error instanceof Error && 'statusCode' in error && typeof error.statusCode === 'number'
            ? error.statusCode
            : 500;
        if (status === 413) {
          return sendScim(reply, 413, new ScimError(413, 'The request is too large.').body());
        }
        if (status === 429) {
          return sendScim(reply, 429, new ScimError(429, 'Too many requests.').body());
        }
        if (status >= 400 && status < 500) {
          return sendScim(
            reply,
            400,
            new ScimError(400, 'The request could not be read.', 'invalidSyntax').body(),
          );
        }
        request.log.error({ err: error }, 'unhandled error');
        return sendScim(
          reply,
          500,
          new ScimError(500, `Something went wrong (reference ${request.id}).`).body(),
        );
      });
      scope.setNotFoundHandler((_request, reply) => sendScim(reply, 404, NOT_FOUND.body()));

      const route = {
        config: {
          access: 'public' as const,
          ownBearerToken: true,
          rateLimit: { max: REQUESTS_PER_MINUTE, timeWindow: '1 minute' },
        },
        schema: { hide: true },
      };

      scope.get('/Users', route, async (request, reply) => {
        const query = request.query as Record<string, unknown>;
        const filter =
          query.filter === undefined
            ? undefined
            : readFilter(typeof query.filter === 'string' ? query.filter : '');
        const page = readPage(query);
        const { users, totalResults } = await scim.list(clientOf(request), {
          ...(filter ? { filter } : {}),
          ...page,
        });
        return sendScim(
          reply,
          200,
          listResponse(users, { totalResults, startIndex: page.startIndex }),
        );
      });

      scope.get('/ServiceProviderConfig', route, async (_request, reply) =>
        sendScim(reply, 200, serviceProviderConfig()),
      );

      scope.get('/Users/:id', route, async (request, reply) => {
        const user = await scim.get(clientOf(request), idOf(request));
        return sendScim(reply, 200, userResource(user));
      });

      scope.patch('/Users/:id', route, async (request, reply) => {
        const body = readJson(request.body);
        const user = await scim.setActive(
          clientOf(request),
          idOf(request),
          (subject) => readPatch(body, subject),
          request.id,
        );
        return sendScim(reply, 200, userResource(user));
      });

      scope.delete('/Users/:id', route, async (request, reply) => {
        await scim.delete(clientOf(request), idOf(request), request.id);
        return reply.status(204).send();
      });

      // Accounts are made at a person's first sign-in with a group that
      // grants a role, never ahead of it: a create is refused, as RFC 7644
      // §3.12 allows for an operation the client is not permitted.
      scope.post('/Users', route, async (_request, reply) =>
        sendScim(
          reply,
          403,
          new ScimError(
            403,
            'Safekeep creates an account at the person’s first sign-in; turn off Create for this application.',
          ).body(),
        ),
      );
      // Entra ID changes a User by PATCH; a whole replacement is not offered.
      scope.put('/Users/:id', route, async (_request, reply) =>
        sendScim(reply, 501, new ScimError(501, 'Use PATCH to change a User.').body()),
      );
    },
    { prefix: '/scim/v2' },
  );
}

function clientOf(request: FastifyRequest): ScimClient {
  // The scope's onRequest hook answered 401 already for a request without one.
  if (!request.scimClient) throw new ScimError(401, 'A valid bearer token is required.');
  return request.scimClient;
}

function idOf(request: FastifyRequest): string {
  return (request.params as { id: string }).id;
}

function readJson(body: unknown): unknown {
  if (typeof body !== 'string' || body.trim() === '') {
    throw new ScimError(400, 'The request needs a JSON body.', 'invalidSyntax');
  }
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new ScimError(400, 'The request body is not valid JSON.', 'invalidSyntax');
  }
}

function sendScim(reply: FastifyReply, status: number, body: Record<string, unknown>) {
  return reply.status(status).type(SCIM_CONTENT_TYPE).send(JSON.stringify(body));
}
