/**
 * @module
 * Builds the Postgres MCP server from the parsed command line: the database (a server, or the
 * embedded engine loaded only in embedded mode), the executor every call goes through, the tools
 * the operator allowed, the schema resources and the prompt. Nothing here runs at import time.
 */
import { createServer, type Logger, type McpServer } from '@plugboard/protocol';
import type { RunningServer, ServerInput } from '@plugboard/kit/cli';
import { exposeTools, loadTools } from '@plugboard/kit/tools';
import { parseConfig, type PostgresConfig } from './config.js';
import type { PostgresDeps } from './context.js';
import type { Database } from './database/database.js';
import { createServerDatabase } from './database/server-database.js';
import { createExecutor } from './executor.js';
import { withSecretsMasked } from './log.js';
import { prompts } from './prompts.js';
import { createSchemaResources } from './resources.js';
import { createStartupCheck } from './role-check.js';

/** How long after start-up the embedded engine's check runs when no call asked for it sooner. */
const CHECK_DELAY_MS = 250;

const INSTRUCTIONS = `Tools for one PostgreSQL database. Find your way with list_schemas, list_objects and describe_object, then read with query (one SQL statement per call, in a read-only transaction the database enforces; long results come back truncated with an offset to continue). Use explain_query to see or test plans, check_database_health and list_top_queries for performance. execute_sql (one statement), run_sql_transaction (several, all or nothing) and apply_migration (a named, recorded migration; list_migrations shows them) change the database only when the operator enabled them.`;

export interface StartOptions {
  version: string;
  /** Ends the process; called when the configured role must not be used. */
  exit: (code: number) => void;
}

async function openDatabase(config: PostgresConfig, logger: Logger): Promise<Database> {
  if (config.target.kind === 'server') {
    return createServerDatabase(config.target, config.limits, logger);
  }
  // PGlite and its worker are loaded only in embedded mode.
  const { createEmbeddedDatabase } = await import('./database/embedded/embedded-database.js');
  return createEmbeddedDatabase(config.target, config.limits, logger);
}

export interface PostgresServer extends RunningServer {
  server: McpServer<PostgresDeps>;
  config: PostgresConfig;
  /** Resolves when the start-up role check has passed (or rejects when the role is refused). */
  ready: () => Promise<void>;
}

/** Builds the server; throws UsageError for bad configuration. */
export async function startPostgresServer(
  input: ServerInput,
  options: StartOptions,
): Promise<PostgresServer> {
  const config = parseConfig(input);
  const logger = withSecretsMasked(input.logger, config.secrets);
  if (config.passwordInArguments) {
    logger.warn(
      'The connection URL on the command line contains a password, which other local users can see in the process list. Pass it in DATABASE_URL instead.',
    );
  }
  const database = await openDatabase(config, logger);
  const check = createStartupCheck({
    config,
    executor: createExecutor({ database, config, logger, ready: () => Promise.resolve() }),
    logger,
    exit: options.exit,
  });
  const executor = createExecutor({ database, config, logger, ready: check.wait });
  const available = await loadTools(new URL('./tools.json', import.meta.url), () =>
    import('./tools/index.js').then((module) => module.tools),
  );
  const { tools, disabledTools } = exposeTools(available, {
    selection: input.common,
    gates: {
      allowWrite: {
        open: config.allowWrite,
        label: 'the write tools',
        enable: '--allow-write (or POSTGRES_ALLOW_WRITE=1)',
      },
      allowDdl: {
        open: config.allowDdl,
        label: 'the schema tools',
        enable: '--allow-write --allow-ddl (or POSTGRES_ALLOW_WRITE=1 and POSTGRES_ALLOW_DDL=1)',
      },
    },
  });
  const server = createServer<PostgresDeps>({
    name: 'mcp-server-postgres',
    title: 'PostgreSQL',
    version: options.version,
    instructions: INSTRUCTIONS,
    tools,
    disabledTools,
    resourceTemplates: createSchemaResources(config.resourceBase),
    prompts,
    context: { config, executor },
    ...input.serverDefaults,
    logger,
  });
  if (config.target.kind === 'server') {
    // Before the host gets an answer to initialize, so a refused role shows as the reason the
    // server stopped. An unreachable database is only logged here: each call then reports it.
    await check.wait().catch(() => undefined);
  } else {
    // The embedded engine takes seconds to create; its check (track_counts) runs meanwhile.
    check.schedule(CHECK_DELAY_MS);
  }
  logger.info('starting', {
    database: config.target.display,
    access: config.allowDdl
      ? 'read-write + DDL'
      : config.allowWrite
        ? 'read-write (DML)'
        : 'read-only',
    statementTimeoutMs: config.limits.statementTimeoutMs,
  });
  return {
    server,
    config,
    ready: check.wait,
    async close() {
      check.cancel();
      await database.close();
    },
  };
}
