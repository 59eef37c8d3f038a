/**
 * @module
 * `@plugboard/protocol/oidc`: the sign-in checks, for a server that also signs a browser in at
 * the operator's authorization server (the connect flow of upstream accounts). The same
 * discovery and the same JWT checks as access tokens get, so an ID token is held to the issuer,
 * the key set and the algorithm allowlist the MCP endpoint trusts. Loads `jose`: import it
 * only when sign-in is configured.
 */
export { discoverIssuer, type IssuerMetadata } from './discovery.js';
export { createJwtVerifier, type JwtVerifier, type JwtVerifierOptions } from './jwt.js';
export { InvalidTokenError } from './access-token.js';
export { secureUrl } from './sign-in.js';
