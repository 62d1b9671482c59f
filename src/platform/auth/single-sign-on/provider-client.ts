import type * as Oidc from 'openid-client';

/** openid-client, loaded on the first single sign-on rather than when the app starts. */
const openidClient = () => import('openid-client');

/**
 * The OpenID Connect client side, through openid-client (decision record
 * 0037): discovery, the authorisation code flow with PKCE (S256), and the
 * ID token's checks (signature against the provider's keys, issuer,
 * audience, expiry, nonce, state). Nothing here is hand-rolled.
 */

export interface ClientSettings {
  id: string;
  issuer: string;
  clientId: string;
  /** The client secret, read from the environment variable the row names; null for a public client. */
  clientSecret: string | null;
  redirectUri: string;
  scopes: string;
}

/** What must be kept between sending the browser out and its return. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** Discovery results, kept for an hour per provider: a provider's keys and endpoints rarely move. */
const DISCOVERY_TTL_MS = 3_600_000;
/** Seconds to wait for the provider (discovery, token endpoint, keys). */
const PROVIDER_TIMEOUT_SECONDS = 10;

export class ProviderClients {
  private readonly cache = new Map<
    string,
    { key: string; at: number; config: Promise<Oidc.Configuration> }
  >();

  constructor(private readonly now: () => Date = () => new Date()) {}

  /** The provider's sign-in address to send the browser to, and what to keep until it returns. */
  async begin(settings: ClientSettings): Promise<{ url: URL; pending: PendingSignIn }> {
    const oidc = await openidClient();
    const config = await this.configuration(settings);
    const pending: PendingSignIn = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      codeVerifier: oidc.randomPKCECodeVerifier(),
    };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: settings.redirectUri,
      scope: settings.scopes,
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url, pending };
  }

  /**
   * Exchanges the code the browser brought back for tokens, and returns the
   * ID token's verified claims. `query` is the callback's query string; the
   * address it is checked against is the registered redirect URI, never
   * the request's Host header.
   */
  async finish(
    settings: ClientSettings,
    query: string,
    pending: PendingSignIn,
  ): Promise<Record<string, unknown>> {
    const oidc = await openidClient();
    const config = await this.configuration(settings);
    const callback = new URL(settings.redirectUri);
    callback.search = query;
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new Error('the provider sent no ID token');
    return { ...claims };
  }

  private configuration(settings: ClientSettings): Promise<Oidc.Configuration> {
    const key = [settings.issuer, settings.clientId, settings.clientSecret ?? ''].join('\n');
    const cached = this.cache.get(settings.id);
    const now = this.now().getTime();
    if (cached && cached.key === key && now - cached.at < DISCOVERY_TTL_MS) return cached.config;
    const issuer = new URL(settings.issuer);
    const config = openidClient()
      .then((oidc) =>
        oidc.discovery(
          issuer,
          settings.clientId,
          settings.clientSecret ?? undefined,
          settings.clientSecret ? oidc.ClientSecretPost(settings.clientSecret) : oidc.None(),
          {
            timeout: PROVIDER_TIMEOUT_SECONDS,
            // Plain http only to a provider on this machine (tests, a developer's
            // laptop); any other issuer must be https.
            ...(isLoopback(issuer) ? { execute: [oidc.allowInsecureRequests] } : {}),
          },
        ),
      )
      .catch((error: unknown) => {
        // A failed discovery is not kept: the next sign-in tries again.
        this.cache.delete(settings.id);
        throw error;
      });
    this.cache.set(settings.id, { key, at: now, config });
    return config;
  }
}

function isLoopback(url: URL): boolean {
  return ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}
