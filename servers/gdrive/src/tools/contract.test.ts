/**
 * The contract every tool keeps (CONVENTIONS.md): names, descriptions, described arguments,
 * truthful annotations (only the tools that require a gate write; download_file writes only
 * locally, so it is not read-only either), output schemas, what each tool requires as the README
 * documents it, and the build's manifest in step with the tools.
 */
import { contractSuite } from '@plugboard/testing/contract';
import { describe, expect, it } from 'vitest';
import { tools } from './index.js';

contractSuite(tools, {
  names: /^[a-z]+(_[a-z]+)*$/,
  descriptions: { minLength: 20, maxLength: 350, maxSentences: 3 },
  argumentNames: { pattern: /^[a-z][a-zA-Z]*$/, topLevelOnly: true },
  readOnly: tools.filter((tool) => tool.requires === undefined).map((tool) => tool.name),
  openWorld: 'all',
});

describe('the gdrive registry', () => {
  it('has the official search tool first', () => {
    expect(tools[0]?.name).toBe('search');
  });

  it('declares the gates the README names for each tool', () => {
    const requires = Object.fromEntries(
      tools.map((tool) => [tool.name, [...(tool.requires ?? [])].sort()]),
    );
    expect(requires).toEqual({
      search: [],
      read_file: [],
      list_folder: [],
      get_file_metadata: [],
      list_shared_drives: [],
      list_revisions: [],
      list_permissions: [],
      list_comments: [],
      create_folder: ['allowWrite'],
      create_file: ['allowWrite'],
      update_file: ['allowWrite'],
      copy_file: ['allowWrite'],
      move_file: ['allowWrite'],
      rename_file: ['allowWrite'],
      trash_file: ['allowWrite'],
      update_sheet_values: ['allowWrite'],
      append_sheet_rows: ['allowWrite'],
      append_to_document: ['allowWrite'],
      upload_file: ['allowWrite', 'localDir'],
      download_file: ['localDir'],
      add_comment: ['allowWrite'],
      reply_to_comment: ['allowWrite'],
      resolve_comment: ['allowWrite'],
      share_file: ['allowSharing'],
      unshare_file: ['allowSharing'],
      disconnect_google_account: ['hostedAccounts'],
    });
  });
});
