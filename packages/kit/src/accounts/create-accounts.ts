/**
 * @module
 * {@link createAccounts}: one provider's upstream accounts for a hosted server, and the browser
 * routes of its connect flow (`/connect/<provider>/...`, to hand to `serveHttp`). Everything
 * lives in `store` under `accounts:<provider>`, sealed with the operator's accounts key ring
 * (`PLUGBOARD_ACCOUNTS_KEY`), so every instance on the same store and ring shares it.
 */
import { sealStore, StoreError, type Logger, type Store } from '@plugboard/protocol';
import type { Answer, HttpRoutes, RouteRequest } from '@plugboard/protocol/http';
import { ConnectFlow, connectPaths } from './connect-flow.js';
import { HostedAccounts } from './hosted-accounts.js';
import { OperatorSignIn, type OperatorIdentity } from './operator-sign-in.js';
import { refusedPage } from './pages.js';
import { ConnectRecords, RECORD_DEFAULTS, type RecordLimits } from './records.js';
import type { UpstreamAccounts, UpstreamClient, UpstreamProvider } from './types.js';
import { GrantVault } from './vault.js';

/** Where the connect routes live on the hosted server. */
export const CONNECT_PREFIX = '/connect/';

/** How long a grant is kept without being renewed (the store may cut it to its own longest TTL). */
export const GRANT_TTL_MS = 30 * 24 * 60 * 60_000;

export interface AccountsOptions {
  readonly provider: UpstreamProvider;
  /** The operator's OAuth client at the provider. */
  readonly client: UpstreamClient;
  /** The shared store (Redis with `--store`), or this process's memory. Not sealed: this seals. */
  readonly store: Store;
  /** `PLUGBOARD_ACCOUNTS_KEY`, split at commas: the first seals, every one opens. */
  readonly keys: readonly string[];
  /** The operator's authorization server, where the browser signs in. */
  readonly identity: OperatorIdentity;
  /** `--public-url`: the origin of the connect links and redirect URIs. */
  readonly publicUrl: string;
  readonly logger: Logger;
  readonly limits?: Partial<RecordLimits>;
  readonly grantTtlMs?: number;
  /** How often a waiting call looks for the end of its connect flow. Default 500 ms. */
  readonly pollMs?: number;
  readonly now?: () => number;
}

export interface Accounts {
  readonly accounts: UpstreamAccounts;
  /** The connect flow's browser routes, for `serveHttp({ routes })`. */
  readonly routes: HttpRoutes;
  /** The redirect URIs to register: at the operator's issuer (`signin`) and at the provider (`callback`). */
  readonly redirectUris: { readonly signin: string; readonly callback: string };
}

export function createAccounts(options: AccountsOptions): Accounts {
  const { provider, logger } = options;
  if (!/^[a-z0-9-]{1,32}$/.test(provider.id))
    throw new Error(`An upstream provider id is a short lower-case name, got "${provider.id}"`);
  if (options.keys.length === 0)
    throw new Error('Upstream accounts need PLUGBOARD_ACCOUNTS_KEY, the same on every instance');
  const publicUrl = options.publicUrl.replace(/\/+$/, '');
  const now = options.now ?? Date.now;
  const limits = { ...RECORD_DEFAULTS, ...options.limits };
  const scope = `accounts:${provider.id}`;
  const sealed = sealStore(options.store, options.keys).scope(scope);
  const vault = new GrantVault(
    sealed,
    options.store.scope(scope),
    provider.title,
    options.grantTtlMs ?? GRANT_TTL_MS,
  );
  const records = new ConnectRecords(sealed, provider.id, limits, now);
  const paths = connectPaths(publicUrl, provider.id);
  const flow = new ConnectFlow({
    provider,
    client: options.client,
    records,
    vault,
    signIn: new OperatorSignIn(options.identity, paths.signin),
    publicUrl,
    ttlMs: limits.ttlMs,
    logger,
  });
  return {
    accounts: new HostedAccounts({
      provider,
      client: options.client,
      vault,
      records,
      link: paths.link,
      logger,
      now,
      pollMs: options.pollMs ?? 500,
    }),
    routes: {
      prefix: CONNECT_PREFIX,
      handle: (request) => route(flow, provider.id, request, logger),
    },
    redirectUris: { signin: paths.signin, callback: paths.callback },
  };
}

/** `/connect/<provider>/<rest>` to the flow; its failures answered here, as pages. */
async function route(
  flow: ConnectFlow,
  provider: string,
  request: RouteRequest,
  logger: Logger,
): Promise<Answer> {
  const [name, rest, ...more] = request.path.slice(CONNECT_PREFIX.length).split('/');
  if (name !== provider || rest === undefined || more.length > 0)
    return refusedPage(404, 'There is no such connect page.');
  try {
    return await flow.handle(rest, request);
  } catch (error) {
    if (error instanceof StoreError) {
      logger.warn('connect: store unavailable', { error: error.message });
      return refusedPage(503, 'The account store is unavailable; try the link again shortly.');
    }
    logger.error('connect failed', {
      error: error instanceof Error ? error.message : String(error),
    });
    return refusedPage(
      502,
      'Connecting failed on this server. Call the tool again for a new link.',
    );
  }
}
