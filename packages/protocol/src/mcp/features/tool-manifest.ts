/**
 * @module
 * Start-up without loading tools. Listing tools needs only their descriptors, which are plain
 * JSON; running one needs zod and the handler, which cost tens of milliseconds to import. A
 * server's build writes its descriptors to a manifest (`plugboard-manifest`), and at run time
 * {@link lazyTools} serves `tools/list` from it and imports the implementations on the first
 * call, the way an editor lists an extension's commands before activating it.
 */
import { isTaskSupport } from '../extensions/tasks/support.js';
import type { Tool, ToolImplementation } from './tool.js';
import type { ToolDescriptor } from '../types.js';

/**
 * Tools described by `manifest` whose implementations come from `load()` on first use. The
 * manifest must have been generated from the same tools; a tool missing from what `load()`
 * returns fails its call with a clear error rather than running something else.
 */
export function lazyTools<D>(
  manifest: readonly ToolDescriptor[],
  load: () => Promise<readonly Tool<D>[]>,
): Tool<D>[] {
  let loaded: Promise<Map<string, Tool<D>>> | undefined;
  const loadAll = (): Promise<Map<string, Tool<D>>> => {
    loaded ??= load().then((tools) => new Map(tools.map((tool) => [tool.name, tool])));
    return loaded;
  };
  return manifest.map((descriptor) => {
    const taskSupport = descriptor.execution?.taskSupport;
    return {
      name: descriptor.name,
      ...(isTaskSupport(taskSupport) ? { taskSupport } : {}),
      annotations: {
        readOnlyHint: descriptor.annotations?.readOnlyHint ?? false,
        destructiveHint: descriptor.annotations?.destructiveHint ?? true,
        idempotentHint: descriptor.annotations?.idempotentHint ?? false,
        openWorldHint: descriptor.annotations?.openWorldHint ?? true,
      },
      descriptor: () => descriptor,
      async implementation(): Promise<ToolImplementation<D>> {
        const tool = (await loadAll()).get(descriptor.name);
        if (tool === undefined)
          throw new Error(
            `Tool ${descriptor.name} is in the manifest but not in the build; rebuild the server`,
          );
        return tool.implementation();
      },
    };
  });
}

/** The manifest a build writes: every tool's descriptor, in registry order. */
export function toolManifest(tools: readonly Pick<Tool, 'descriptor'>[]): ToolDescriptor[] {
  return tools.map((tool) => tool.descriptor());
}
