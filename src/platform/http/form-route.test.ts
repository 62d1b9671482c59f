import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, ValidationError } from '../errors/errors.js';
import { submitForm } from './form-route.js';

const app = Fastify();
const saved: string[] = [];
const outcomes: Record<string, () => Promise<unknown>> = {
  ok: async () => saved.push('ok'),
  invalid: () => Promise.reject(new ValidationError([{ field: 'name', message: 'Enter a name' }])),
  stale: () => Promise.reject(new ConflictError('Someone else saved first')),
  missing: () => Promise.reject(new NotFoundError()),
};

app.post<{ Params: { outcome: string }; Querystring: { conflict?: string; typed?: string } }>(
  '/:outcome',
  async (request, reply) =>
    submitForm(reply, {
      errors: request.query.typed ? [{ field: 'typed', message: 'Fix what you typed' }] : [],
      save: outcomes[request.params.outcome]!,
      redirectTo: '/done',
      mapErrors: (errors) => errors.map((e) => ({ ...e, field: `item.${e.field}` })),
      ...(request.query.conflict ? { conflictField: 'version' } : {}),
      render: (shown, refusal) => shown.send(refusal),
    }),
);
afterAll(() => app.close());

describe('submitForm', () => {
  it('saves and sends the browser on with 303', async () => {
    const response = await app.inject({ method: 'POST', url: '/ok' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/done');
    expect(saved).toEqual(['ok']);
  });

  it('saves nothing when reading the form found errors', async () => {
    const response = await app.inject({ method: 'POST', url: '/ok?typed=1' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      errors: [{ field: 'typed', message: 'Fix what you typed' }],
      conflict: false,
    });
    expect(saved).toEqual(['ok']);
  });

  it('shows the service’s validation errors against the form’s fields', async () => {
    const response = await app.inject({ method: 'POST', url: '/invalid' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      errors: [{ field: 'item.name', message: 'Enter a name' }],
      conflict: false,
    });
  });

  it('shows a stale version as a conflict only when the form offers one', async () => {
    const shown = await app.inject({ method: 'POST', url: '/stale?conflict=1' });
    expect(shown.statusCode).toBe(409);
    expect(shown.json()).toEqual({
      errors: [{ field: 'version', message: 'Someone else saved first' }],
      conflict: true,
    });
    // Without a conflict field, and for any other error, the error handler answers, not the form.
    for (const url of ['/stale', '/missing']) {
      const thrown = await app.inject({ method: 'POST', url });
      expect(thrown.statusCode).toBe(url === '/stale' ? 409 : 404);
      expect(thrown.json()).not.toHaveProperty('conflict');
    }
  });
});
