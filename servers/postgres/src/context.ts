/**
 * @module
 * What every tool, resource and prompt handler can reach: the configuration and the executor
 * that runs work in a transaction on a fresh connection.
 */
import { annotationPresets } from '@plugboard/kit/tools';
import { toolFactory } from '@plugboard/protocol';
import type { PostgresConfig } from './config.js';
import type { Executor } from './executor.js';

export interface PostgresDeps {
  readonly config: PostgresConfig;
  readonly executor: Executor;
}

export const defineTool = toolFactory<PostgresDeps>();

/**
 * The annotations of a tool that only reads, and of one that changes the database (which tools
 * declare `requires: ['allowWrite']`, and `'allowDdl'` too for schema changes).
 */
export const { READ: READ_ONLY_ANNOTATIONS, UPDATE: WRITE_ANNOTATIONS } = annotationPresets({
  openWorld: false,
});
