/**
 * @module
 * Drive query strings (`q`), built so that text from the model can never become query syntax.
 * User text appears only inside a single-quoted literal in which `\` and `'` are escaped, as
 * Drive's grammar defines them; ids are validated before they are quoted; everything else is
 * fixed text chosen here. See https://developers.google.com/drive/api/guides/ref-search-terms.
 */
import { isDriveId } from './ids.js';

/** A Drive string literal holding exactly `value`. Control characters become spaces. */
export function literal(value: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is being removed
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return `'${clean.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function idLiteral(id: string): string {
  if (!isDriveId(id) && id !== 'root') throw new TypeError(`not a Drive id: ${id.slice(0, 40)}`);
  return `'${id}'`;
}

export interface MimeFilter {
  readonly mimeType: string;
  readonly prefix?: boolean;
}

function mimeClause(filter: MimeFilter): string {
  return `mimeType ${filter.prefix === true ? 'contains' : '='} ${literal(filter.mimeType)}`;
}

export interface SearchTerms {
  /** Words to look for; empty means no text condition. */
  readonly text?: string | undefined;
  /** Match names only instead of names, descriptions and content. */
  readonly nameOnly?: boolean | undefined;
  /** Direct children of this folder only. */
  readonly folderId?: string | undefined;
  /** MIME types (exact, or a prefix such as `image/`), any of which matches. */
  readonly mimeTypes?: readonly MimeFilter[] | undefined;
  readonly includeTrashed?: boolean | undefined;
}

/** The `q` for a search. Every clause is fixed syntax around a literal or a validated id. */
export function searchQuery(terms: SearchTerms): string {
  const clauses: string[] = [];
  const text = terms.text?.trim() ?? '';
  if (text !== '')
    clauses.push(`${terms.nameOnly === true ? 'name' : 'fullText'} contains ${literal(text)}`);
  if (terms.folderId !== undefined) clauses.push(`${idLiteral(terms.folderId)} in parents`);
  const types = terms.mimeTypes ?? [];
  if (types.length === 1) clauses.push(mimeClause(types[0]!));
  else if (types.length > 1) clauses.push(`(${types.map(mimeClause).join(' or ')})`);
  if (terms.includeTrashed !== true) clauses.push('trashed = false');
  return clauses.join(' and ');
}

/** The `q` for Shared Drives whose name contains `text`. */
export function drivesQuery(text: string): string {
  return `name contains ${literal(text)}`;
}
