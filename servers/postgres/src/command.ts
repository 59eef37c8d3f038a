/**
 * @module
 * The command line of `mcp-server-postgres`: its own flags and the help text. Kept free of
 * imports so `--help` and `--version` load nothing else.
 */
import type { CommandSpec } from '@plugboard/kit/cli';

/** The server's own flags, in `--help` order. */
export const POSTGRES_FLAGS = [
  {
    name: 'embedded',
    type: 'boolean',
    env: 'POSTGRES_EMBEDDED',
    description:
      'Run an in-process PostgreSQL (PGlite); the argument is its data directory (none: a scratch database, removed on exit)',
  },
  {
    name: 'allow-write',
    type: 'boolean',
    env: 'POSTGRES_ALLOW_WRITE',
    description:
      'Add execute_sql and run_sql_transaction for INSERT, UPDATE, DELETE and MERGE (committed)',
  },
  {
    name: 'allow-ddl',
    type: 'boolean',
    env: 'POSTGRES_ALLOW_DDL',
    description:
      'Also let the write tools change the schema (CREATE, ALTER, DROP...) and add apply_migration; needs --allow-write',
  },
  {
    name: 'allow-privileged-role',
    type: 'boolean',
    env: 'POSTGRES_ALLOW_PRIVILEGED_ROLE',
    description:
      'Start even when the role is a superuser or may read or write server files or run programs',
  },
  {
    name: 'statement-timeout',
    type: 'integer',
    env: 'POSTGRES_STATEMENT_TIMEOUT',
    placeholder: 'MS',
    description: 'Cancel any statement running longer than this (default 30000 ms)',
  },
  {
    name: 'max-rows',
    type: 'integer',
    env: 'POSTGRES_MAX_ROWS',
    placeholder: 'N',
    description: 'Most rows one result returns (default 1000)',
  },
  {
    name: 'max-bytes',
    type: 'integer',
    env: 'POSTGRES_MAX_BYTES',
    placeholder: 'N',
    description: 'Alias of --output-budget: most bytes of rows one result returns (default 65536)',
    aliasOf: 'output-budget',
  },
] as const satisfies CommandSpec['flags'];

/** The command line of `mcp-server-postgres`. */
export const COMMAND: CommandSpec = {
  bin: 'mcp-server-postgres',
  version: PLUGBOARD_PACKAGE_VERSION,
  prefix: 'POSTGRES',
  secretEnv: ['PGPASSWORD'],
  summary:
    'PostgreSQL for MCP clients: read-only SQL the database enforces, schema insight, query plans',
  positionals: '[postgresql://user@host:5432/db | DATA_DIR with --embedded]',
  flags: POSTGRES_FLAGS,
  epilog: `Environment:
  DATABASE_URL                    Connection URL (preferred to the argument: the process list shows arguments)
  PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE
                                  Used when neither the argument nor DATABASE_URL is set

Examples:
  DATABASE_URL=postgresql://reader@localhost:5432/shop mcp-server-postgres
  mcp-server-postgres --embedded ./scratch-db
  mcp-server-postgres pglite:memory`,
};
