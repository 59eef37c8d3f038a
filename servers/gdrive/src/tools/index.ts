/**
 * @module
 * The Drive server's one tool registry: the official `search` first, then reading and browsing,
 * then the write tools (offered only with --allow-write; the Sheets and Docs writes among them),
 * the local-directory transfers (only with --local-dir; upload_file also needs --allow-write) and
 * sharing (only with --allow-sharing).
 */
import { disconnectGoogleAccount } from './accounts.js';
import { getFileMetadata, listFolder, listSharedDrives } from './browse.js';
import { addComment, listComments, replyToComment, resolveComment } from './comments.js';
import { copyFile } from './copy.js';
import { appendToDocument } from './docs.js';
import { listPermissions, listRevisions } from './history.js';
import { readFile } from './read.js';
import { search } from './search.js';
import { appendSheetRows, updateSheetValues } from './sheets.js';
import { downloadFile, uploadLocalFile } from './transfer.js';
import { shareFile, unshareFile } from './sharing.js';
import { createFile, createFolder, moveFile, renameFile, trashFile, updateFile } from './write.js';

export const tools = [
  search,
  readFile,
  listFolder,
  getFileMetadata,
  listSharedDrives,
  listRevisions,
  listPermissions,
  listComments,
  createFolder,
  createFile,
  updateFile,
  copyFile,
  moveFile,
  renameFile,
  trashFile,
  updateSheetValues,
  appendSheetRows,
  appendToDocument,
  uploadLocalFile,
  downloadFile,
  addComment,
  replyToComment,
  resolveComment,
  shareFile,
  unshareFile,
  disconnectGoogleAccount,
];
