/**
 * @module
 * `--read-only`, `--tools` and `--exclude-tools`, applied the same way by every server.
 */
import type { Tool } from '../mcp/features/tool.js';
import { UsageError, type CommonOptions } from './args.js';

/**
 * The tools a server exposes under the operator's selection. Naming a tool that does not exist
 * is a configuration error (a typo would otherwise silently expose nothing, or everything).
 */
export function selectTools<T extends Pick<Tool, 'name' | 'annotations'>>(
  tools: readonly T[],
  options: Pick<CommonOptions, 'readOnly' | 'tools' | 'excludeTools'>,
): T[] {
  const known = new Set(tools.map((tool) => tool.name));
  for (const name of [...(options.tools ?? []), ...options.excludeTools]) {
    if (!known.has(name))
      throw new UsageError(
        `Unknown tool "${name}" in --tools/--exclude-tools; known tools: ${[...known].join(', ')}`,
      );
  }
  const only = options.tools === undefined ? undefined : new Set(options.tools);
  const excluded = new Set(options.excludeTools);
  return tools.filter(
    (tool) =>
      (only === undefined || only.has(tool.name)) &&
      !excluded.has(tool.name) &&
      (!options.readOnly || tool.annotations.readOnlyHint),
  );
}
