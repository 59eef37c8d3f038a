/**
 * @module
 * Glob patterns for search_files, directory_tree and search_file_contents, matched against paths
 * relative to the walk root with `/` separators. A pattern without a slash also matches a name at
 * any depth (`node_modules`, `*.log`), which is how people write exclusions. Patterns are length
 * capped by the input schemas, braces become alternations (never expanded ranges), and picomatch
 * is loaded only when a pattern is used.
 */
import { ToolError } from '@plugboard/protocol';
import type { Ignore } from 'ignore';

export type PathTest = (relative: string) => boolean;

/** A test that is true when any of `patterns` matches; undefined for no patterns. */
export async function compileGlobs(
  patterns: readonly string[],
  options: { anyDepthWithoutSlash: boolean },
): Promise<PathTest | undefined> {
  if (patterns.length === 0) return undefined;
  const { default: picomatch } = await import('picomatch');
  try {
    return picomatch([...patterns], { dot: true, basename: options.anyDepthWithoutSlash });
  } catch (error) {
    throw new ToolError(
      `Invalid glob pattern: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** Loads the .gitignore parser on first use. */
export async function gitignoreFactory(): Promise<() => Ignore> {
  const { default: ignore } = await import('ignore');
  return () => ignore();
}
