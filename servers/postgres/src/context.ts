/**
 * @module
 * What every tool, resource and prompt handler can reach: the configuration and the executor
 * that runs work in a transaction on a fresh connection.
 */
import { toolFactory } from '@plugboard/protocol';
import type { PostgresConfig } from './config.js';
import type { Executor } from './executor.js';

export interface PostgresDeps {
  readonly config: PostgresConfig;
  readonly executor: Executor;
}

export const defineTool = toolFactory<PostgresDeps>();

/** The annotations of a tool that only reads. */
export const READ_ONLY_ANNOTATIONS = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
} as const;

/** The annotations of a tool that changes the database. */
export const WRITE_ANNOTATIONS = {
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: false,
  openWorldHint: false,
} as const;
