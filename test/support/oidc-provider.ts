import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';

/** A person at the test provider: synthetic, as all test data is. */
export interface ProviderPerson {
  subject: string;
  email: string;
  name: string;
  groups: string[];
}

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The people the provider knows, by subject: change one to change what its next token says. */
  people: Map<string, ProviderPerson>;
  close(): Promise<void>;
}

/**
 * A real OpenID Connect provider (the `oidc-provider` package, the one
 * certified by the OpenID Foundation that openid-client is tested against),
 * on a loopback port of its own: discovery, keys, the authorisation
 * endpoint with PKCE required, the token endpoint, signed ID tokens. Only
 * its sign-in page is the test's: a form naming the person and whether
 * they used a second factor, which becomes the ID token's `amr`.
 */
export async function startTestProvider(redirectUri: string): Promise<TestProvider> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'safekeep-test';
  const clientSecret = 'a-synthetic-client-secret-for-tests-only-0123456789';
  const people = new Map<string, ProviderPerson>();

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    pkce: { required: () => true },
    scopes: ['openid', 'profile', 'email', 'groups'],
    claims: {
      // With the openid scope, as Entra ID does: the ID token carries the
      // methods the sign-in page reports in `amr`.
      openid: ['sub', 'amr', 'acr', 'auth_time'],
      profile: ['name'],
      email: ['email'],
      groups: ['groups'],
    },
    // Groups in the ID token itself, as Entra ID sends them.
    conformIdTokenClaims: false,
    cookies: { keys: ['synthetic-cookie-key-for-tests'] },
    ttl: {
      AuthorizationCode: 60,
      Grant: 3600,
      IdToken: 600,
      AccessToken: 600,
      Interaction: 600,
      Session: 3600,
    },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, id) => {
      const person = people.get(id);
      if (!person) return undefined;
      return {
        accountId: id,
        claims: () => ({
          sub: id,
          name: person.name,
          email: person.email,
          groups: person.groups,
        }),
      };
    },
    // Consent is the council's business, not the test's: every grant is given.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const client = ctx.oidc.client;
      const session = ctx.oidc.session;
      if (!client || !session?.accountId) return undefined;
      const grant = new ctx.oidc.provider.Grant({
        clientId: client.clientId,
        accountId: session.accountId,
      });
      grant.addOIDCScope('openid profile email groups');
      grant.addOIDCClaims(['name', 'email', 'groups']);
      await grant.save();
      return grant;
    },
  });
  const callback = provider.callback();

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (request.url?.startsWith('/interaction/')) {
      interaction(provider, request, response).catch((error: unknown) => {
        response.statusCode = 500;
        response.end(String(error));
      });
      return;
    }
    void callback(request, response);
  });

  return {
    issuer,
    clientId,
    clientSecret,
    people,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The provider's own sign-in page: accessible, as every page a test opens is checked with axe. */
async function interaction(
  provider: Provider,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const details = await provider.interactionDetails(request, response);
  if (request.method === 'POST') {
    const form = new URLSearchParams(await bodyOf(request));
    await provider.interactionFinished(
      request,
      response,
      {
        login: {
          accountId: form.get('subject') ?? '',
          amr: form.get('mfa') === 'yes' ? ['pwd', 'mfa'] : ['pwd'],
        },
      },
      { mergeWithLastSubmission: false },
    );
    return;
  }
  response.setHeader('content-type', 'text/html; charset=utf-8');
  response.end(`<!doctype html>
<html lang="en"><head><title>Test council sign-in</title></head>
<body><main>
<h1>Test council sign-in</h1>
<form method="post" action="/interaction/${details.uid}">
<p><label for="subject">Staff identifier</label>
<input id="subject" name="subject" data-testid="provider-subject"></p>
<p><input type="checkbox" id="mfa" name="mfa" value="yes" data-testid="provider-mfa">
<label for="mfa">I used my authenticator</label></p>
<button type="submit" data-testid="provider-sign-in">Sign in</button>
</form>
</main></body></html>`);
}

function bodyOf(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
