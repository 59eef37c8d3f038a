/**
 * @module
 * `@plugboard/peers/oidc`: a real authorization server for tests (oidc-provider) and a browser
 * that signs in at it. Kept out of the main entry so that the bench never loads them.
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
