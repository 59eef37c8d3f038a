/**
 * @module
 * The Docs v1 endpoints of the local Google fake, in their published shapes, for the real
 * `@googleapis/docs`: `documents.get` (a body of paragraphs with UTF-16 indexes, `fields`
 * applied) and `documents.batchUpdate` with `insertText` and `writeControl.requiredRevisionId`,
 * refused when the document moved past that revision.
 */
import type { FakeHandler, FakeResponse, RecordedRequest } from '@plugboard/testing';
import {
  apiError,
  bound,
  changed,
  DRIVE_SCOPE,
  needsScope,
  notFound,
  type WorkspaceFile,
  type WorkspaceState,
} from './fake-workspace.js';

const DOC = 'application/vnd.google-apps.document';

/** A document body as Docs returns it: a section break, then one paragraph per line. */
function bodyOf(text: string): unknown[] {
  const content: unknown[] = [
    { endIndex: 1, sectionBreak: { sectionStyle: { columnSeparatorStyle: 'NONE' } } },
  ];
  let index = 1;
  for (const line of text.match(/[^\n]*\n/g) ?? ['\n']) {
    const end = index + line.length;
    content.push({
      startIndex: index,
      endIndex: end,
      paragraph: {
        elements: [{ startIndex: index, endIndex: end, textRun: { content: line, textStyle: {} } }],
        paragraphStyle: { namedStyleType: 'NORMAL_TEXT', direction: 'LEFT_TO_RIGHT' },
      },
    });
    index = end;
  }
  return content;
}

export const revisionOf = (file: WorkspaceFile): string => `ALBJ4Lt_rev${file.version}`;

const DOCS_SERVICE = 'docs.googleapis.com';

function documentFile(
  state: WorkspaceState,
  id: string,
): (WorkspaceFile & { docText: string }) | undefined {
  const file = state.files.get(id);
  return file?.mimeType === DOC && file.docText !== undefined
    ? (file as WorkspaceFile & { docText: string })
    : undefined;
}

function getDocument(fake: WorkspaceState, request: RecordedRequest): FakeResponse {
  const refused = needsScope(
    fake,
    request,
    [
      DRIVE_SCOPE,
      `${DRIVE_SCOPE}.readonly`,
      `${DRIVE_SCOPE}.file`,
      'https://www.googleapis.com/auth/documents',
      'https://www.googleapis.com/auth/documents.readonly',
    ],
    DOCS_SERVICE,
  );
  if (refused !== undefined) return refused;
  const file = documentFile(fake, request.params.id ?? '');
  if (file === undefined) return notFound;
  const document = {
    documentId: file.id,
    title: file.name,
    body: { content: bodyOf(file.docText) },
    revisionId: revisionOf(file),
    suggestionsViewMode: 'SUGGESTIONS_INLINE',
  };
  const answer = fake.mask(
    document,
    typeof request.query.fields === 'string' ? request.query.fields : undefined,
  );
  fake.afterDocumentRead(file);
  return { body: answer };
}

interface InsertText {
  readonly text?: unknown;
  readonly location?: { readonly index?: unknown };
  readonly endOfSegmentLocation?: unknown;
}

function batchUpdate(fake: WorkspaceState, request: RecordedRequest): FakeResponse {
  const refused = needsScope(
    fake,
    request,
    [DRIVE_SCOPE, `${DRIVE_SCOPE}.file`, 'https://www.googleapis.com/auth/documents'],
    DOCS_SERVICE,
  );
  if (refused !== undefined) return refused;
  const id = /^(.+):batchUpdate$/.exec(request.params.rest ?? '')?.[1];
  const file = id === undefined ? undefined : documentFile(fake, decodeURIComponent(id));
  if (file === undefined) return notFound;
  const body = (request.body ?? {}) as {
    requests?: { insertText?: InsertText }[];
    writeControl?: { requiredRevisionId?: string };
  };
  const required = body.writeControl?.requiredRevisionId;
  if (required !== undefined && required !== revisionOf(file))
    return apiError(
      400,
      'FAILED_PRECONDITION',
      `The required revision ID ${required} does not match the latest revision ${revisionOf(file)}.`,
    );
  let text = file.docText;
  for (const [n, each] of (body.requests ?? []).entries()) {
    const insert = each.insertText;
    if (insert === undefined || typeof insert.text !== 'string')
      return apiError(
        400,
        'INVALID_ARGUMENT',
        `Invalid requests[${n}]: this fake knows insertText only.`,
      );
    const end = text.length + 1;
    const index = insert.endOfSegmentLocation === undefined ? insert.location?.index : end - 1;
    if (typeof index !== 'number' || index < 1 || index >= end)
      return apiError(
        400,
        'INVALID_ARGUMENT',
        `Invalid requests[${n}].insertText: Index ${String(index)} must be less than the end index of the referenced segment, ${end}.`,
      );
    text = text.slice(0, index - 1) + insert.text + text.slice(index - 1);
  }
  file.docText = text;
  changed(file);
  return {
    body: {
      documentId: file.id,
      replies: (body.requests ?? []).map(() => ({})),
      writeControl: { requiredRevisionId: revisionOf(file) },
    },
  };
}

export function docsRoutes(workspace: WorkspaceState): Record<string, FakeHandler> {
  return {
    'GET /v1/documents/:id': bound(workspace, getDocument),
    'POST /v1/documents/:rest': bound(workspace, batchUpdate),
  };
}
