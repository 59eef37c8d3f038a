/**
 * @module
 * The command line every Plugboard server shares (CONVENTIONS.md): common flags with their
 * environment twins, plus each server's own. Parsing is pure: argv and env in, options out, or
 * a {@link UsageError} that names what is wrong and how to fix it. Flags beat env; env beats defaults.
 */
import { LOG_LEVELS, type LogLevel } from '@plugboard/protocol';
import type { SignInOptions } from '@plugboard/protocol/http';

/** Bad configuration: printed as one stderr line, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type FlagType = 'boolean' | 'string' | 'integer' | 'list';

export interface FlagSpec {
  /** Long name without dashes: `allow-delete`. */
  name: string;
  type: FlagType;
  description: string;
  /** Environment twin, read when the flag is absent. */
  env?: string;
  /** Value placeholder in --help. */
  placeholder?: string;
  /** `list` flags may repeat; values also split on commas. */
  repeatable?: boolean;
  /**
   * Another spelling of a common flag (`max-output-bytes` for `output-budget`): when the common
   * flag is not given, this one's value is taken for it; when it is, it decides both.
   */
  aliasOf?: string;
}

declare global {
  /**
   * The `version` of the running server package's own package.json, written into the code at
   * build time (esbuild's `define` in `plugboard-build`) and in tests (the Vitest preset), so no
   * server writes its version as a literal.
   */
  const PLUGBOARD_PACKAGE_VERSION: string;
}

export interface CommandSpec {
  /** The bin name, e.g. `mcp-server-filesystem`. */
  bin: string;
  /** `PLUGBOARD_PACKAGE_VERSION`. */
  version: string;
  /** Capitalised server name used for env twins: FILESYSTEM, GIT, ... */
  prefix: string;
  summary: string;
  /** Positional arguments in the usage line, e.g. `[allowed-directory...]`. */
  positionals?: string;
  flags?: readonly FlagSpec[];
  /** Extra lines for --help: environment variables, examples. */
  epilog?: string;
  /** Environment variables holding secrets (tokens): their values never reach the logs. */
  secretEnv?: readonly string[];
}

export type FlagValue = boolean | string | number | string[];

export interface CommonOptions {
  transport: 'stdio' | 'http';
  port: number;
  host: string;
  authToken: string | undefined;
  readOnly: boolean;
  tools: string[] | undefined;
  excludeTools: string[];
  /** Tools and named action classes whose calls wait for a person's approval (`--approve`). */
  approve: string[];
  /** How approval is asked: a form in the client, or a page this server serves (`--approve-via`). */
  approveVia: 'form' | 'url';
  logLevel: LogLevel;
  /** Tool output budget in bytes of text; the protocol's default when undefined. */
  outputBudget: number | undefined;
  /** stdio line limit; the transport's default when undefined. */
  maxLineBytes: number | undefined;
  http: {
    /** HTTP body limit; the transport's default when undefined. */
    maxBodyBytes: number | undefined;
    allowedHosts: string[];
    allowedOrigins: string[];
    allowUnauthenticated: boolean;
    authorizationServers: string[];
    publicUrl: string | undefined;
    /** Sign-in (OAuth access tokens from an issuer); undefined when not configured. */
    signIn: SignInOptions | undefined;
    /** The shared store (`--store redis://…`); undefined: in memory, this process only. */
    store: URL | undefined;
  };
  /** The audit trail (`@plugboard/kit/audit`): off unless a sink is configured. */
  audit: AuditOptions;
}

export interface AuditOptions {
  /** `--audit-log`: the JSONL file records are appended to; no file when undefined. */
  log: string | undefined;
  /** `--audit-log-max-bytes`: the size past which the file is rotated; never when undefined. */
  logMaxBytes: number | undefined;
  /** `--audit-otel`: spans and log records through the registered OpenTelemetry SDK. */
  otel: boolean;
  /** `--audit-reads`: read-only calls are recorded too. */
  reads: boolean;
}

export type ParsedCommand =
  | { kind: 'help'; text: string }
  | { kind: 'version'; text: string }
  | {
      kind: 'run';
      common: CommonOptions;
      flags: ReadonlyMap<string, FlagValue>;
      positionals: string[];
    };

function commonFlags(prefix: string): FlagSpec[] {
  return [
    {
      name: 'transport',
      type: 'string',
      env: 'MCP_TRANSPORT',
      placeholder: 'stdio|http',
      description: 'How clients connect (default stdio)',
    },
    {
      name: 'port',
      type: 'integer',
      env: 'MCP_PORT',
      placeholder: 'N',
      description: 'HTTP port; 0 picks a free one and prints it on stderr (default 3000)',
    },
    {
      name: 'host',
      type: 'string',
      env: 'MCP_HOST',
      placeholder: 'H',
      description: 'HTTP bind address (default 127.0.0.1)',
    },
    {
      name: 'auth-token',
      type: 'string',
      env: 'MCP_AUTH_TOKEN',
      placeholder: 'T',
      description: 'HTTP: require "Authorization: Bearer T" (prefer the env variable)',
    },
    {
      name: 'read-only',
      type: 'boolean',
      env: `${prefix}_READ_ONLY`,
      description: 'Hide every tool that changes anything',
    },
    {
      name: 'tools',
      type: 'list',
      env: `${prefix}_TOOLS`,
      placeholder: 'a,b',
      description: 'Expose only these tools',
    },
    {
      name: 'exclude-tools',
      type: 'list',
      env: `${prefix}_EXCLUDE_TOOLS`,
      placeholder: 'c,d',
      description: 'Hide these tools',
    },
    {
      name: 'approve',
      type: 'list',
      env: `${prefix}_APPROVE`,
      placeholder: 'a,b',
      description: "Tools or action classes whose calls wait for a person's approval",
    },
    {
      name: 'approve-via',
      type: 'string',
      env: `${prefix}_APPROVE_VIA`,
      placeholder: 'form|url',
      description: "How approval is asked: the client's form (default) or a loopback page",
    },
    {
      name: 'log-level',
      type: 'string',
      env: 'LOG_LEVEL',
      placeholder: 'L',
      description: 'stderr log level: debug, info, warn, error (default info)',
    },
    {
      name: 'output-budget',
      type: 'integer',
      env: `${prefix}_OUTPUT_BUDGET`,
      placeholder: 'N',
      description:
        'Most bytes of text in one tool result; longer results are cut and marked (default 65536)',
    },
    {
      name: 'max-line-bytes',
      type: 'integer',
      env: 'MCP_MAX_LINE_BYTES',
      placeholder: 'N',
      description: 'stdio: largest message line accepted (default 16777216, 16 MiB)',
    },
    {
      name: 'max-body-bytes',
      type: 'integer',
      env: 'MCP_MAX_BODY_BYTES',
      placeholder: 'N',
      description: 'HTTP: largest request body accepted (default 4194304, 4 MiB)',
    },
    {
      name: 'allowed-hosts',
      type: 'list',
      env: 'MCP_ALLOWED_HOSTS',
      placeholder: 'h1,h2',
      description: 'HTTP: Host names accepted besides loopback',
    },
    {
      name: 'allowed-origins',
      type: 'list',
      env: 'MCP_ALLOWED_ORIGINS',
      placeholder: 'o1,o2',
      description: 'HTTP: browser origins accepted besides loopback',
    },
    {
      name: 'allow-unauthenticated',
      type: 'boolean',
      env: 'MCP_ALLOW_UNAUTHENTICATED',
      description: 'HTTP: allow a non-loopback bind without --auth-token (behind a gateway)',
    },
    {
      name: 'authorization-server',
      type: 'list',
      env: 'MCP_AUTHORIZATION_SERVERS',
      placeholder: 'URL',
      repeatable: true,
      description: 'HTTP: authorization server(s) to publish in RFC 9728 metadata',
    },
    {
      name: 'public-url',
      type: 'string',
      env: 'MCP_PUBLIC_URL',
      placeholder: 'URL',
      description: 'HTTP: public base URL when behind a proxy',
    },
    {
      name: 'auth-issuer',
      type: 'string',
      env: 'MCP_AUTH_ISSUER',
      placeholder: 'URL',
      description:
        'HTTP sign-in: accept OAuth access tokens from this issuer (not with --auth-token)',
    },
    {
      name: 'auth-resource',
      type: 'string',
      env: 'MCP_AUTH_RESOURCE',
      placeholder: 'URL',
      description: "HTTP sign-in: this server's resource URI, the audience tokens must name",
    },
    {
      name: 'auth-scopes',
      type: 'list',
      env: 'MCP_AUTH_SCOPES',
      placeholder: 's1,s2',
      description: 'HTTP sign-in: scopes every request needs (403 insufficient_scope otherwise)',
    },
    {
      name: 'auth-write-scope',
      type: 'string',
      env: 'MCP_AUTH_WRITE_SCOPE',
      placeholder: 'SCOPE',
      description:
        'HTTP sign-in: scope for tools that change anything; tokens without it get the read-only tools',
    },
    {
      name: 'auth-introspection-url',
      type: 'string',
      env: 'MCP_AUTH_INTROSPECTION_URL',
      placeholder: 'URL',
      description: "HTTP sign-in: RFC 7662 endpoint for opaque tokens (default: the issuer's)",
    },
    {
      name: 'auth-client-id',
      type: 'string',
      env: 'MCP_AUTH_CLIENT_ID',
      placeholder: 'ID',
      description:
        'HTTP sign-in: client id for introspection; the secret is MCP_AUTH_CLIENT_SECRET',
    },
    {
      name: 'store',
      type: 'string',
      env: 'PLUGBOARD_STORE',
      placeholder: 'URL',
      description: 'HTTP: memory (default) or redis://… for the state every instance shares',
    },
    {
      name: 'audit-log',
      type: 'string',
      env: 'PLUGBOARD_AUDIT_LOG',
      placeholder: 'PATH',
      description: 'Append one JSON line per changing tool call to this file (fsync per record)',
    },
    {
      name: 'audit-log-max-bytes',
      type: 'integer',
      env: 'PLUGBOARD_AUDIT_LOG_MAX_BYTES',
      placeholder: 'N',
      description: 'Rotate the audit log past this size (renamed PATH.<time>; default never)',
    },
    {
      name: 'audit-otel',
      type: 'boolean',
      env: 'PLUGBOARD_AUDIT_OTEL',
      description: 'Send audit spans and log records to the registered OpenTelemetry SDK',
    },
    {
      name: 'audit-reads',
      type: 'boolean',
      env: 'PLUGBOARD_AUDIT_READS',
      description: 'Audit read-only tool calls too',
    },
  ];
}

/**
 * The common flags, then the server's own. A server never redefines a common flag: it reads the
 * common one from `flags`, or declares another spelling of it with `aliasOf`.
 */
function allFlags(spec: CommandSpec): FlagSpec[] {
  const common = commonFlags(spec.prefix);
  const names = new Set(common.map((flag) => flag.name));
  for (const flag of spec.flags ?? []) {
    if (names.has(flag.name))
      throw new TypeError(
        `${spec.bin} declares --${flag.name}, a common flag; read the common one instead`,
      );
    if (flag.aliasOf !== undefined && !names.has(flag.aliasOf))
      throw new TypeError(
        `${spec.bin}: --${flag.name} is an alias of --${flag.aliasOf}, not a common flag`,
      );
  }
  return [...common, ...(spec.flags ?? [])];
}

export function helpText(spec: CommandSpec): string {
  const flags = allFlags(spec);
  const rows = flags.map((flag) => {
    const left = `  --${flag.name}${flag.type === 'boolean' ? '' : ` ${flag.placeholder ?? 'VALUE'}`}`;
    const env = flag.env === undefined ? '' : ` [env ${flag.env}]`;
    return `${left.padEnd(34)}${flag.description}${env}`;
  });
  return [
    `${spec.bin} ${spec.version}: ${spec.summary}`,
    '',
    `Usage: ${spec.bin} [options]${spec.positionals === undefined ? '' : ` ${spec.positionals}`}`,
    '',
    'Options:',
    ...rows,
    `  --help${' '.repeat(28)}Print this help and exit`,
    `  --version${' '.repeat(25)}Print the version and exit`,
    ...(spec.epilog === undefined ? [] : ['', spec.epilog.trimEnd()]),
    '',
  ].join('\n');
}

function parseBoolean(name: string, raw: string): boolean {
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off|)$/i.test(raw)) return false;
  throw new UsageError(`--${name} takes true or false, got "${raw}"`);
}

function convert(flag: FlagSpec, raw: string, source: string): FlagValue {
  switch (flag.type) {
    case 'boolean':
      return parseBoolean(flag.name, raw);
    case 'integer': {
      const value = Number(raw);
      if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value))
        throw new UsageError(`${source} must be a whole number, got "${raw}"`);
      return value;
    }
    case 'list':
      return raw
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
    case 'string':
      return raw;
  }
}

/** Parses argv (without node and script) and env into options, help or version. */
export function parseCommandLine(
  spec: CommandSpec,
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ParsedCommand {
  const flags = allFlags(spec);
  const byName = new Map(flags.map((flag) => [flag.name, flag]));
  const values = new Map<string, FlagValue>();
  const positionals: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === '--') {
      positionals.push(...argv.slice(index + 1));
      break;
    }
    if (arg === '--help' || arg === '-h') return { kind: 'help', text: helpText(spec) };
    if (arg === '--version' || arg === '-v') return { kind: 'version', text: `${spec.version}\n` };
    if (!arg.startsWith('--')) {
      if (arg.startsWith('-') && arg !== '-')
        throw new UsageError(`Unknown option ${arg}; see ${spec.bin} --help`);
      positionals.push(arg);
      continue;
    }
    const equals = arg.indexOf('=');
    const name = arg.slice(2, equals === -1 ? undefined : equals);
    const flag = byName.get(name);
    if (flag === undefined)
      throw new UsageError(`Unknown option --${name}; see ${spec.bin} --help`);
    let raw: string;
    if (equals !== -1) raw = arg.slice(equals + 1);
    else if (flag.type === 'boolean') raw = 'true';
    else {
      const next = argv[index + 1];
      if (next === undefined) throw new UsageError(`--${name} needs a value`);
      raw = next;
      index++;
    }
    const value = convert(flag, raw, `--${name}`);
    const previous = values.get(name);
    if (flag.repeatable === true && Array.isArray(previous) && Array.isArray(value))
      values.set(name, [...previous, ...value]);
    else values.set(name, value);
  }
  for (const flag of flags) {
    if (values.has(flag.name) || flag.env === undefined) continue;
    const raw = env[flag.env];
    if (raw !== undefined && raw !== '') values.set(flag.name, convert(flag, raw, flag.env));
  }
  const aliasedFrom = new Map<string, string>();
  for (const flag of flags) {
    if (flag.aliasOf === undefined) continue;
    const value = values.get(flag.name);
    const common = values.get(flag.aliasOf);
    if (value !== undefined && common === undefined) {
      values.set(flag.aliasOf, value);
      aliasedFrom.set(flag.aliasOf, flag.name);
    } else if (common !== undefined) {
      // The server reads its own spelling; the common flag, when given, decides both.
      values.set(flag.name, common);
    }
  }
  return {
    kind: 'run',
    common: commonOptions(values, aliasedFrom, env),
    flags: values,
    positionals,
  };
}

/**
 * The sign-in settings, or undefined without `--auth-issuer`. The introspection client's secret
 * comes from the environment only, never from argv.
 */
function signInSettings(
  values: ReadonlyMap<string, FlagValue>,
  env: Readonly<Record<string, string | undefined>>,
): SignInOptions | undefined {
  const issuer = values.get('auth-issuer') as string | undefined;
  const clientId = values.get('auth-client-id') as string | undefined;
  const endpoint = values.get('auth-introspection-url') as string | undefined;
  const secret = env.MCP_AUTH_CLIENT_SECRET;
  if (issuer === undefined) {
    const stray = [
      'auth-resource',
      'auth-scopes',
      'auth-write-scope',
      'auth-introspection-url',
      'auth-client-id',
    ].find((name) => values.has(name));
    if (stray !== undefined)
      throw new UsageError(`--${stray} needs --auth-issuer (MCP_AUTH_ISSUER)`);
    return undefined;
  }
  if (values.has('auth-token'))
    throw new UsageError(
      'Use either --auth-token (MCP_AUTH_TOKEN) or --auth-issuer (MCP_AUTH_ISSUER), not both',
    );
  if ((clientId === undefined) !== (secret === undefined || secret === ''))
    throw new UsageError(
      'Introspection needs both --auth-client-id (MCP_AUTH_CLIENT_ID) and MCP_AUTH_CLIENT_SECRET',
    );
  if (endpoint !== undefined && clientId === undefined)
    throw new UsageError(
      '--auth-introspection-url needs --auth-client-id and MCP_AUTH_CLIENT_SECRET',
    );
  const resource = values.get('auth-resource') as string | undefined;
  const scopes = (values.get('auth-scopes') as string[] | undefined) ?? [];
  const writeScope = values.get('auth-write-scope') as string | undefined;
  return {
    issuer,
    ...(resource === undefined ? {} : { resource }),
    requiredScopes: scopes,
    ...(writeScope === undefined
      ? { scopesSupported: scopes }
      : { writeScope, scopesSupported: [...new Set([...scopes, writeScope])] }),
    ...(clientId === undefined
      ? {}
      : {
          introspection: {
            ...(endpoint === undefined ? {} : { endpoint }),
            clientId,
            clientSecret: secret!,
          },
        }),
  };
}

/** `--store`: `memory` (the default, undefined here) or a `redis://` / `rediss://` URL. */
function parseStoreUrl(raw: string | undefined): URL | undefined {
  const value = raw?.trim() ?? '';
  if (value === '' || value === 'memory') return undefined;
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (url?.protocol !== 'redis:' && url?.protocol !== 'rediss:')
    throw new UsageError('--store must be memory or a redis:// or rediss:// URL');
  return url;
}

function commonOptions(
  values: ReadonlyMap<string, FlagValue>,
  aliasedFrom: ReadonlyMap<string, string>,
  env: Readonly<Record<string, string | undefined>>,
): CommonOptions {
  const transport = values.get('transport') ?? 'stdio';
  if (transport !== 'stdio' && transport !== 'http')
    throw new UsageError(`--transport must be stdio or http, got "${String(transport)}"`);
  const logLevel = values.get('log-level') ?? 'info';
  if (!(LOG_LEVELS as readonly unknown[]).includes(logLevel))
    throw new UsageError(
      `--log-level must be one of ${LOG_LEVELS.join(', ')}, got "${String(logLevel)}"`,
    );
  const approveVia = values.get('approve-via') ?? 'form';
  if (approveVia !== 'form' && approveVia !== 'url')
    throw new UsageError(`--approve-via must be form or url, got "${String(approveVia)}"`);
  const port = (values.get('port') as number | undefined) ?? 3000;
  if (port > 65535) throw new UsageError(`--port must be between 0 and 65535, got ${port}`);
  const limit = (name: string, min: number): number | undefined => {
    const value = values.get(name) as number | undefined;
    if (value !== undefined && value < min)
      throw new UsageError(
        `--${aliasedFrom.get(name) ?? name} must be at least ${min} bytes, got ${value}`,
      );
    return value;
  };
  return {
    transport,
    port,
    host: (values.get('host') as string | undefined) ?? '127.0.0.1',
    authToken: values.get('auth-token') as string | undefined,
    readOnly: values.get('read-only') === true,
    tools: values.get('tools') as string[] | undefined,
    excludeTools: (values.get('exclude-tools') as string[] | undefined) ?? [],
    approve: (values.get('approve') as string[] | undefined) ?? [],
    approveVia,
    logLevel: logLevel as LogLevel,
    // Servers check their own budget's range; the protocol only needs a positive one.
    outputBudget: limit('output-budget', 1),
    maxLineBytes: limit('max-line-bytes', 1024),
    http: {
      maxBodyBytes: limit('max-body-bytes', 1024),
      allowedHosts: (values.get('allowed-hosts') as string[] | undefined) ?? [],
      allowedOrigins: (values.get('allowed-origins') as string[] | undefined) ?? [],
      allowUnauthenticated: values.get('allow-unauthenticated') === true,
      authorizationServers: (values.get('authorization-server') as string[] | undefined) ?? [],
      publicUrl: values.get('public-url') as string | undefined,
      signIn: signInSettings(values, env),
      store: parseStoreUrl(values.get('store') as string | undefined),
    },
    audit: auditOptions(values),
  };
}

/** The audit flags; those that only qualify a sink need one. */
function auditOptions(values: ReadonlyMap<string, FlagValue>): AuditOptions {
  const log = values.get('audit-log') as string | undefined;
  const logMaxBytes = values.get('audit-log-max-bytes') as number | undefined;
  const otel = values.get('audit-otel') === true;
  const reads = values.get('audit-reads') === true;
  if (log?.trim() === '') throw new UsageError('--audit-log needs a file path');
  if (logMaxBytes !== undefined && log === undefined)
    throw new UsageError('--audit-log-max-bytes needs --audit-log (PLUGBOARD_AUDIT_LOG)');
  if (logMaxBytes !== undefined && logMaxBytes < 4096)
    throw new UsageError(`--audit-log-max-bytes must be at least 4096 bytes, got ${logMaxBytes}`);
  if (reads && log === undefined && !otel)
    throw new UsageError(
      '--audit-reads needs a sink: --audit-log PATH (PLUGBOARD_AUDIT_LOG) or --audit-otel',
    );
  return { log, logMaxBytes, otel, reads };
}
