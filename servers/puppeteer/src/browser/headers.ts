/**
 * @module
 * HTTP headers as the model sees them: cleaned (values come from pages and servers, so they are
 * untrusted), bounded in number and length, and with credentials masked unless the operator
 * passed --show-secret-headers. Masking keeps what helps debugging and drops only the secret: the
 * scheme of an `Authorization` value, the cookie names of `Cookie`, the name and attributes of
 * each `Set-Cookie`.
 */
import { cleanLine } from './untrusted.js';

/** Shown in place of a secret. */
export const MASK = '<masked>';
const MAX_HEADERS = 100;
const VALUE_MAX = 1000;

/** Headers whose whole value is a credential. */
const CREDENTIALS = new Set([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'x-auth-token',
  'x-csrf-token',
  'x-xsrf-token',
]);

function maskCookiePairs(value: string): string {
  return value
    .split(';')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq === -1 ? pair.trim() : `${pair.slice(0, eq).trim()}=${MASK}`;
    })
    .join('; ');
}

/** Each Set-Cookie line keeps its name and attributes; only the value goes. */
function maskSetCookie(value: string): string {
  return value
    .split('\n')
    .map((line) => {
      const [first = '', ...attributes] = line.split(';');
      const eq = first.indexOf('=');
      const cookie = eq === -1 ? first.trim() : `${first.slice(0, eq).trim()}=${MASK}`;
      return [cookie, ...attributes.map((attribute) => attribute.trim())].join('; ');
    })
    .join('\n');
}

/** `value` with its secret part masked when `name` carries credentials; as is otherwise. */
export function maskHeader(name: string, value: string): string {
  const lower = name.toLowerCase();
  if (lower === 'cookie') return maskCookiePairs(value);
  if (lower === 'set-cookie') return maskSetCookie(value);
  if (!CREDENTIALS.has(lower)) return value;
  const scheme = /^([A-Za-z][\w-]*)\s+\S/.exec(value);
  return scheme === null ? MASK : `${scheme[1]} ${MASK}`;
}

export interface RenderedHeaders {
  /** Lower-case name to value. */
  readonly headers: Record<string, string>;
  /** Headers left out past the count limit. */
  readonly omitted: number;
}

/** Headers in the form tools return: cleaned, bounded, masked unless `showSecrets`. */
export function renderHeaders(
  raw: Readonly<Record<string, string>>,
  showSecrets: boolean,
): RenderedHeaders {
  const entries = Object.entries(raw);
  const headers: Record<string, string> = {};
  for (const [name, value] of entries.slice(0, MAX_HEADERS)) {
    // Set-Cookie lines are joined by newlines; each is shown on its own, separated by ' | '.
    headers[cleanLine(name, 200).toLowerCase()] = cleanLine(
      (showSecrets ? value : maskHeader(name, value)).split('\n').join(' | '),
      VALUE_MAX,
    );
  }
  return { headers, omitted: Math.max(0, entries.length - MAX_HEADERS) };
}
