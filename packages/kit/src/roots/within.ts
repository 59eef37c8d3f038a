/**
 * @module
 * {@link isWithin}: the one containment test of directory boundaries, compared at path-segment
 * boundaries so that `/a/allowed_evil` is not inside `/a/allowed`.
 */

/**
 * Whether `child` is `root` or lies below it, compared segment by segment. Both must be absolute
 * and normalised. Windows compares without case.
 */
export function isWithin(
  child: string,
  root: string,
  platform: NodeJS.Platform = process.platform,
): boolean {
  const sep = platform === 'win32' ? '\\' : '/';
  const a = platform === 'win32' ? child.toLowerCase() : child;
  const b = platform === 'win32' ? root.toLowerCase() : root;
  if (a === b) return true;
  const prefix = b.endsWith(sep) ? b : b + sep;
  return a.startsWith(prefix);
}
