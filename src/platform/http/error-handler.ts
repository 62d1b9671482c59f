import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { serviceUnavailableFor } from '../../db/unavailable.js';
import { AppError, NotFoundError, ValidationError, type FieldError } from '../errors/errors.js';

export function isApiRequest(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/');
}

/**
 * The one place errors become responses. Typed errors keep their status and
 * message; anything else is a 500 with a reference number, logged with its
 * stack for engineers and never shown to users.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    // A path that does not name an id (not a UUID, say) names nothing: it
    // answers as an id that does not exist, never as bad input, so the
    // answer cannot tell a malformed id from a missing or refused one.
    if (hasZodFastifySchemaValidationErrors(error) && error.validationContext === 'params') {
      return sendError(request, reply, new NotFoundError());
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const fieldErrors: FieldError[] = error.validation.map((v) => ({
        field: v.instancePath.replace(/^\//, '').replace(/\//g, '.') || 'request',
        message: v.message ?? 'is invalid',
      }));
      return sendError(request, reply, new ValidationError(fieldErrors));
    }
    // A database timeout or a lost connection: the transaction was rolled
    // back, so the client may simply try again later.
    const unavailable = serviceUnavailableFor(error);
    if (unavailable) {
      const code = 'code' in error ? error.code : undefined;
      request.log.warn({ code, message: error.message }, 'database unavailable');
      reply.header('retry-after', String(unavailable.retryAfterSeconds));
      return sendError(request, reply, unavailable);
    }
    if (error instanceof AppError) return sendError(request, reply, error);
    const status =
      'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status === 403 && error.code === 'FST_CSRF_INVALID_TOKEN') {
      return sendPlain(
        request,
        reply,
        403,
        'csrf',
        'The form had expired. Go back, reload the page and try again.',
      );
    }
    if (status === 429) {
      return sendPlain(
        request,
        reply,
        429,
        'too-many-requests',
        'Too many attempts. Wait a minute and try again.',
      );
    }
    if (status >= 400 && status < 500) {
      return sendPlain(
        request,
        reply,
        status,
        'bad-request',
        'The request could not be understood.',
      );
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendPlain(
      request,
      reply,
      500,
      'internal-error',
      'Sorry, there is a problem with the service.',
    );
  });

  app.setNotFoundHandler((request, reply) =>
    sendPlain(request, reply, 404, 'not-found', 'Page not found'),
  );
}

function sendError(request: FastifyRequest, reply: FastifyReply, error: AppError) {
  if (isApiRequest(request)) {
    return reply.status(error.status).send({
      error: error.code,
      message: error.message,
      ...(error instanceof ValidationError ? { fieldErrors: error.fieldErrors } : {}),
    });
  }
  if (error.status === 401) return reply.redirect('/sign-in');
  return sendPlain(request, reply, error.status, error.code, error.message);
}

function sendPlain(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
) {
  if (isApiRequest(request)) {
    return reply.status(status).send({ error: code, message, requestId: request.id });
  }
  const template =
    status === 404 ? 'web/views/errors/not-found.njk' : 'web/views/errors/problem.njk';
  return reply.status(status).render(template, {
    title: status === 404 ? 'Page not found' : message,
    message,
    status,
    requestId: request.id,
  });
}
