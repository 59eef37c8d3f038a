/**
 * @module
 * What every filesystem tool and resource handler can reach: the sandbox (the allowed
 * directories and path resolution), the limits the operator set, and the delete policy. One
 * object per server, made by the server factory; nothing here is module state.
 */
import { resourceFactory, toolFactory } from '@plugboard/protocol';
import type { Sandbox } from './sandbox/sandbox.js';

export interface FsLimits {
  /** Most bytes of text one tool result carries. */
  outputBytes: number;
  /** Largest file read_media_file and resources return. */
  mediaBytes: number;
  /** Most bytes one extract_archive call writes. */
  extractBytes: number;
}

export interface FsDeps {
  sandbox: Sandbox;
  limits: FsLimits;
  /** When set, deletions move entries into this folder (a name inside each allowed directory). */
  trashDir: string | undefined;
}

export const defineTool = toolFactory<FsDeps>();
export const { defineResourceTemplate } = resourceFactory<FsDeps>();
