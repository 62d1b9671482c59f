import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { DatabaseHandle } from '../../src/db/connection.js';

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...overrides });
}

/** A settable clock, so tests can pass idle and absolute session limits. */
export class TestClock {
  private offsetMs = 0;
  private frozenAt: number | null = null;
  readonly now = () => new Date((this.frozenAt ?? Date.now()) + this.offsetMs);
  advanceMinutes(minutes: number): void {
    this.offsetMs += minutes * 60_000;
  }
  /**
   * Stops the clock where it is: for a test that counts the work a request
   * does, which must not depend on how long the machine took between
   * requests (a session is touched at most once a minute).
   */
  freeze(): void {
    this.frozenAt ??= Date.now();
  }
}

export async function testApp(
  database: DatabaseHandle,
  options: { clock?: TestClock; config?: Config } = {},
): Promise<FastifyInstance> {
  return buildApp({
    config: options.config ?? testConfig(),
    db: database.db,
    ...(options.clock ? { now: options.clock.now } : {}),
  });
}

/**
 * A browser-like agent over app.inject: keeps cookies, and reads the CSRF
 * token from each page so its form posts are accepted.
 */
export class Agent {
  private cookies = new Map<string, string>();
  csrfToken = '';

  /** `remoteAddress`: the client address the app sees (sign-in throttling counts by it). */
  constructor(
    private readonly app: FastifyInstance,
    private readonly options: { remoteAddress?: string } = {},
  ) {}

  async get(url: string): Promise<LightMyRequestResponse> {
    const response = await this.app.inject({
      method: 'GET',
      url,
      headers: this.headers(),
      ...this.options,
    });
    this.remember(response);
    return response;
  }

  async post(
    url: string,
    form: Record<string, string>,
    withCsrf = true,
  ): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams({ ...(withCsrf ? { _csrf: this.csrfToken } : {}), ...form });
    const response = await this.app.inject({
      method: 'POST',
      url,
      headers: { ...this.headers(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: body.toString(),
      ...this.options,
    });
    this.remember(response);
    return response;
  }

  /** Signs in with a password; returns the response to the password step. */
  async signIn(email: string, password: string): Promise<LightMyRequestResponse> {
    await this.get('/sign-in');
    return this.post('/sign-in', { email, password });
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  /**
   * Headers for a JSON call on this agent's session, as a browser script
   * sends them: the cookies and, unless told otherwise, the CSRF token
   * (read from the last page fetched).
   */
  apiHeaders(csrfToken: string | null = this.csrfToken): Record<string, string> {
    return { ...this.headers(), ...(csrfToken === null ? {} : { 'x-csrf-token': csrfToken }) };
  }

  private headers(): Record<string, string> {
    return this.cookies.size
      ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') }
      : {};
  }

  private remember(response: LightMyRequestResponse): void {
    for (const c of response.cookies as {
      name: string;
      value: string;
      expires?: Date;
      maxAge?: number;
    }[]) {
      const expired = (c.expires && c.expires.getTime() <= Date.now()) || c.maxAge === 0;
      if (expired || c.value === '') this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const match = /name="_csrf" value="([^"]+)"/.exec(response.body);
    if (match?.[1]) this.csrfToken = match[1];
  }
}
