/**
 * @module
 * `@plugboard/test-issuer`: a real authorization server for tests (oidc-provider) and a browser
 * that signs in at it. Dev-time only; a package apart so that the protocol, the kit and the
 * servers can all test against it without depending on each other.
 */
export {
  CLIENT,
  ISSUER_SCOPES,
  OTHER_CLIENT,
  startTestIssuer,
  type TestIssuer,
  type TestIssuerOptions,
} from './issuer.js';
export { TestBrowser, type BrowsedPage } from './browser.js';
