/**
 * @module
 * What the Sheets v4 and Docs v1 endpoints of the local Google fake (`fake-sheets.ts`,
 * `fake-docs.ts`) share with the Drive fake: the files they write (a spreadsheet's cells, a
 * document's text, the Drive version every write moves on), the token check, and Google's newer
 * error shape (`{error:{code,message,status,details:[ErrorInfo]}}`), in which a token without a
 * scope that allows the call is refused as Google refuses it.
 */
import type { FakeHandler, FakeResponse, RecordedRequest } from '@plugboard/testing';

export type CellValue = string | number | boolean;

export interface FakeSheet {
  readonly title: string;
  /** Rows of cells; a missing or undefined cell is empty. */
  readonly rows: (CellValue | undefined)[][];
}

/** What the Workspace endpoints need of the Drive fake. */
export interface WorkspaceFile {
  readonly id: string;
  readonly name: string;
  readonly mimeType: string;
  version: number;
  modifiedTime: string;
  /** A spreadsheet's sheets, in order. */
  sheets?: FakeSheet[];
  /** A document's body text; it always ends with a paragraph's newline. */
  docText?: string;
}

export interface WorkspaceState {
  readonly files: ReadonlyMap<string, WorkspaceFile>;
  /** The access token's scopes, or Drive's 401 answer. */
  authorize(request: RecordedRequest): { readonly scope: string } | FakeResponse;
  /** Runs after each documents.get: a collaborator's edit landing between read and write. */
  afterDocumentRead(file: WorkspaceFile): void;
  mask(value: unknown, fields: string | undefined): unknown;
}

export const DRIVE_SCOPE = 'https://www.googleapis.com/auth/drive';

/** The Sheets and Docs APIs' error body: status names, and the reason in an ErrorInfo. */
export function apiError(
  code: number,
  status: string,
  message: string,
  info?: { reason: string; service: string },
): FakeResponse {
  return {
    status: code,
    body: {
      error: {
        code,
        message,
        status,
        ...(info === undefined
          ? {}
          : {
              details: [
                {
                  '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
                  reason: info.reason,
                  domain: 'googleapis.com',
                  metadata: { service: info.service },
                },
              ],
            }),
      },
    },
  };
}

/** Google's answer to a token none of whose scopes the method accepts. */
export function needsScope(
  state: WorkspaceState,
  request: RecordedRequest,
  accepted: readonly string[],
  service: string,
): FakeResponse | undefined {
  const grant = state.authorize(request);
  if (!('scope' in grant)) return grant;
  if (grant.scope.split(' ').some((scope) => accepted.includes(scope))) return undefined;
  return {
    ...apiError(403, 'PERMISSION_DENIED', 'Request had insufficient authentication scopes.', {
      reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT',
      service,
    }),
    headers: {
      'www-authenticate': `Bearer realm="https://accounts.google.com/", error="insufficient_scope", scope="${accepted.join(' ')}"`,
    },
  };
}

export function changed(file: WorkspaceFile): void {
  file.version++;
  file.modifiedTime = new Date().toISOString();
}

export const notFound = apiError(404, 'NOT_FOUND', 'Requested entity was not found.');

/** Binds an endpoint to the fake's state, as a route handler. */
export function bound(
  workspace: WorkspaceState,
  handler: (fake: WorkspaceState, request: RecordedRequest) => FakeResponse,
): FakeHandler {
  return (request) => handler(workspace, request);
}
