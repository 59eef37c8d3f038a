/**
 * @module
 * What every tool of the example server can reach: its configuration and its notes.
 */
import { toolFactory } from '@plugboard/protocol';

export interface ExampleConfig {
  readonly allowClear: boolean;
}

export interface ExampleDeps {
  readonly config: ExampleConfig;
  /** The notes, oldest first; one list per server, never module state. */
  readonly notes: string[];
}

export const defineTool = toolFactory<ExampleDeps>();
