/**
 * @module
 * GitHub's REST endpoints as Octokit's endpoint methods know them (generated from GitHub's
 * OpenAPI description): `octokit.rest.issues.get` is `GET /repos/{owner}/{repo}/issues/{issue_number}`.
 */
import { Octokit } from '@octokit/rest';

interface EndpointMethod {
  readonly endpoint: { readonly DEFAULTS: { readonly method: string; readonly url: string } };
}

/** Every endpoint method, by group and name, with its route (`GET /repos/{owner}/{repo}`). */
export function octokitRoutes(): Record<string, Record<string, string>> {
  const rest = new Octokit().rest as unknown as Record<string, Record<string, EndpointMethod>>;
  return Object.fromEntries(
    Object.entries(rest).map(([group, methods]) => [
      group,
      Object.fromEntries(
        Object.entries(methods).map(([name, { endpoint }]) => [
          name,
          `${endpoint.DEFAULTS.method} ${endpoint.DEFAULTS.url}`,
        ]),
      ),
    ]),
  );
}
