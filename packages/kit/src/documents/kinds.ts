/**
 * @module
 * The kinds of document this library reads, and how a file name says which one it is.
 */

export type DocumentKind = 'pdf' | 'docx' | 'pptx' | 'xlsx' | 'odt';

const EXTENSIONS: Readonly<Record<string, DocumentKind>> = {
  '.pdf': 'pdf',
  '.docx': 'docx',
  '.docm': 'docx',
  '.pptx': 'pptx',
  '.pptm': 'pptx',
  '.xlsx': 'xlsx',
  '.xlsm': 'xlsx',
  '.odt': 'odt',
};

/** The kind of document `name` is by its extension, or undefined for any other file. */
export function documentKindOf(name: string): DocumentKind | undefined {
  const dot = name.lastIndexOf('.');
  if (dot === -1 || name.includes('/', dot)) return undefined;
  return EXTENSIONS[name.slice(dot).toLowerCase()];
}
