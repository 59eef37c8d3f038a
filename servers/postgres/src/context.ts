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
