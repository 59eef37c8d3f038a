/**
 * @module
 * The last check before git starts: no argument in front of `--end-of-options` (or `--`) may be
 * an option that sets configuration or names a program, repository or file for git to use. The
 * tools build their arguments from validated values and put everything from the model after
 * `--end-of-options`, so this never fires for them; it is there so that a value that slipped
 * past a tool's own validation is refused instead of executed.
 */
import { ToolError } from '@plugboard/protocol';

/** Global options (before the command) that configure git or point it elsewhere. */
const GLOBAL =
  /^(-c|--config-env|--git-dir|--work-tree|--namespace|--exec-path|--super-prefix)(=|$)|^-c./;

/** Command options that name a program or a file to write, or set configuration. */
const COMMAND =
  /^(--upload-pack|--receive-pack|--exec|--template|--output|--config|--ext-diff|--textconv)(=|$)/;

/** Commands where `-u <program>` is `--upload-pack` and `-c` sets configuration. */
const SHORT_FORMS = new Set(['clone', 'ls-remote']);

function refused(arg: string): ToolError {
  return new ToolError(
    `Refused: ${JSON.stringify(arg.slice(0, 200))} would configure Git or make it run a program. ` +
      'Tool arguments can never become Git options or configuration.',
  );
}

/** Throws a ToolError naming the first argument that would configure git or run a program. */
export function refuseUnsafeArguments(args: readonly string[]): void {
  let command: string | undefined;
  for (const [index, arg] of args.entries()) {
    if (arg === '--end-of-options' || arg === '--') return;
    if (command === undefined) {
      // `-c key=value` in two arguments: the key is what the message must name.
      if (GLOBAL.test(arg)) throw refused(arg === '-c' ? `-c ${args[index + 1] ?? ''}` : arg);
      if (!arg.startsWith('-')) command = arg;
      continue;
    }
    if (COMMAND.test(arg)) throw refused(arg);
    if (SHORT_FORMS.has(command) && /^-[uc]/.test(arg)) throw refused(arg);
  }
}
