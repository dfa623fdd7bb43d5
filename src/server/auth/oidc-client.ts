import * as client from 'openid-client';
import type { OidcConfig } from '../config';

/** What Kiln keeps between sending the browser to the provider and its answer. */
export interface OidcChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** A verified sign-in: the provider's stable id for the person and every claim it made. */
export interface OidcIdentity {
  issuer: string;
  subject: string;
  claims: Record<string, unknown>;
}

/** A sign-in the provider answered but Kiln could not accept; `status` says whose fault it is. */
export class OidcFailure extends Error {
  constructor(
    readonly status: 400 | 403 | 409 | 502,
    message: string,
    readonly reason: string,
    /** Who the refused sign-in was about, when Kiln got that far (for the audit log). */
    readonly userName?: string,
  ) {
    super(message);
  }
}

export interface OidcClient {
  begin(): Promise<{ url: URL } & OidcChecks>;
  /** Exchanges the code (with the PKCE verifier) and verifies the ID token: signature, issuer, audience, expiry, nonce. */
  finish(callbackUrl: URL, checks: OidcChecks): Promise<OidcIdentity>;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The openid-client side of the flow. The provider's metadata is fetched on the first sign-in and
 * kept; a provider that is down then costs that sign-in (a clear page), not Kiln's start, and the
 * next attempt asks again.
 */
export function createOidcClient(config: OidcConfig): OidcClient {
  let discovered: Promise<client.Configuration> | undefined;
  const configuration = () => {
    discovered ??= client
      .discovery(new URL(config.issuer), config.clientId, config.clientSecret, config.clientSecret ? client.ClientSecretBasic(config.clientSecret) : client.None(), {
        timeout: 10,
        // The ID token's signature is checked against the provider's JWKS even though it comes
        // straight from the token endpoint: openid-client would otherwise trust TLS alone.
        // Plain http is allowed only for a provider on this machine (config.ts refuses others).
        execute: [client.enableNonRepudiationChecks, ...(LOOPBACK.has(new URL(config.issuer).hostname) && config.issuer.startsWith('http:') ? [client.allowInsecureRequests] : [])],
      })
      .catch((err: unknown) => {
        discovered = undefined;
        throw new OidcFailure(502, `Kiln could not read the provider's configuration at ${config.issuer} (${describe(err)}). Try again later or tell an admin.`, 'discovery');
      });
    return discovered;
  };

  return {
    async begin() {
      const oidc = await configuration();
      const checks = { state: client.randomState(), nonce: client.randomNonce(), codeVerifier: client.randomPKCECodeVerifier() };
      const url = client.buildAuthorizationUrl(oidc, {
        redirect_uri: config.redirectUrl,
        scope: config.scopes,
        state: checks.state,
        nonce: checks.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(checks.codeVerifier),
        code_challenge_method: 'S256',
      });
      return { url, ...checks };
    },

    async finish(callbackUrl, checks) {
      const oidc = await configuration();
      let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
      try {
        tokens = await client.authorizationCodeGrant(oidc, callbackUrl, {
          pkceCodeVerifier: checks.codeVerifier,
          expectedState: checks.state,
          expectedNonce: checks.nonce,
          idTokenExpected: true,
        });
      } catch (err) {
        if (err instanceof client.AuthorizationResponseError) {
          throw new OidcFailure(403, `${config.name} did not sign you in: ${err.error_description ?? err.error}.`, 'provider-error');
        }
        if (err instanceof client.ResponseBodyError) {
          throw new OidcFailure(502, `${config.name} refused Kiln's code exchange: ${err.error_description ?? err.error}.`, 'token-error');
        }
        if (err instanceof client.ClientError) {
          throw new OidcFailure(400, `Kiln could not verify the answer from ${config.name}: ${describe(err)}.`, 'verification');
        }
        throw new OidcFailure(502, `Kiln could not reach ${config.name} to finish signing in (${describe(err)}).`, 'network');
      }
      const claims: Record<string, unknown> = { ...tokens.claims()! };
      // Many providers leave groups out of the ID token and answer them from the userinfo endpoint.
      if (!(config.groupsClaim.split('.')[0]! in claims) && oidc.serverMetadata().userinfo_endpoint) {
        try {
          Object.assign(claims, await client.fetchUserInfo(oidc, tokens.access_token, claims.sub as string), { iss: claims.iss, sub: claims.sub });
        } catch (err) {
          throw new OidcFailure(502, `Kiln could not read your groups from ${config.name}'s userinfo endpoint (${describe(err)}).`, 'userinfo');
        }
      }
      return { issuer: String(claims.iss), subject: String(claims.sub), claims };
    },
  };
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return `${err.message}${cause}`;
}
