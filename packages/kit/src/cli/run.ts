/**
 * @module
 * {@link runServer}: everything a server's `main.ts` does, so that file stays a few lines. It
 * parses the command line, answers --help/--version without loading the server, reserves stdout
 * for the protocol before anything else is imported, builds the server, serves it on the chosen
 * transport, and exits 0 when the client goes away (2 on bad configuration, 1 on a crash).
 */
import type { Logger, McpServer, ServerOptions, Store } from '@plugboard/protocol';
import type { HttpRoutes } from '@plugboard/protocol/http';
import {
  parseCommandLine,
  UsageError,
  type CommandSpec,
  type CommonOptions,
  type FlagValue,
} from './args.js';
import { openStore } from '../store/open.js';
import { describeStoreUrl } from '../store/url.js';
import { environmentSecrets, serverLogger } from './server-logger.js';

export interface ServerInput {
  common: CommonOptions;
  flags: ReadonlyMap<string, FlagValue>;
  positionals: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  logger: Logger;
  /**
   * `--transport http` with `--store`: the shared store, opened before the server is built (the
   * server's upstream accounts live there too). Undefined otherwise; closed by the runner.
   */
  store: Store | undefined;
  /**
   * Spread into `createServer`: the logger, the shared request-state key and the output budget
   * (`--output-budget` or an alias of it) when configured; `defineServer` adds the `exposure`
   * that hosted mode asks per request.
   */
  serverDefaults: Pick<
    ServerOptions<unknown>,
    'logger' | 'requestStateKey' | 'outputBudget' | 'exposure'
  >;
}

export interface RunningServer {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any server's dependencies
  server: McpServer<any>;
  /** Releases what the server holds (pools, browsers, children); called once on shutdown. */
  close?(): Promise<void>;
  /** Browser routes beside `/mcp` on `--transport http` (the connect flow of upstream accounts). */
  routes?: HttpRoutes;
}

export interface RunOptions {
  spec: CommandSpec;
  /** Builds the server. Usually a dynamic import, so --help never loads it. Throw UsageError for bad config. */
  create(input: ServerInput): Promise<RunningServer> | RunningServer;
  argv?: readonly string[];
  env?: Readonly<Record<string, string | undefined>>;
}

const SHUTDOWN_GRACE_MS = 4000;

function fail(code: number, message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

export async function runServer(options: RunOptions): Promise<void> {
  const { spec } = options;
  const argv = options.argv ?? process.argv.slice(2);
  const env = options.env ?? process.env;
  let parsed;
  try {
    parsed = parseCommandLine(spec, argv, env);
  } catch (error) {
    if (error instanceof UsageError) fail(2, `${spec.bin}: ${error.message}`);
    throw error;
  }
  if (parsed.kind !== 'run') {
    process.stdout.write(parsed.text);
    return;
  }
  const { common } = parsed;
  const { protectStdout, serveStdio } = await import('@plugboard/protocol/stdio');
  const write = common.transport === 'stdio' ? protectStdout() : undefined;
  const logger = serverLogger({
    level: common.logLevel,
    name: spec.bin,
    secrets: [
      ...environmentSecrets(spec.secretEnv ?? [], env),
      ...(common.authToken === undefined ? [] : [common.authToken]),
    ],
  });
  const { http } = common;
  const stateKeys = (env.MCP_REQUEST_STATE_KEY ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key !== '');
  if (http.store !== undefined && common.transport !== 'http')
    fail(2, `${spec.bin}: --store (PLUGBOARD_STORE) is for --transport http`);
  if (http.store !== undefined && stateKeys.length === 0)
    fail(
      2,
      `${spec.bin}: --store ${describeStoreUrl(http.store)} needs MCP_REQUEST_STATE_KEY, the same on every instance (e.g. openssl rand -hex 32)`,
    );
  // Sessions and their streams' events live in the store, sealed with the request-state keys.
  const store =
    http.store === undefined || common.transport !== 'http'
      ? undefined
      : await openStore(http.store, logger);
  let running: RunningServer;
  try {
    const serverDefaults: ServerInput['serverDefaults'] = {
      logger,
      ...(stateKeys.length === 0 ? {} : { requestStateKey: stateKeys }),
      ...(common.outputBudget === undefined ? {} : { outputBudget: common.outputBudget }),
    };
    running = await options.create({
      common,
      flags: parsed.flags,
      positionals: parsed.positionals,
      env,
      logger,
      store,
      serverDefaults,
    });
  } catch (error) {
    await store?.close();
    if (error instanceof UsageError) fail(2, `${spec.bin}: ${error.message}`);
    logger.error('start-up failed', {
      error: error instanceof Error ? error.message : String(error),
    });
    process.exit(1);
  }
  /** Closes the server, then what it ran with, then `release` (the shared store), and exits. */
  const shutdown = async (release?: () => Promise<void>): Promise<void> => {
    const timer = setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS);
    timer.unref();
    try {
      await running.server.close();
      await running.close?.();
      await release?.();
    } catch (error) {
      logger.warn('shutdown was not clean', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
    // process.exit drops what stdout has not flushed yet; the last answers must reach the client.
    if (process.stdout.writableLength > 0 && !process.stdout.destroyed) {
      await new Promise<void>((resolve) => {
        process.stdout.once('drain', resolve);
        process.stdout.once('close', resolve);
      });
    }
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void shutdown());
  if (common.transport === 'stdio') {
    logger.info('serving on stdio', { version: spec.version, tools: running.server.tools.size });
    await serveStdio(running.server, {
      logger,
      ...(write === undefined ? {} : { write }),
      ...(common.maxLineBytes === undefined ? {} : { maxLineBytes: common.maxLineBytes }),
    });
    await shutdown();
    return;
  }
  const { serveHttp, isLoopbackHost, resolveSignIn } = await import('@plugboard/protocol/http');
  try {
    if (http.signIn !== undefined) resolveSignIn(http.signIn);
  } catch (error) {
    fail(2, `${spec.bin}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (
    !isLoopbackHost(common.host) &&
    common.authToken === undefined &&
    http.signIn === undefined &&
    !http.allowUnauthenticated
  ) {
    fail(
      2,
      `${spec.bin}: refusing to listen on ${common.host} without --auth-token (MCP_AUTH_TOKEN) or --auth-issuer (MCP_AUTH_ISSUER); pass --allow-unauthenticated when a gateway in front authenticates`,
    );
  }
  const listening = await serveHttp(running.server, {
    host: common.host,
    port: common.port,
    ...(common.authToken === undefined ? {} : { authToken: common.authToken }),
    allowedHosts: isLoopbackHost(common.host)
      ? http.allowedHosts
      : [...http.allowedHosts, common.host],
    allowedOrigins: http.allowedOrigins,
    authorizationServers: http.authorizationServers,
    ...(http.publicUrl === undefined ? {} : { publicUrl: http.publicUrl }),
    ...(http.signIn === undefined ? {} : { signIn: http.signIn }),
    ...(http.maxBodyBytes === undefined ? {} : { maxBodyBytes: http.maxBodyBytes }),
    ...(store === undefined ? {} : { store, storeKeys: stateKeys }),
    ...(running.routes === undefined ? {} : { routes: running.routes }),
    logger,
  });
  // Printed whatever the log level: with --port 0 this line is how callers learn the port.
  process.stderr.write(`${spec.bin} listening on ${listening.url}\n`);
  logger.info('serving on http', { version: spec.version, tools: running.server.tools.size });
  // The store closes last: the server's shutdown still writes to it (its tasks' final state).
  const stop = async (): Promise<void> => {
    await listening.close();
    await shutdown(async () => store?.close());
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal);
    process.once(signal, () => void stop());
  }
}
