/**
 * @module
 * Appending text to a Google Doc through the Docs API (v1), only with --allow-write: the
 * document's end comes from `documents.get`, and the `insertText` of `documents.batchUpdate`
 * carries the revision read there as `writeControl.requiredRevisionId`, so an edit made in
 * between makes Docs refuse the write rather than insert at a stale index.
 */
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { callApi, defineTool, DOCS } from '../context.js';
import { SCOPES } from '../scopes.js';
import { CREATE, expectedVersionField, fileIdField } from './common.js';
import { fileToWrite, GOOGLE_DOC, requireWrite } from './write.js';

/** Docs holds about 1.02 million characters in one document. */
export const MAX_APPEND_CHARS = 1_000_000;

const appendOutput = z.object({
  documentId: z.string(),
  revisionId: z.string().optional().describe("The document's revision after the write"),
  index: z.number().describe('Where the text went (a Docs index, in UTF-16 code units)'),
  characters: z.number().describe('Characters inserted, a paragraph break included'),
});

export const appendToDocument = defineTool({
  name: 'append_to_document',
  title: 'Append text to a Google Doc',
  description:
    'Append plain text at the end of a Google Doc, as a new paragraph (newlines in the text start more). Pass expectedVersion from get_file_metadata to refuse, with the current version, if the document changed since you read it.',
  input: z.object({
    documentId: fileIdField.describe('Google Doc id, as returned by search'),
    text: z.string().min(1).max(MAX_APPEND_CHARS).describe('The text to append (plain text)'),
    expectedVersion: expectedVersionField,
  }),
  output: appendOutput,
  requires: ['allowWrite'],
  annotations: CREATE,
  auditTarget: ['documentId'],
  async run(args, ctx) {
    requireWrite(ctx);
    const { file, label } = await fileToWrite(ctx, args.documentId, args.expectedVersion);
    if (file.mimeType !== GOOGLE_DOC)
      throw new ToolError(
        `${label} is a ${file.mimeType ?? 'file of unknown type'}, not a Google Doc; append_to_document writes to Google Docs only.`,
      );
    const about = {
      subject: `document ${args.documentId}`,
      write: true,
      scope: SCOPES.documents,
    };
    const document = await callApi(ctx, DOCS, about, (docs, options) =>
      docs.documents.get(
        {
          documentId: args.documentId,
          fields: 'documentId,revisionId,body(content(startIndex,endIndex))',
        },
        options,
      ),
    );
    // The body ends with a paragraph's newline, which text is inserted before.
    const last = document.body?.content?.at(-1);
    const end = last?.endIndex ?? 1;
    const index = Math.max(1, end - 1);
    const lastIsEmpty = end - (last?.startIndex ?? 0) <= 1;
    const text = lastIsEmpty ? args.text : `\n${args.text}`;
    const answer = await callApi(ctx, DOCS, about, (docs, options) =>
      docs.documents.batchUpdate(
        {
          documentId: args.documentId,
          requestBody: {
            requests: [{ insertText: { location: { index }, text } }],
            ...(document.revisionId == null
              ? {}
              : { writeControl: { requiredRevisionId: document.revisionId } }),
          },
        },
        options,
      ),
    );
    const revisionId = answer.writeControl?.requiredRevisionId ?? undefined;
    return structured(
      {
        documentId: args.documentId,
        ...(revisionId === undefined ? {} : { revisionId }),
        index,
        characters: text.length,
      },
      `Appended ${text.length} characters to ${label} at index ${index}.`,
    );
  },
});
