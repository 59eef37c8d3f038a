/**
 * @module
 * {@link loadTools}: the tools of a built server, lazily when its build wrote a manifest.
 */
import { readFile } from 'node:fs/promises';
import { lazyTools, type Tool, type ToolDescriptor } from '@plugboard/protocol';

/**
 * Reads the manifest at `manifestUrl` (written by `plugboard-manifest` at build time) and returns
 * tools that load on first call; without a manifest (tests running from source) it loads them now.
 */
export async function loadTools<D>(
  manifestUrl: URL,
  load: () => Promise<readonly Tool<D>[]>,
): Promise<Tool<D>[]> {
  let manifest: ToolDescriptor[];
  try {
    manifest = JSON.parse(await readFile(manifestUrl, 'utf8')) as ToolDescriptor[];
  } catch {
    return [...(await load())];
  }
  return lazyTools(manifest, load);
}
