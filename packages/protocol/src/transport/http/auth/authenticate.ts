/**
 * @module
 * Sign-in for every MCP request: the bearer token is taken from the one `Authorization` header
 * (never the query string), checked as a JWT against the issuer's keys or, when it is opaque and
 * introspection is configured, by RFC 7662, and then held against the required scopes (the write
 * scope, when the token lacks it, is noted for the tool selection). The issuer's metadata is
 * fetched on first use, and fetched again after a failure, so a server started before its
 * authorization server still comes right. This module (and `jose`) is loaded only when sign-in
 * is configured.
 */
import type { Incoming } from '../incoming.js';
import type { ResolvedHttpOptions } from '../options.js';
import {
  InvalidTokenError,
  type AccessToken,
  type Authentication,
  type Authenticator,
} from './access-token.js';
import { discoverIssuer, type IssuerMetadata } from './discovery.js';
import { createIntrospector, type Introspector } from './introspection.js';
import { createJwtVerifier, type JwtVerifier } from './jwt.js';
import { challenge, resourceOf } from './metadata.js';
import type { ResolvedSignIn } from './sign-in.js';

interface Verifiers {
  jwt: JwtVerifier | undefined;
  introspect: Introspector | undefined;
}

/** A compact JWS: three base64url parts. Anything else is an opaque token. */
const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]*$/;

/** RFC 6750 section 2.1: `Bearer` then one token68. */
const BEARER = /^Bearer +([\w\-.~+/]+=*) *$/i;

function verifiersFor(signIn: ResolvedSignIn, metadata: IssuerMetadata): Verifiers {
  const tolerance = signIn.clockToleranceSeconds;
  const jwt =
    metadata.jwksUri === undefined
      ? undefined
      : createJwtVerifier({
          issuer: signIn.issuer,
          jwksUri: metadata.jwksUri,
          clockToleranceSeconds: tolerance,
        });
  const client = signIn.introspection;
  const endpoint = client?.endpoint ?? metadata.introspectionEndpoint;
  const introspect =
    client === undefined || endpoint === undefined
      ? undefined
      : createIntrospector({
          endpoint,
          issuer: signIn.issuer,
          clientId: client.clientId,
          clientSecret: client.clientSecret,
          clockToleranceSeconds: tolerance,
        });
  return { jwt, introspect };
}

/** The authenticator for `options`, whose `signIn` is set. */
export function createAuthenticator(options: ResolvedHttpOptions): Authenticator {
  const signIn = options.signIn!;
  let verifiers: Promise<Verifiers> | undefined;
  const load = (): Promise<Verifiers> => {
    verifiers ??= discoverIssuer(signIn.issuer).then(
      (metadata) => verifiersFor(signIn, metadata),
      (error: unknown) => {
        verifiers = undefined;
        throw error;
      },
    );
    return verifiers;
  };
  const unauthorized = (
    request: Incoming,
    message: string,
    error?: 'invalid_token' | 'invalid_request',
    status: 400 | 401 = 401,
  ): Authentication => ({
    ok: false,
    failure: {
      status,
      message,
      headers: {
        'WWW-Authenticate': challenge(request, options, {
          ...(error === undefined ? {} : { error, description: message }),
          scopes: signIn.scopesSupported,
        }),
      },
    },
  });

  return async (request) => {
    if (/[?&]access_token=/i.test(request.url))
      return unauthorized(
        request,
        'Tokens in the query string are refused; send Authorization: Bearer',
        'invalid_request',
        400,
      );
    const header = request.header('authorization');
    if (header === undefined) return unauthorized(request, 'Authorization required');
    const match = BEARER.exec(header);
    if (match === null)
      return unauthorized(
        request,
        'Send the token as Authorization: Bearer <token>',
        'invalid_request',
        400,
      );
    const token = match[1]!;
    let found: Verifiers;
    try {
      found = await load();
    } catch (error) {
      return {
        ok: false,
        failure: {
          status: 503,
          message: `Sign-in is unavailable: ${error instanceof Error ? error.message : String(error)}`,
        },
      };
    }
    const verify = JWT_SHAPE.test(token) ? (found.jwt ?? found.introspect) : found.introspect;
    if (verify === undefined)
      return unauthorized(request, 'This server accepts only JWT access tokens', 'invalid_token');
    let verified: AccessToken;
    try {
      verified = await verify(token, resourceOf(request, options));
    } catch (error) {
      if (!(error instanceof InvalidTokenError)) throw error;
      return unauthorized(request, error.message, 'invalid_token');
    }
    const missing = signIn.requiredScopes.filter((scope) => !verified.scopes.includes(scope));
    if (missing.length > 0)
      return {
        ok: false,
        failure: {
          status: 403,
          message: `The token lacks the scope ${missing.join(' ')}`,
          headers: {
            'WWW-Authenticate': challenge(request, options, {
              error: 'insufficient_scope',
              scopes: signIn.requiredScopes,
            }),
          },
        },
      };
    const { writeScope } = signIn;
    const missingWriteScope =
      writeScope === undefined || verified.scopes.includes(writeScope) ? undefined : writeScope;
    return { ok: true, auth: { token: verified, missingWriteScope } };
  };
}
