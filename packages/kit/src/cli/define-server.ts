/**
 * @module
 * {@link defineServer}: a server is one declaration. Its `main.ts` names the command line (the
 * spec) and where the rest of the server lives (imported only after --help and --version are
 * answered); the kit parses the command line, reads the configuration, lists the tools from the
 * build's manifest, selects them, builds the dependencies and the server, serves the chosen
 * transport and, on exit, closes the server, what its dependencies hold and its child processes.
 */
import type { Exposure, McpServer, Tool } from '@plugboard/protocol';
import { ChildProcesses } from '../process/child-processes.js';
import type { CommandSpec, CommonOptions } from './args.js';
import { auditTools } from '../audit/audit-tools.js';
import { loadTools } from '../tools/load.js';
import { exposeTools, type ExposedTools, type ToolConfiguration } from '../tools/select.js';
import { withSecretsMasked } from './mask-secrets.js';
import { runServer, type ServerInput } from './run.js';
import type { UpstreamAccounts } from '../accounts/types.js';
import { accountsKeys, isHosted, openAccounts, type AccountsSpec } from './upstream-accounts.js';

/** What the kit hands a server's parts besides its configuration. */
export interface ServerScope {
  readonly logger: ServerInput['logger'];
  /** The working directory the server was started in. */
  readonly cwd: string;
  /**
   * The server's child processes: every group still running is ended on shutdown, and killed at
   * once if the process exits any other way.
   */
  readonly children: ChildProcesses;
  /** Registers what to release on shutdown (pools, browsers, pending writes), after the server. */
  readonly onClose: (close: () => Promise<void> | void) => void;
  /** Ends the process at once, for a server that finds it must not run (a refused role). */
  readonly exit: (code: number) => void;
  /**
   * Hosted mode, for a server with `parts.accounts`: each signed-in user's own account at the
   * provider. Undefined otherwise (stdio, HTTP without sign-in): the server's one credential.
   */
  readonly accounts?: UpstreamAccounts;
}

/** Where the server's tools are: the build's manifest, and the registry it stands for. */
export interface ToolSource<D> {
  /** `new URL('./tools.json', import.meta.url)`: written at build time, absent in tests. */
  readonly manifest: URL;
  /** Imports the registry (and zod); called on the first tool call when there is a manifest. */
  load(): Promise<readonly Tool<D>[]>;
}

/** Everything a server is, besides its command line; `main.ts` imports it lazily. */
export interface ServerParts<C, D> {
  /** The configuration from the command line and environment; throws UsageError when wrong. */
  config(input: ServerInput, scope: ServerScope): C | Promise<C>;
  /**
   * Opts in to per-user upstream accounts: the provider and the operator's OAuth client there,
   * or undefined when the configuration names none. Used only hosted (`--transport http` with
   * sign-in); the accounts reach `dependencies` as `scope.accounts`, their connect routes
   * are served beside `/mcp`. May be async, so that the provider's module (and the accounts
   * code it imports) loads only in hosted mode, never on the way to a local `tools/list`.
   */
  accounts?(config: C): AccountsSpec | undefined | Promise<AccountsSpec | undefined>;
  /** Values the logger masks wherever they would appear (a database password). */
  secrets?(config: C): readonly string[];
  /** What the tools run with. Called after the tools are selected, so bad selections stop first. */
  dependencies(config: C, scope: ServerScope): D | Promise<D>;
  tools: ToolSource<D>;
  /**
   * The server's side of tool selection: the gates its tools `require` (`--allow-delete`...)
   * and its toolsets, read by the kit's one pipeline ({@link exposeTools}) with the operator's
   * `--tools`, `--exclude-tools` and `--read-only`.
   */
  exposure?(config: C, common: CommonOptions): Omit<ToolConfiguration, 'selection'>;
  /**
   * Builds the server from its dependencies and the selected tools, usually by calling the
   * server's pure `create...Server`, with `options` spread into its `createServer` options.
   */
  server(
    deps: D,
    selected: ExposedTools<Tool<D>>,
    options: ServerInput['serverDefaults'],
    scope: ServerScope,
  ): McpServer<D> | Promise<McpServer<D>>;
}

export interface ServerDefinition<C, D> {
  spec: CommandSpec;
  /** Imports the rest of the server: `async () => (await import('./server.js')).parts`. */
  parts(): Promise<ServerParts<C, D>>;
  /** Rewrites the command line before it is parsed (a compatibility spelling); argv as default. */
  argv?(argv: readonly string[]): readonly string[];
}

/** Runs the server `definition` describes until its client goes away (see `runServer`). */
export async function defineServer<C, D>(definition: ServerDefinition<C, D>): Promise<void> {
  const argv = process.argv.slice(2);
  await runServer({
    spec: definition.spec,
    argv: definition.argv?.(argv) ?? argv,
    create: async (input) => {
      const parts = await definition.parts();
      const children = new ChildProcesses();
      process.once('exit', () => children.killAll());
      const closers: (() => Promise<void> | void)[] = [];
      const scope = (logger: ServerInput['logger']): ServerScope => ({
        logger,
        cwd: process.cwd(),
        children,
        onClose: (close) => void closers.push(close),
        exit: (code) => process.exit(code),
      });
      const config = await parts.config(input, scope(input.logger));
      const accountsSpec = isHosted(input) ? await parts.accounts?.(config) : undefined;
      const logger = withSecretsMasked(input.logger, [
        ...(parts.secrets?.(config) ?? []),
        ...(accountsSpec === undefined
          ? []
          : [accountsSpec.client.clientSecret, ...accountsKeys(input.env)]),
      ]);
      const hosted =
        accountsSpec === undefined ? undefined : await openAccounts(accountsSpec, input, logger);
      const masked: ServerScope = {
        ...scope(logger),
        ...(hosted === undefined ? {} : { accounts: hosted.accounts }),
      };
      const all = await loadTools(parts.tools.manifest, () => parts.tools.load());
      const configuration: ToolConfiguration = {
        ...parts.exposure?.(config, input.common),
        selection: input.common,
      };
      const selected = exposeTools(all, configuration);
      for (const { name, gates } of selected.withheld)
        if (input.common.tools?.includes(name) === true)
          logger.warn(
            `${name} is not offered without ${gates.map((gate) => gate.enable).join(' and ')}`,
          );
      const offered =
        input.common.approve.length === 0
          ? selected
          : (await import('../approval/with-approval.js')).withApproval(
              all,
              selected,
              { ...input.common, prefix: definition.spec.prefix },
              masked,
            );
      const deps = await parts.dependencies(config, masked);
      // Hosted mode asks the same pipeline again for what a request teaches (a read-only grant).
      const exposure: Exposure = (facts) => exposeTools(all, configuration, facts);
      const server = await parts.server(
        deps,
        await auditTools(offered, definition.spec, input.common.audit, masked),
        { ...input.serverDefaults, logger, exposure },
        masked,
      );
      return {
        server,
        ...(hosted === undefined ? {} : { routes: hosted.routes }),
        close: async () => {
          for (const close of closers) await close();
          await children.closeAll();
        },
      };
    },
  });
}
