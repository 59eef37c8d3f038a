/**
 * @module
 * Statements and functions whose effects outlive the read-only transaction they run in. A
 * read-only transaction stops writes to tables, and the rollback that ends every read-only call
 * undoes settings and notifications, but some effects are not transactional: a prepared
 * transaction stays after the connection ends and holds a slot the application needs; a signal
 * ends or interrupts another session; a session-level advisory lock stays with the server session
 * (for ever, behind a pooler that keeps it open); a named prepared statement stays in a pooled
 * session; a replication slot keeps WAL on disk. The database refuses some of these itself
 * (sequence advances and large-object writes fail with 25006, `PREPARE TRANSACTION` fails while
 * `max_prepared_transactions` is 0, revoked EXECUTE privileges hold inside any function), and the
 * README tells the operator how to make it refuse more. This classifier refuses the rest by
 * reading the statement: its leading keywords and every function name called in it, also inside
 * dollar-quoted bodies (DO blocks). Dynamic SQL built from pieces is beyond it; that is what the
 * database-side settings are for.
 */

import { tokens } from './sql-lexer.js';

/** One refused effect: what it does and why read-only cannot allow it. */
interface Effect {
  readonly what: string;
  readonly why: string;
}

const TWO_PHASE: Effect = {
  what: 'two-phase commit',
  why: 'a prepared transaction outlives the connection and holds one of the slots (max_prepared_transactions) the applications need',
};
const SIGNAL: Effect = {
  what: 'signalling other sessions',
  why: 'it cancels or ends another session of the database, which no rollback undoes',
};
const ADVISORY: Effect = {
  what: 'a session-level advisory lock',
  why: 'it stays held after the call (for ever behind a pooler); pg_advisory_xact_lock and pg_try_advisory_xact_lock end with the transaction and are allowed',
};
const NOTIFICATIONS: Effect = {
  what: 'LISTEN/NOTIFY',
  why: 'notifications reach other sessions and listening outlives the statement; the read-only tool delivers neither',
};
const PREPARED: Effect = {
  what: 'named prepared statements',
  why: 'they outlive the transaction in the server session, which a pooler hands to other clients',
};
const SERVER_STATE: Effect = {
  what: 'changing the server outside the transaction',
  why: 'configuration reloads, log rotation, checkpoints, statistics resets, WAL and replication-slot changes are not undone by a rollback',
};
const REMOTE: Effect = {
  what: 'connections to other databases',
  why: 'dblink runs statements in a session of its own, outside this read-only transaction',
};

/** Leading keywords of statements with such effects. */
const STATEMENTS: readonly { words: readonly string[]; effect: Effect }[] = [
  { words: ['prepare', 'transaction'], effect: TWO_PHASE },
  { words: ['commit', 'prepared'], effect: TWO_PHASE },
  { words: ['rollback', 'prepared'], effect: TWO_PHASE },
  { words: ['listen'], effect: NOTIFICATIONS },
  { words: ['unlisten'], effect: NOTIFICATIONS },
  { words: ['notify'], effect: NOTIFICATIONS },
  { words: ['prepare'], effect: PREPARED },
  { words: ['deallocate'], effect: PREPARED },
  { words: ['load'], effect: SERVER_STATE },
  { words: ['checkpoint'], effect: SERVER_STATE },
];

const FUNCTIONS: ReadonlyMap<string, Effect> = new Map([
  ['pg_terminate_backend', SIGNAL],
  ['pg_cancel_backend', SIGNAL],
  ['pg_signal_backend', SIGNAL],
  ['pg_advisory_lock', ADVISORY],
  ['pg_advisory_lock_shared', ADVISORY],
  ['pg_try_advisory_lock', ADVISORY],
  ['pg_try_advisory_lock_shared', ADVISORY],
  ['pg_notify', NOTIFICATIONS],
  ['pg_reload_conf', SERVER_STATE],
  ['pg_rotate_logfile', SERVER_STATE],
  ['pg_switch_wal', SERVER_STATE],
  ['pg_create_restore_point', SERVER_STATE],
  ['pg_logical_emit_message', SERVER_STATE],
  ['pg_create_physical_replication_slot', SERVER_STATE],
  ['pg_create_logical_replication_slot', SERVER_STATE],
  ['pg_copy_physical_replication_slot', SERVER_STATE],
  ['pg_copy_logical_replication_slot', SERVER_STATE],
  ['pg_drop_replication_slot', SERVER_STATE],
  ['pg_replication_slot_advance', SERVER_STATE],
  ['pg_stat_statements_reset', SERVER_STATE],
]);

/** Function-name prefixes with such effects (families with many members). */
const FUNCTION_PREFIXES: readonly { prefix: string; effect: Effect }[] = [
  { prefix: 'pg_stat_reset', effect: SERVER_STATE },
  { prefix: 'pg_replication_origin_', effect: SERVER_STATE },
  { prefix: 'dblink', effect: REMOTE },
];

function functionEffect(name: string): Effect | undefined {
  return (
    FUNCTIONS.get(name) ??
    FUNCTION_PREFIXES.find((family) => name.startsWith(family.prefix))?.effect
  );
}

/** Why the read-only tool refuses `sql`, or undefined when nothing in it reaches outside. */
export function outsideEffect(sql: string): string | undefined {
  const list = tokens(sql);
  let statementStart = true;
  for (let index = 0; index < list.length; index++) {
    const token = list[index]!;
    if (token.kind === 'mark') {
      statementStart = token.text === ';';
      continue;
    }
    if (statementStart) {
      statementStart = false;
      const statement = STATEMENTS.find(({ words }) =>
        words.every((word, offset) => list[index + offset]?.text === word),
      );
      if (statement !== undefined)
        return refusal(statement.words.join(' ').toUpperCase(), statement.effect);
    }
    const following = list[index + 1];
    if (following?.kind === 'mark' && following.text === '(') {
      const effect = functionEffect(token.text);
      if (effect !== undefined) return refusal(`${token.text}()`, effect);
    }
  }
  return undefined;
}

function refusal(name: string, effect: Effect): string {
  return `Refused ${name} (${effect.what}): ${effect.why}. Calls that end in a rollback (read-only queries, plans, dry runs) may have no effect outside their own transaction.`;
}
