/**
 * @module
 * {@link loadTools}: the tools of a built server, listed from the build's manifest with their
 * declared availability, and loaded on first call.
 */
import { readFile } from 'node:fs/promises';
import { lazyTools, type Tool, type ToolDescriptor } from '@plugboard/protocol';

/**
 * What the build records of each tool's availability (`toolset`, `requires`) and its approval's
 * action class (`actionClass`), in `availability.json` beside `tools.json` (see
 * `plugboard-build`): one entry for every tool.
 */
export type AvailabilityManifest = Readonly<
  Record<string, Pick<Tool, 'toolset' | 'requires' | 'actionClass'>>
>;

/**
 * Reads the manifest at `manifestUrl` and the availability beside it, and returns tools that load
 * on first call; without a manifest (tests running from source) it loads them now. A manifest
 * whose availability is missing or names other tools is a stale build, refused rather than
 * exposing gated tools ungated.
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
  const availabilityUrl = new URL('./availability.json', manifestUrl);
  const stale = (why: string) =>
    new Error(`${availabilityUrl.pathname} ${why}; rebuild the server (pnpm build)`);
  let availability: AvailabilityManifest;
  try {
    availability = JSON.parse(await readFile(availabilityUrl, 'utf8')) as AvailabilityManifest;
  } catch {
    throw stale('is missing or unreadable');
  }
  const listed = manifest.map((descriptor) => descriptor.name);
  const recorded = Object.keys(availability);
  const unrecorded = listed.filter((name) => !Object.hasOwn(availability, name));
  if (unrecorded.length > 0 || recorded.length !== listed.length)
    throw stale(`does not match tools.json (${unrecorded.join(', ') || 'other tools'})`);
  return lazyTools(manifest, load).map((tool) => ({ ...tool, ...availability[tool.name] }));
}
