/**
 * @module
 * The one place where filesystem errors become messages the model can act on. Unknown errors
 * are left alone so they surface as bugs, not as misleading advice.
 */
import { ToolError } from '@plugboard/protocol';

/**
 * A name or path made safe to quote in a line of text: control, invisible and bidirectional
 * characters are shown as `\u{…}` escapes (a name cannot fake a new line or reverse itself), and
 * very long values are shortened.
 */
export function shown(value: string, max = 300): string {
  const escaped = value.replace(
    /[\p{Cc}\p{Cf}\u2028\u2029]/gu,
    (char) => `\\u{${char.codePointAt(0)!.toString(16)}}`,
  );
  return escaped.length > max ? `${escaped.slice(0, max)}…` : escaped;
}

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

/** The ToolError for a Node filesystem error about `subject` (a path as the caller wrote it). */
export function toToolError(error: unknown, subject: string): ToolError | undefined {
  if (error instanceof ToolError) return error;
  const what = shown(subject);
  switch (codeOf(error)) {
    case 'ENOENT':
      return new ToolError(`No such file or directory: ${what}`);
    case 'ENOTDIR':
      return new ToolError(`Not a directory: a part of ${what} is a file, not a directory`);
    case 'EISDIR':
      return new ToolError(`${what} is a directory; this tool needs a file`);
    case 'EEXIST':
      return new ToolError(`${what} already exists`);
    case 'ENOTEMPTY':
      return new ToolError(`Directory ${what} is not empty`);
    case 'EACCES':
    case 'EPERM':
      return new ToolError(`Permission denied by the operating system: ${what}`);
    case 'ELOOP':
      return new ToolError(
        `${what}: too many symbolic links, or a symbolic link where a file was expected`,
      );
    case 'ENAMETOOLONG':
      return new ToolError(`${what}: the path or one of its names is too long`);
    case 'EXDEV':
      return new ToolError(
        `${what}: cannot move across file systems; copy_file then delete instead`,
      );
    case 'ENOSPC':
      return new ToolError('No space left on the device');
    case 'EROFS':
      return new ToolError(`${what} is on a read-only file system`);
    case 'EMFILE':
    case 'ENFILE':
    case 'EBUSY':
    case 'EAGAIN':
      return new ToolError(`${what} is busy or too many files are open; try again`);
    case 'EINVAL':
      return new ToolError(
        `Invalid operation on ${what} (for example moving a directory into itself)`,
      );
    case 'ERR_INVALID_ARG_VALUE':
      return new ToolError(`Invalid path: ${what}`);
    default:
      return undefined;
  }
}

/** Runs `operation`, converting the filesystem errors it throws into ToolErrors about `subject`. */
export async function mapErrors<T>(subject: string, operation: () => Promise<T> | T): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw toToolError(error, subject) ?? error;
  }
}
