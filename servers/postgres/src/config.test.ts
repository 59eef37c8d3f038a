import { parseCommandLine, UsageError } from '@plugboard/kit/cli';
import { describe, expect, it } from 'vitest';
import { COMMAND } from './command.js';
import { parseConfig, type PostgresConfig } from './config.js';

function configFor(args: readonly string[], env: Record<string, string> = {}): PostgresConfig {
  const parsed = parseCommandLine({ ...COMMAND, version: '0.0.0' }, args, env);
  if (parsed.kind !== 'run') throw new Error('not a run command line');
  return parseConfig({ flags: parsed.flags, positionals: parsed.positionals, env });
}

describe('configuration', () => {
  it('takes the connection URL as the positional argument, like the official server', () => {
    const config = configFor(['postgresql://alice:s3cret@db.example:5433/shop']);
    expect(config.target).toMatchObject({
      kind: 'server',
      client: {
        host: 'db.example',
        port: 5433,
        user: 'alice',
        password: 's3cret',
        database: 'shop',
      },
      display: 'postgresql://alice@db.example:5433/shop',
    });
    expect(config.secrets).toEqual(['s3cret']);
    expect(config.passwordInArguments).toBe(true);
  });

  it('prefers DATABASE_URL, and does not flag a password that is not on the command line', () => {
    const config = configFor([], { DATABASE_URL: 'postgres://bob:pw@localhost/app' });
    expect(config.target.display).toBe('postgres://bob@localhost/app');
    expect(config.passwordInArguments).toBe(false);
  });

  it('lets the argument win over DATABASE_URL (flags beat environment)', () => {
    const config = configFor(['postgresql://arg@h1/db'], {
      DATABASE_URL: 'postgresql://env@h2/db',
    });
    expect(config.target.display).toBe('postgresql://arg@h1/db');
  });

  it('builds the official resource base: scheme postgres, no password, no database or query', () => {
    expect(
      configFor(['postgresql://alice:pw@localhost:5432/mydb?sslmode=disable']).resourceBase,
    ).toBe('postgres://alice@localhost:5432/');
    expect(configFor(['postgresql://localhost']).resourceBase).toBe('postgres://localhost/');
  });

  it('keeps the operator URL settings except timeouts, which the server sets itself', () => {
    const config = configFor([
      'postgresql://u@h/db?application_name=reports&statement_timeout=0&options=-c%20search_path%3Dapp',
    ]);
    expect(config.target.kind === 'server' && config.target.client).toMatchObject({
      application_name: 'reports',
      options: '-c search_path=app',
    });
    expect(config.target.kind === 'server' && 'statement_timeout' in config.target.client).toBe(
      false,
    );
  });

  it('falls back to the libpq environment variables', () => {
    const config = configFor([], {
      PGHOST: 'pg.internal',
      PGUSER: 'reader',
      PGDATABASE: 'sales',
      PGPASSWORD: 'x1',
    });
    expect(config.target).toMatchObject({
      kind: 'server',
      client: {},
      display: 'postgresql://reader@pg.internal:5432/sales',
    });
    expect(config.resourceBase).toBe('postgres://reader@pg.internal:5432/');
    expect(config.secrets).toEqual(['x1']);
  });

  it('runs embedded with --embedded, in memory or in the given directory', () => {
    expect(configFor(['--embedded']).target).toEqual({
      kind: 'embedded',
      dataDir: undefined,
      display: 'embedded PostgreSQL (in memory)',
    });
    const withDir = configFor(['--embedded', '/var/lib/scratch']);
    expect(withDir.target).toMatchObject({ kind: 'embedded', dataDir: '/var/lib/scratch' });
    expect(withDir.resourceBase).toBe('postgres://embedded/');
  });

  it.each([
    ['pglite:', undefined],
    ['pglite:memory', undefined],
    ['pglite://memory', undefined],
    ['pglite:///srv/db', '/srv/db'],
    ['pglite:/srv/db', '/srv/db'],
  ])('reads the embedded URL %s', (url, dataDir) => {
    expect(configFor([url]).target).toMatchObject({ kind: 'embedded', dataDir });
    expect(configFor([], { DATABASE_URL: url }).target).toMatchObject({
      kind: 'embedded',
      dataDir,
    });
  });

  it('resolves a relative embedded directory against the working directory', () => {
    const target = configFor(['pglite:data/db']).target;
    expect(target.kind === 'embedded' && target.dataDir).toBe(`${process.cwd()}/data/db`);
  });

  it('enables writes and schema changes only as separate explicit steps', () => {
    expect(configFor(['postgresql://h/db'])).toMatchObject({ allowWrite: false, allowDdl: false });
    expect(configFor(['--allow-write', 'postgresql://h/db'])).toMatchObject({
      allowWrite: true,
      allowDdl: false,
    });
    expect(configFor(['--allow-write', '--allow-ddl', 'postgresql://h/db'])).toMatchObject({
      allowWrite: true,
      allowDdl: true,
    });
    expect(() => configFor(['--allow-ddl', 'postgresql://h/db'])).toThrow(
      /--allow-ddl needs --allow-write/,
    );
    expect(
      configFor([], { DATABASE_URL: 'postgresql://h/db', POSTGRES_ALLOW_WRITE: '1' }).allowWrite,
    ).toBe(true);
  });

  it('derives the lock and idle timeouts from the statement timeout', () => {
    expect(configFor(['--statement-timeout', '4000', 'postgresql://h/db']).limits).toMatchObject({
      statementTimeoutMs: 4000,
      lockTimeoutMs: 2000,
      idleInTransactionTimeoutMs: 60_000,
    });
    expect(configFor(['postgresql://h/db']).limits).toEqual({
      statementTimeoutMs: 30_000,
      lockTimeoutMs: 10_000,
      idleInTransactionTimeoutMs: 60_000,
      maxRows: 1000,
      maxBytes: 65_536,
    });
  });

  it.each([
    [[], {}, /No database given/],
    [['a', 'b'], {}, /one connection URL/],
    [['mysql://h/db'], {}, /postgresql:\/\//],
    [['not a url'], {}, /not a URL/],
    [['pglite://host/x'], {}, /pglite:\/\/\/absolute/],
    [['--max-rows', '0', 'postgresql://h/db'], {}, /--max-rows must be between/],
    [['--max-bytes', '10', 'postgresql://h/db'], {}, /--max-bytes must be between/],
    [['--statement-timeout', '5', 'postgresql://h/db'], {}, /--statement-timeout must be between/],
  ] as const)('refuses bad configuration with a usage error: %j', (args, env, message) => {
    expect(() => configFor(args, env)).toThrow(UsageError);
    expect(() => configFor(args, env)).toThrow(message);
  });

  it('never puts the password in the display string or resource base', () => {
    const config = configFor(['postgresql://u:Pa%24%24w0rd@h:5432/db']);
    expect(config.target.display).not.toContain('Pa');
    expect(config.resourceBase).not.toContain('Pa');
    expect(config.secrets).toEqual(['Pa$$w0rd']);
  });
});
