/**
 * @module
 * The server kit's command line and the `main.ts` runner, shared by every Plugboard server.
 * Node-only. Tool selection is `@plugboard/kit/tools`.
 */
export { parseCommandLine, helpText, UsageError } from './args.js';
export type {
  CommandSpec,
  AuditOptions,
  CommonOptions,
  FlagSpec,
  FlagType,
  FlagValue,
  ParsedCommand,
} from './args.js';
export { integerFlag, listFlag, stringFlag } from './flags.js';
export type { Flags, IntegerBounds } from './flags.js';
export { defineServer } from './define-server.js';
export type { ServerDefinition, ServerParts, ServerScope, ToolSource } from './define-server.js';
export { withSecretsMasked } from './mask-secrets.js';
export { environmentSecrets, serverLogger } from './server-logger.js';
export type { ServerLoggerOptions } from './server-logger.js';
export { runServer } from './run.js';
export { isHosted } from './upstream-accounts.js';
export type { AccountsSpec } from './upstream-accounts.js';
export type { RunOptions, RunningServer, ServerInput } from './run.js';
