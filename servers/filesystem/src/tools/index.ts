/**
 * @module
 * The filesystem server's one tool registry. Order is the order clients list them in: the
 * official server's tools first, then ours.
 */
import { createArchive, extractArchive, listArchive } from './archive.js';
import { deleteDirectory, deleteFile } from './delete.js';
import { readDocument } from './documents.js';
import { editFile } from './edit.js';
import {
  getFileInfo,
  listAllowedDirectories,
  listDirectory,
  listDirectoryWithSizes,
} from './list.js';
import { readFile, readMediaFile, readMultipleFiles, readTextFile } from './read.js';
import { searchFileContents, searchFiles } from './search.js';
import { getDirectorySize } from './sizes.js';
import { directoryTree } from './tree.js';
import { copyFile, createDirectory, moveFile, writeFile } from './write.js';

export const tools = [
  readTextFile,
  readFile,
  readMediaFile,
  readMultipleFiles,
  writeFile,
  editFile,
  createDirectory,
  listDirectory,
  listDirectoryWithSizes,
  directoryTree,
  moveFile,
  searchFiles,
  getFileInfo,
  listAllowedDirectories,
  searchFileContents,
  copyFile,
  getDirectorySize,
  listArchive,
  extractArchive,
  createArchive,
  readDocument,
  deleteFile,
  deleteDirectory,
];
