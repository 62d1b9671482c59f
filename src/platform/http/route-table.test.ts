import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testApp } from '../../../test/support/app.js';
import { testDatabase } from '../../../test/support/database.js';
import { appRoutes, fillPath, pathParams } from '../../../test/support/route-table.js';
import type { DatabaseHandle } from '../../db/connection.js';

let database: DatabaseHandle;
let app: FastifyInstance;
beforeAll(async () => {
  database = await testDatabase();
  app = await testApp(database);
});
afterAll(async () => {
  await app.close();
  await database.close();
});

describe('the route table', () => {
  it('lists every route as registered, with its access and schema', () => {
    const routes = appRoutes(app);
    const signIn = routes.find((r) => r.method === 'POST' && r.url === '/sign-in');
    expect(signIn?.access).toBe('public');
    // Routes that say nothing are for signed-in staff (deny by default).
    expect(routes.find((r) => r.url === '/people/:id' && r.method === 'GET')?.access).toBe('staff');
    expect(routes.some((r) => r.method === 'HEAD' || r.url.startsWith('/assets/'))).toBe(false);
    expect(routes.length).toBeGreaterThan(100);
  });

  it('names and fills path parameters', () => {
    const route = { method: 'GET', url: '/records/:id/notes/:noteId', access: 'staff' as const };
    expect(pathParams(route)).toEqual(['id', 'noteId']);
    expect(fillPath(route, (name) => `${name} 1`)).toBe('/records/id%201/notes/noteId%201');
  });
});
