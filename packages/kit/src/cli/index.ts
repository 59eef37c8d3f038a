/**
 * @module
 * The server kit: command line, tool selection and the `main.ts` runner, shared by every
 * Plugboard server. Node-only.
 */
export { parseCommandLine, helpText, UsageError } from './args.js';
export type {
  CommandSpec,
  CommonOptions,
  FlagSpec,
  FlagType,
  FlagValue,
  ParsedCommand,
} from './args.js';
export { integerFlag, listFlag, stringFlag } from './flags.js';
export type { Flags, IntegerBounds } from './flags.js';
export { EVERY_TOOL, gateTools, refuseClosedGates, selectTools } from './select-tools.js';
export type { GatedTools, ToolGate } from './select-tools.js';
export { defineServer } from './define-server.js';
export type { ServerDefinition, ServerParts, ServerScope, ToolSource } from './define-server.js';
export { withSecretsMasked } from './mask-secrets.js';
export { environmentSecrets, serverLogger } from './server-logger.js';
export type { ServerLoggerOptions } from './server-logger.js';
export { loadTools } from './load-tools.js';
export type { ServerInput } from './run.js';
