/**
 * @module
 * The one place PostgreSQL and connection errors become messages the model can act on: the
 * SQLSTATE and its name, the position marked in the statement, the server's detail and hint, and
 * what to do next. Secrets (the connection password) never survive into a message.
 */
import { redactText, ToolError } from '@plugboard/protocol';

/** What the message may mention about the call that failed. */
export interface ErrorContext {
  /** The statement as the model wrote it, to mark the error position in. */
  sql?: string;
  /** Characters the server saw before `sql` (an `EXPLAIN (...) ` prefix), to correct positions. */
  positionOffset?: number;
  statementTimeoutMs: number;
  allowWrite: boolean;
  secrets: readonly string[];
}

/** The fields of a PostgreSQL error response that `pg` copies onto its DatabaseError. */
interface PostgresErrorFields {
  message: string;
  code: string;
  severity?: string;
  detail?: string;
  hint?: string;
  position?: string;
  where?: string;
}

const CONDITION_NAMES: Readonly<Record<string, string>> = {
  '08000': 'connection_exception',
  '08006': 'connection_failure',
  '08P01': 'protocol_violation',
  '0A000': 'feature_not_supported',
  '21000': 'cardinality_violation',
  '22001': 'string_data_right_truncation',
  '22003': 'numeric_value_out_of_range',
  '22007': 'invalid_datetime_format',
  '22008': 'datetime_field_overflow',
  '22012': 'division_by_zero',
  '22023': 'invalid_parameter_value',
  '22P02': 'invalid_text_representation',
  '23502': 'not_null_violation',
  '23503': 'foreign_key_violation',
  '23505': 'unique_violation',
  '23514': 'check_violation',
  '25001': 'active_sql_transaction',
  '25006': 'read_only_sql_transaction',
  '25P02': 'in_failed_sql_transaction',
  '26000': 'invalid_sql_statement_name',
  '28000': 'invalid_authorization_specification',
  '2D000': 'invalid_transaction_termination',
  '2F003': 'prohibited_sql_statement_attempted',
  '28P01': 'invalid_password',
  '2BP01': 'dependent_objects_still_exist',
  '3D000': 'invalid_catalog_name',
  '3F000': 'invalid_schema_name',
  '40001': 'serialization_failure',
  '40P01': 'deadlock_detected',
  '42501': 'insufficient_privilege',
  '42601': 'syntax_error',
  '42602': 'invalid_name',
  '42702': 'ambiguous_column',
  '42703': 'undefined_column',
  '42704': 'undefined_object',
  '42710': 'duplicate_object',
  '42723': 'duplicate_function',
  '42725': 'ambiguous_function',
  '42803': 'grouping_error',
  '42804': 'datatype_mismatch',
  '42809': 'wrong_object_type',
  '42830': 'invalid_foreign_key',
  '42846': 'cannot_coerce',
  '42883': 'undefined_function',
  '42P01': 'undefined_table',
  '42P02': 'undefined_parameter',
  '42P07': 'duplicate_table',
  '42P10': 'invalid_column_reference',
  '42P18': 'indeterminate_datatype',
  '53100': 'disk_full',
  '53200': 'out_of_memory',
  '53300': 'too_many_connections',
  '54000': 'program_limit_exceeded',
  '54001': 'statement_too_complex',
  '55000': 'object_not_in_prerequisite_state',
  '55P03': 'lock_not_available',
  '57014': 'query_canceled',
  '57P01': 'admin_shutdown',
  '57P02': 'crash_shutdown',
  '57P03': 'cannot_connect_now',
  '58P01': 'undefined_file',
  XX000: 'internal_error',
};

const CLASS_NAMES: Readonly<Record<string, string>> = {
  '08': 'connection_exception',
  '0A': 'feature_not_supported',
  '22': 'data_exception',
  '23': 'integrity_constraint_violation',
  '25': 'invalid_transaction_state',
  '28': 'invalid_authorization_specification',
  '2D': 'invalid_transaction_termination',
  '2F': 'sql_routine_exception',
  '39': 'external_routine_invocation_exception',
  '40': 'transaction_rollback',
  '42': 'syntax_error_or_access_rule_violation',
  '53': 'insufficient_resources',
  '54': 'program_limit_exceeded',
  '55': 'object_not_in_prerequisite_state',
  '57': 'operator_intervention',
  '58': 'system_error',
  XX: 'internal_error',
};

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'EPIPE',
  'ENOENT',
  'EACCES',
]);

/** The condition name of a SQLSTATE, falling back to its class. */
export function conditionName(code: string): string {
  return CONDITION_NAMES[code] ?? CLASS_NAMES[code.slice(0, 2)] ?? 'error';
}

function isPostgresError(error: unknown): error is Error & PostgresErrorFields {
  return (
    error instanceof Error &&
    'severity' in error &&
    'code' in error &&
    typeof error.code === 'string' &&
    /^[0-9A-Z]{5}$/.test(error.code)
  );
}

/** Line, column and the line itself with a caret under the character at `position` (1-based). */
export function markPosition(sql: string, position: number): string | undefined {
  const characters = Array.from(sql);
  if (!Number.isInteger(position) || position < 1 || position > characters.length + 1)
    return undefined;
  const before = characters.slice(0, position - 1).join('');
  const line = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const column = Array.from(before.slice(lineStart)).length + 1;
  const fullLine = sql.slice(lineStart).split('\n')[0] ?? '';
  const lineCharacters = Array.from(fullLine);
  // A long line is shown as a window around the position.
  const from = Math.max(0, column - 60);
  const shown = lineCharacters
    .slice(from, from + 120)
    .join('')
    .replace(/\t/g, ' ');
  return `at line ${line}, column ${column}:\n  ${shown}\n  ${' '.repeat(column - 1 - from)}^`;
}

function advice(error: PostgresErrorFields, context: ErrorContext): string | undefined {
  const seconds = context.statementTimeoutMs / 1000;
  switch (error.code) {
    case '25006':
      return context.allowWrite
        ? 'The query tool only reads. Make changes with execute_sql.'
        : 'This server is read-only: every statement runs in a read-only transaction the database enforces. Changing data needs the operator to restart the server with --allow-write.';
    case '25001':
      return 'Every call runs inside a transaction, and this statement cannot (VACUUM, CREATE INDEX CONCURRENTLY, CREATE DATABASE...). Run it outside this server.';
    case '42601':
      return /multiple commands/.test(error.message)
        ? 'Send one statement per call: split the SQL at its semicolons and call the tool once for each statement.'
        : 'Fix the SQL at the marked position.';
    case '57014':
      return /statement timeout/.test(error.message)
        ? `The statement ran longer than the ${seconds} s limit and was stopped. Make it cheaper: filter with WHERE, add LIMIT, aggregate in SQL, or check its plan with explain_query.`
        : 'The statement was cancelled and stopped on the database.';
    case '55P03':
      return 'Another session holds a lock this statement needs, and waiting for it timed out. Try again later.';
    case '42501':
      return 'The database role this server uses lacks that privilege (the database enforces it). Use objects the role can read (see list_objects), or ask the operator to GRANT access.';
    case '42P01':
      return 'Check the name with list_objects or list_schemas. Qualify it with its schema (schema.table); quoted names are case-sensitive.';
    case '42703':
      return 'Check the column names with describe_object; quoted names are case-sensitive.';
    case '3F000':
      return 'Check the schema name with list_schemas.';
    case '42883':
      return 'No function matches that name and these argument types: check the name, or add explicit casts (value::type).';
    case '40001':
    case '40P01':
      return 'The statement conflicted with another transaction. Try it again.';
    case '53300':
      return 'The database has no free connection slots. Try again shortly.';
    case '28P01':
    case '28000':
      return 'The database refused the credentials. Check the role and password in DATABASE_URL (the operator must fix this).';
    case '3D000':
      return 'The database named in the connection URL does not exist (the operator must fix this).';
    case '57P01':
    case '57P02':
    case '57P03':
      return 'The database is restarting or shutting down. Try again shortly.';
    default:
      return undefined;
  }
}

function scrub(text: string, secrets: readonly string[]): string {
  let clean = text;
  for (const secret of secrets) {
    if (secret.length > 0) clean = clean.split(secret).join('[redacted]');
  }
  return redactText(clean);
}

/** A statement of a multi-statement transaction failed; the transaction is rolled back. */
export class StatementFailure extends Error {
  override readonly name = 'StatementFailure';

  /** 0-based position in the list. */
  readonly index: number;
  readonly count: number;
  readonly sql: string;

  constructor(index: number, count: number, sql: string, cause: unknown) {
    super(`statement ${index + 1} of ${count} failed`, { cause });
    this.index = index;
    this.count = count;
    this.sql = sql;
  }
}

/** The first line of a statement, shortened, to name it in a message. */
function excerpt(sql: string): string {
  const line = sql.trim().split('\n')[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}

/**
 * Converts a PostgreSQL, connection or embedded-engine error into a ToolError with an actionable
 * message. Returns undefined for anything else, which then surfaces as a bug.
 */
export function toToolError(error: unknown, context: ErrorContext): ToolError | undefined {
  if (error instanceof StatementFailure) {
    const inner =
      error.cause instanceof ToolError
        ? error.cause
        : toToolError(error.cause, { ...context, sql: error.sql, positionOffset: 0 });
    if (inner === undefined) return undefined;
    return new ToolError(
      scrub(
        `Statement ${error.index + 1} of ${error.count} failed, so the transaction was rolled back and nothing was committed. Statement ${error.index + 1}: ${excerpt(error.sql)}\n${inner.message}`,
        context.secrets,
      ),
    );
  }
  if (isPostgresError(error)) {
    const lines = [
      `PostgreSQL error ${error.code} (${conditionName(error.code)}): ${error.message}`,
    ];
    const position = Number(error.position);
    if (context.sql !== undefined && error.position !== undefined) {
      const marked = markPosition(context.sql, position - (context.positionOffset ?? 0));
      if (marked !== undefined) lines.push(marked);
    }
    if (error.detail !== undefined && error.detail !== '') lines.push(`Detail: ${error.detail}`);
    if (error.hint !== undefined && error.hint !== '') lines.push(`Hint: ${error.hint}`);
    if (error.where !== undefined && error.where !== '') lines.push(`Where: ${error.where}`);
    const next = advice(error, context);
    if (next !== undefined) lines.push(next);
    return new ToolError(scrub(lines.join('\n'), context.secrets));
  }
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) {
    return new ToolError(
      scrub(
        `Cannot reach the database (${code}): ${error.message}. Check that it is running and that the host and port in DATABASE_URL are right.`,
        context.secrets,
      ),
    );
  }
  if (
    /Connection terminated|connection timeout|timeout expired|does not support SSL|self[- ]signed certificate|certificate/i.test(
      error.message,
    )
  ) {
    return new ToolError(
      scrub(
        `The database connection failed: ${error.message}. Try again; if it persists, the operator should check DATABASE_URL and the database server.`,
        context.secrets,
      ),
    );
  }
  if (/embedded database/.test(error.message)) {
    return new ToolError(scrub(`${error.message}.`, context.secrets));
  }
  return undefined;
}
