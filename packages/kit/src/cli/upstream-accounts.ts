/**
 * @module
 * {@link openAccounts}: a server's upstream accounts, built by `defineServer` when the server
 * opts in (`parts.accounts`) and runs hosted: `--transport http` with sign-in. Then every setting
 * the connect flow needs must be there, or start-up stops (exit 2) naming what is missing: the
 * accounts key ring (`PLUGBOARD_ACCOUNTS_KEY`), this server's client at the issuer (the browser
 * signs in there), and `--public-url` (the origin of the connect links). Local stdio mode, and
 * HTTP without sign-in, have no accounts: the server keeps its one credential.
 */
import { createMemoryStore, type Logger } from '@plugboard/protocol';
import type { Accounts } from '../accounts/create-accounts.js';
import type { UpstreamClient, UpstreamProvider } from '../accounts/types.js';
import { UsageError } from './args.js';
import type { ServerInput } from './run.js';

/** What a server names to opt in: the provider, and the operator's OAuth client there. */
export interface AccountsSpec {
  readonly provider: UpstreamProvider;
  readonly client: UpstreamClient;
}

/** The accounts key ring: `PLUGBOARD_ACCOUNTS_KEY`, comma-separated, the first sealing. */
export function accountsKeys(env: ServerInput['env']): string[] {
  return (env.PLUGBOARD_ACCOUNTS_KEY ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key !== '');
}

/** Whether the server runs hosted: only then are there per-user accounts. */
export function isHosted(input: Pick<ServerInput, 'common'>): boolean {
  return input.common.transport === 'http' && input.common.http.signIn !== undefined;
}

/** The accounts for `spec`; throws {@link UsageError} naming a missing setting. */
export async function openAccounts(
  spec: AccountsSpec,
  input: Pick<ServerInput, 'common' | 'env' | 'store'>,
  logger: Logger,
): Promise<Accounts> {
  const { signIn, publicUrl } = input.common.http;
  const title = spec.provider.title;
  if (signIn === undefined) throw new UsageError(`${title} accounts need sign-in (--auth-issuer)`);
  const keys = accountsKeys(input.env);
  if (keys.length === 0)
    throw new UsageError(
      `Hosted mode with ${title} accounts needs PLUGBOARD_ACCOUNTS_KEY to seal each user's grant, the same on every instance (e.g. openssl rand -hex 32)`,
    );
  if (keys.some((key) => key.length < 32))
    throw new UsageError('Each key of PLUGBOARD_ACCOUNTS_KEY needs at least 32 characters');
  const client = signIn.introspection;
  if (client === undefined)
    throw new UsageError(
      `Hosted mode with ${title} accounts needs --auth-client-id (MCP_AUTH_CLIENT_ID) and MCP_AUTH_CLIENT_SECRET: a user connecting an account signs in there first`,
    );
  if (publicUrl === undefined)
    throw new UsageError(
      `Hosted mode with ${title} accounts needs --public-url (MCP_PUBLIC_URL): the connect links and redirect URIs are made from it`,
    );
  const { createAccounts } = await import('../accounts/create-accounts.js');
  try {
    return createAccounts({
      provider: spec.provider,
      client: spec.client,
      store: input.store ?? createMemoryStore(),
      keys,
      identity: {
        issuer: signIn.issuer,
        client: { clientId: client.clientId, clientSecret: client.clientSecret },
        ...(signIn.clockToleranceSeconds === undefined
          ? {}
          : { clockToleranceSeconds: signIn.clockToleranceSeconds }),
      },
      publicUrl,
      logger,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
