/**
 * @module
 * Checks on every value that ends up in a request path. Octokit percent-encodes URL template
 * variables, but a bare `.` or `..` survives encoding and the URL parser then resolves it, so
 * `owner: ".."` or `path: "../collaborators/x"` would change the route. These checks reject such
 * values before any request is built; each failure names the field and what is allowed.
 */
import { ToolError } from '@plugboard/protocol';

const OWNER = /^[A-Za-z0-9-]{1,39}$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;
const MAX_PATH = 4096;
const MAX_REF = 255;

// eslint-disable-next-line no-control-regex -- control characters are exactly what these find
const PATH_FORBIDDEN = /[\u0000-\u001f\u007f?#\\]/;
// eslint-disable-next-line no-control-regex
const REF_FORBIDDEN = /[\u0000-\u0020\u007f~^:?*[\\%]/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g;

function fail(field: string, message: string): never {
  throw new ToolError(`${field}: ${message}`);
}

/** A user or organisation login. */
export function checkOwner(value: string, field = 'owner'): string {
  if (!OWNER.test(value))
    fail(
      field,
      `"${printable(value)}" is not a GitHub account name (letters, digits and hyphens, at most 39)`,
    );
  return value;
}

/** A repository name (without the owner). */
export function checkRepo(value: string, field = 'repo'): string {
  if (!REPO.test(value) || value === '.' || value === '..')
    fail(
      field,
      `"${printable(value)}" is not a repository name (letters, digits, ".", "_" and "-", at most 100)`,
    );
  return value;
}

/**
 * A path inside a repository, relative to its root. A leading or trailing slash is dropped (models
 * often write "/README.md"); empty, `.` and `..` segments, percent-encoded dots, `?`, `#`,
 * backslashes and control characters are refused. `allowRoot` lets `""` mean the root directory.
 */
export function checkRepoPath(value: string, field = 'path', allowRoot = false): string {
  const trimmed = value.replace(/^\/+/, '').replace(/\/+$/, '');
  if (trimmed === '') {
    if (allowRoot) return '';
    fail(field, 'a path inside the repository is required');
  }
  if (trimmed.length > MAX_PATH) fail(field, `longer than ${MAX_PATH} characters`);
  if (PATH_FORBIDDEN.test(trimmed))
    fail(field, 'must not contain control characters, "?", "#" or "\\"');
  for (const segment of trimmed.split('/')) {
    if (segment === '') fail(field, 'must not contain empty segments ("//")');
    if (DOT_SEGMENT.test(segment))
      fail(field, `"." and ".." segments are not allowed ("${printable(value)}")`);
  }
  return trimmed;
}

/**
 * A branch, tag or commit name, checked like `git check-ref-format` (which also rules out the
 * characters that could change a URL: `?`, `#`, spaces, `..`).
 */
export function checkRef(value: string, field = 'ref'): string {
  const problem = refProblem(value);
  if (problem !== undefined)
    fail(field, `"${printable(value)}" is not a valid branch, tag or commit name: ${problem}`);
  return value;
}

function refProblem(value: string): string | undefined {
  if (value === '' || value.length > MAX_REF) return `1 to ${MAX_REF} characters`;
  if (REF_FORBIDDEN.test(value)) return 'no spaces, control characters or ~ ^ : ? * [ \\ %';
  if (value.includes('..')) return 'no ".."';
  if (value.includes('@{') || value === '@') return 'no "@{"';
  if (value.startsWith('-')) return 'must not start with "-"';
  if (value.startsWith('/') || value.endsWith('/') || value.includes('//'))
    return 'no empty path components';
  if (value.endsWith('.') || value.endsWith('.lock')) return 'must not end with "." or ".lock"';
  if (value.split('/').some((part) => part.startsWith('.')))
    return 'no component may start with "."';
  return undefined;
}

/** A value safe to quote back in an error message: short, one line, nothing invisible. */
export function printable(value: string): string {
  const cleaned = value.replace(HIDDEN, '?');
  return cleaned.length > 80 ? `${cleaned.slice(0, 80)}…` : cleaned;
}

/**
 * A free-form name that becomes one path segment (a label name, a tag): Octokit encodes "/" and
 * "%", so only dot segments and control characters could still change the route.
 */
export function checkSegment(value: string, field: string): string {
  if (value === '' || value.length > 255 || DOT_SEGMENT.test(value) || CONTROL.test(value))
    fail(
      field,
      `"${printable(value)}" is not a usable name (1 to 255 visible characters, not "." or "..")`,
    );
  return value;
}
