/**
 * @module
 * GitHub as an upstream provider of per-user accounts: the operator's OAuth app (or GitHub App,
 * whose user tokens expire and come with a refresh token) at `<web-url>/login/oauth/...`, the
 * same paths on GitHub Enterprise. Disconnecting revokes the user's grant of the app
 * (`DELETE /applications/{client_id}/grant`).
 */
import type { AccountsSpec } from '@plugboard/kit/cli';
import type { UpstreamClient, UpstreamGrant } from '@plugboard/kit/accounts';
import type { GithubConfig } from './config.js';

/** What GitHub users grant: their repositories, and reading their organisations. */
export const GITHUB_SCOPES = ['repo', 'read:org'] as const;

async function revokeGrant(
  apiUrl: string,
  grant: UpstreamGrant,
  client: UpstreamClient,
  signal: AbortSignal,
): Promise<void> {
  const basic = Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64');
  const response = await fetch(
    `${apiUrl}/applications/${encodeURIComponent(client.clientId)}/grant`,
    {
      method: 'DELETE',
      headers: {
        Authorization: `Basic ${basic}`,
        Accept: 'application/vnd.github+json',
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ access_token: grant.accessToken }),
      redirect: 'error',
      signal: AbortSignal.any([signal, AbortSignal.timeout(15_000)]),
    },
  );
  await response.body?.cancel();
  if (!response.ok && response.status !== 404)
    throw new Error(`GitHub answered HTTP ${response.status} to revoking the grant`);
}

/** The accounts `defineServer` builds hosted, when the operator configured an OAuth app. */
export function githubAccounts(config: GithubConfig): AccountsSpec | undefined {
  if (config.oauth === undefined) return undefined;
  return {
    provider: {
      id: 'github',
      title: 'GitHub',
      authorizationEndpoint: `${config.webUrl}/login/oauth/authorize`,
      tokenEndpoint: `${config.webUrl}/login/oauth/access_token`,
      scopes: GITHUB_SCOPES,
      scopeSeparator: ',',
      revoke: (grant, client, signal) => revokeGrant(config.apiUrl, grant, client, signal),
    },
    client: config.oauth,
  };
}
