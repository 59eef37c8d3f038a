/**
 * @module
 * `@plugboard/kit/process`: how a server runs other programs. Every child runs in a process group
 * of its own, which is ended as a whole (SIGTERM, a short grace, SIGKILL) on timeout, on cancel,
 * after it exits, and when the server shuts down.
 */
export {
  ChildProcesses,
  DEFAULT_GRACE_MS,
  type ChildProcessesOptions,
  type StartOptions,
} from './child-processes.js';
export { endProcessGroup, signalGroup } from './process-group.js';
export {
  runCommand,
  type CommandResult,
  type RunCommandOptions,
  type StopReason,
} from './run-command.js';
