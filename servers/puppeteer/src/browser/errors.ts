/**
 * @module
 * The one place browser and puppeteer errors become messages the model can act on. Unknown
 * errors return undefined and fall through as bugs (logged with their stack, never sent).
 */
import { ToolError } from '@plugboard/protocol';
import type { Tab } from './tab.js';
import { cleanLine } from './untrusted.js';

/** Network error codes Chromium reports for failed navigations, and what they mean here. */
const NET_ERRORS: Readonly<Record<string, string>> = {
  ERR_NAME_NOT_RESOLVED: 'the host name does not resolve',
  ERR_CONNECTION_REFUSED: 'nothing is listening there (connection refused)',
  ERR_CONNECTION_RESET: 'the connection was reset',
  ERR_CONNECTION_CLOSED: 'the server closed the connection',
  ERR_CONNECTION_TIMED_OUT: 'the connection timed out',
  ERR_TIMED_OUT: 'the request timed out',
  ERR_ADDRESS_UNREACHABLE: 'the address is unreachable',
  ERR_INTERNET_DISCONNECTED: 'there is no network',
  ERR_CERT_AUTHORITY_INVALID: 'the TLS certificate is not trusted',
  ERR_CERT_COMMON_NAME_INVALID: 'the TLS certificate is for another host',
  ERR_CERT_DATE_INVALID: 'the TLS certificate has expired or is not yet valid',
  ERR_SSL_PROTOCOL_ERROR: 'the TLS handshake failed',
  ERR_TOO_MANY_REDIRECTS: 'the page redirects in a loop',
  ERR_ABORTED:
    'the navigation was aborted (often a download, which this browser refuses, or a newer navigation)',
  ERR_EMPTY_RESPONSE: 'the server sent nothing',
  ERR_INVALID_RESPONSE: 'the server sent an invalid response',
  ERR_UNSAFE_PORT: 'Chromium refuses that port',
};

function seconds(ms: number): string {
  return `${ms < 10_000 ? Math.round(ms / 100) / 10 : Math.round(ms / 1000)} s`;
}

/**
 * A timeout, said once. puppeteer's messages already carry their own prefixes and limits
 * ("Navigation timeout of 3000 ms exceeded", "Waiting for selector `#a` failed: Waiting failed:
 * 1000ms exceeded"): the limit is taken from them (a call's own `timeoutMs` may differ from the
 * server's) and what timed out is said in our words.
 */
function timedOut(message: string, timeoutMs: number | undefined): ToolError {
  const line = message.split('\n')[0]!;
  const stated = /(\d+) ?ms exceeded|timed out after (\d+) ?ms/i.exec(line);
  const limitMs = stated === null ? timeoutMs : Number(stated[1] ?? stated[2]);
  const after = limitMs === undefined ? '' : ` after ${seconds(limitMs)}`;
  const selector = /Waiting for selector `(.+?)` failed/.exec(line)?.[1];
  const what = /^Navigation timeout/i.test(line)
    ? 'the page did not finish loading'
    : selector !== undefined
      ? `nothing matched ${cleanLine(selector, 200)}`
      : /^Waiting failed/i.test(line)
        ? 'the awaited condition did not hold'
        : cleanLine(line, 200);
  return new ToolError(
    `Timed out${after}: ${what}. Check that the page or element exists (puppeteer_snapshot), or wait for it with puppeteer_wait_for.`,
  );
}

function policyRefusal(tab: Tab | undefined, fallback: string): ToolError {
  const blocked = tab?.lastBlocked;
  if (blocked === undefined) return new ToolError(`Blocked by the URL policy: ${fallback}.`);
  const hint = blocked.hint === undefined ? '' : ` (${blocked.hint})`;
  return new ToolError(`Blocked by the URL policy: ${blocked.url}: ${blocked.reason}${hint}.`);
}

/**
 * Maps an error thrown while a tool drove `tab` to a ToolError, or returns undefined when the
 * error is not one this server understands.
 */
export function toToolError(error: unknown, tab?: Tab, timeoutMs?: number): ToolError | undefined {
  if (error instanceof ToolError) return error;
  if (!(error instanceof Error)) return undefined;
  const message = error.message;
  if (error.name === 'TimeoutError' || /Timeout .*exceeded|timed out after/i.test(message))
    return timedOut(message, timeoutMs);
  const net = /net::(ERR_[A-Z_]+)/.exec(message);
  if (net !== null) {
    const code = net[1]!;
    if (code === 'ERR_BLOCKED_BY_CLIENT' || code === 'ERR_TUNNEL_CONNECTION_FAILED')
      return policyRefusal(tab, 'the page or one of its redirects is not allowed');
    if (code === 'ERR_NAME_NOT_RESOLVED' && tab?.lastBlocked !== undefined)
      return new ToolError(`Navigation failed: ${tab.lastBlocked.reason}.`);
    const meaning = NET_ERRORS[code] ?? 'the browser could not load it';
    return new ToolError(`Navigation failed (net::${code}): ${meaning}.`);
  }
  if (
    /is not a valid selector|Invalid selector|SyntaxError: Failed to execute 'querySelector/i.test(
      message,
    )
  )
    return new ToolError(`Invalid selector: ${message.split('\n')[0]!.slice(0, 200)}`);
  if (
    /Execution context was destroyed|Target closed|Session closed|detached Frame|frame was detached|Navigating frame was detached/i.test(
      message,
    )
  )
    return new ToolError(
      'The page navigated or closed while the action ran. Take a new puppeteer_snapshot and try again.',
    );
  if (
    /Node is detached|not attached to the DOM|Node is either not clickable|not an Element|Node is either not visible|has no size/i.test(
      message,
    )
  )
    return new ToolError(
      'The element is not on the page any more or cannot be interacted with (hidden, zero-sized or detached). Take a new puppeteer_snapshot.',
    );
  if (/Unknown key: /.test(message))
    return new ToolError(
      `${message.split('\n')[0]!.slice(0, 120)}. Use key names such as Enter, Tab, Escape, ArrowDown, Backspace, a, or combinations such as Control+A.`,
    );
  if (/Protocol error .*Cannot navigate to invalid URL/i.test(message))
    return new ToolError('That is not a URL the browser can open.');
  if (/Page crashed/i.test(message))
    return new ToolError('The page crashed; the tab will show a blank page on the next call.');
  return undefined;
}
