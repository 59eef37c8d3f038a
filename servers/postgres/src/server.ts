/**
 * @module
 * Builds the Postgres MCP server from the parsed command line: the database (a server, or the
 * embedded engine loaded only in embedded mode), the executor every call goes through, the tools
 * the operator allowed, the schema resources and the prompt. Nothing here runs at import time.
 */
import {
  createServer,
  type Logger,
  type McpServer,
  type ServerOptions,
  type Tool,
} from '@plugboard/protocol';
import type { ServerParts } from '@plugboard/kit/cli';
import type { ExposedTools, ToolConfiguration } from '@plugboard/kit/tools';
import { parseConfig, type PostgresConfig } from './config.js';
import type { PostgresDeps } from './context.js';
import type { Database } from './database/database.js';
import { createServerDatabase } from './database/server-database.js';
import { createExecutor } from './executor.js';
import { prompts } from './prompts.js';
import { createSchemaResources } from './resources.js';
import { createStartupCheck } from './role-check.js';

/** How long after start-up the embedded engine's check runs when no call asked for it sooner. */
const CHECK_DELAY_MS = 250;

const INSTRUCTIONS = `Tools for one PostgreSQL database. Find your way with list_schemas, list_objects and describe_object, then read with query (one SQL statement per call, in a read-only transaction the database enforces; long results come back truncated with an offset to continue). Use explain_query to see or test plans, check_database_health and list_top_queries for performance. execute_sql (one statement), run_sql_transaction (several, all or nothing) and apply_migration (a named, recorded migration; list_migrations shows them) change the database only when the operator enabled them.`;

async function openDatabase(config: PostgresConfig, logger: Logger): Promise<Database> {
  if (config.target.kind === 'server') {
    return createServerDatabase(config.target, config.limits, logger);
  }
  // PGlite and its worker are loaded only in embedded mode.
  const { createEmbeddedDatabase } = await import('./database/embedded/embedded-database.js');
  return createEmbeddedDatabase(config.target, config.limits, logger);
}

/** The operator's gates: writes with --allow-write, schema changes with --allow-ddl as well. */
export function postgresExposure(
  config: Pick<PostgresConfig, 'allowWrite' | 'allowDdl'>,
): Omit<ToolConfiguration, 'selection'> {
  return {
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
  };
}

/** The database and the executor every call goes through, with the start-up role check. */
export interface PostgresConnection {
  deps: PostgresDeps;
  /** Resolves when the start-up role check has passed (or rejects when the role is refused). */
  ready: () => Promise<void>;
  /**
   * Starts the role check without waiting for it: against a server at once, so that it runs
   * while the host initializes and lists the tools (a round trip to the database is not on the
   * path to `tools/list`); every call and resource read waits for it, and a refused role
   * answers them with the reason and exits 2 (an unreachable database is only logged: each call
   * then reports it). The embedded engine takes seconds to create, so its check (track_counts)
   * runs a little later, meanwhile.
   */
  begin: () => void;
  close: () => Promise<void>;
}

/** Opens the database; `exit` ends the process when the configured role must not be used. */
export async function connectPostgres(
  config: PostgresConfig,
  options: { logger: Logger; exit: (code: number) => void },
): Promise<PostgresConnection> {
  const { logger } = options;
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
  return {
    deps: { config, executor },
    ready: check.wait,
    begin() {
      if (config.target.kind === 'server') void check.wait().catch(() => undefined);
      else check.schedule(CHECK_DELAY_MS);
    },
    async close() {
      check.cancel();
      await database.close();
    },
  };
}

export function createPostgresServer(
  deps: PostgresDeps,
  selected: ExposedTools<Tool<PostgresDeps>>,
  options: Pick<ServerOptions<PostgresDeps>, 'logger' | 'requestStateKey' | 'outputBudget'>,
): McpServer<PostgresDeps> {
  return createServer<PostgresDeps>({
    name: 'mcp-server-postgres',
    title: 'PostgreSQL',
    version: PLUGBOARD_PACKAGE_VERSION,
    instructions: INSTRUCTIONS,
    tools: selected.tools,
    disabledTools: selected.disabledTools,
    resourceTemplates: createSchemaResources(deps.config.resourceBase),
    prompts,
    context: deps,
    ...options,
  });
}

/** The server `main.ts` runs. */
export const parts: ServerParts<PostgresConfig, PostgresDeps> = {
  config: (input) => parseConfig(input),
  secrets: (config) => config.secrets,
  tools: {
    manifest: new URL('./tools.json', import.meta.url),
    load: async () => (await import('./tools/index.js')).tools,
  },
  exposure: postgresExposure,
  async dependencies(config, { logger, exit, onClose }) {
    const connection = await connectPostgres(config, { logger, exit });
    onClose(() => connection.close());
    connection.begin();
    logger.info('starting', {
      database: config.target.display,
      access: config.allowDdl
        ? 'read-write + DDL'
        : config.allowWrite
          ? 'read-write (DML)'
          : 'read-only',
      statementTimeoutMs: config.limits.statementTimeoutMs,
    });
    return connection.deps;
  },
  server: createPostgresServer,
};
