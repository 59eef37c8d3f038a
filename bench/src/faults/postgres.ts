/**
 * @module
 * The database restarts in the middle of a session: one query before, `pg_ctl restart`, then
 * queries after. A server that survives answers the next query (after at most one error for the
 * connection that was cut); one that does not has exited.
 */
import { stop, type ChildRegistry } from '../launch.js';
import type { Outcome } from './outcome.js';
import { replyText, startSession } from './session.js';
import { replyFailure } from '../rpc-client.js';

export interface PostgresSubject {
  readonly server: string;
  readonly argv: readonly string[];
}

export async function restartMidSession(
  subject: PostgresSubject,
  url: string,
  restart: () => boolean,
  registry: ChildRegistry,
): Promise<Outcome> {
  const fault = 'the database restarts mid-session';
  const session = await startSession({ argv: [...subject.argv, url] }, registry);
  try {
    const before = await session.call('query', { sql: 'SELECT 1 AS one' });
    if (replyFailure(before) !== undefined)
      return { fault, server: subject.server, ok: undefined, result: replyText(before) };
    if (!restart())
      return { fault, server: subject.server, ok: undefined, result: 'pg_ctl restart failed' };
    const answers: string[] = [];
    for (let attempt = 0; attempt < 3 && !session.exited(); attempt++) {
      try {
        const reply = await session.call('query', { sql: 'SELECT 1 AS one' }, 30_000);
        const failure = replyFailure(reply);
        answers.push(failure === undefined ? 'ok' : 'error');
        if (failure === undefined) break;
      } catch {
        break;
      }
    }
    if (session.exited()) {
      const { code, signal } = await session.launched.exited;
      return {
        fault,
        server: subject.server,
        ok: false,
        result: `the server exited (${signal ?? `code ${String(code)}`}) after the restart`,
      };
    }
    const recovered = answers.at(-1) === 'ok';
    return {
      fault,
      server: subject.server,
      ok: recovered,
      result: recovered
        ? `stayed up; queries after the restart: ${answers.join(', ')}`
        : `stayed up but never answered a query again (${answers.join(', ') || 'no answer'})`,
    };
  } finally {
    await stop(session.launched, 3000);
  }
}
