/**
 * @module
 * `copy_file`: a copy of one file, in the same folder or another one, within My Drive, within a
 * Shared Drive or from one to another (`supportsAllDrives`), only with --allow-write. Drive copies
 * files, not folders, and refuses files whose owner turned copying off; both are said before any
 * request that would change something.
 */
import { ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { call, defineTool } from '../context.js';
import { FOLDER, summarize, SUMMARY_FIELDS } from '../files.js';
import { sanitizeLine } from '../sanitize.js';
import { CREATE, fileIdField, folderIdField } from './common.js';
import { checkFolder, done, fileOutput, nameField, requireWrite } from './write.js';

export const copyFile = defineTool({
  name: 'copy_file',
  title: 'Copy a file',
  description:
    'Copy a file (not a folder), optionally under a new name and into another folder or Shared Drive. Returns the new file id.',
  input: z.object({
    fileId: fileIdField,
    name: nameField.optional().describe('Name of the copy (default: Drive\'s "Copy of …")'),
    folderId: folderIdField
      .optional()
      .describe(
        'Where the copy goes: folder id, Shared Drive id, or "root" (default: beside the original)',
      ),
  }),
  output: fileOutput,
  requires: ['allowWrite'],
  annotations: CREATE,
  auditTarget: ['fileId', 'folderId', 'name'],
  async run(args, ctx) {
    requireWrite(ctx);
    const source = await call(ctx, { subject: `file ${args.fileId}` }, (drive, options) =>
      drive.files.get(
        {
          fileId: args.fileId,
          fields: 'id,name,mimeType,capabilities(canCopy)',
          supportsAllDrives: true,
        },
        options,
      ),
    );
    const name = `"${sanitizeLine(source.name ?? '', 80)}"`;
    if (source.mimeType === FOLDER)
      throw new ToolError(
        `${name} is a folder; Drive copies files only. Create a folder with create_folder and copy the files into it.`,
      );
    if (source.capabilities?.canCopy === false)
      throw new ToolError(
        `The signed-in account may not copy ${name} (its owner turned copying off, or it is not shared with you for that).`,
      );
    const parent = args.folderId === undefined ? undefined : await checkFolder(ctx, args.folderId);
    const copy = await call(
      ctx,
      { subject: `file ${args.fileId}`, write: true },
      (drive, options) =>
        drive.files.copy(
          {
            fileId: args.fileId,
            requestBody: {
              ...(args.name === undefined ? {} : { name: args.name }),
              ...(parent === undefined ? {} : { parents: [parent] }),
            },
            fields: SUMMARY_FIELDS,
            supportsAllDrives: true,
          },
          options,
        ),
    );
    return done('Copied', summarize(copy));
  },
});
