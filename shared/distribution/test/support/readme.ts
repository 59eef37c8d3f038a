/**
 * @module
 * Reads the fenced ```json blocks of a README and finds the host entries in them: Claude Desktop
 * style `mcpServers` (also Claude Code's `.mcp.json`, Cursor, Windsurf) and VS Code's `servers` with
 * its `inputs`, each with the command a host would spawn.
 */

/** One fenced JSON block and the line it starts on. */
export interface JsonBlock {
  readonly line: number;
  readonly text: string;
}

/** A stdio entry as a host reads it. */
export interface HostEntry {
  readonly form: 'mcpServers' | 'servers' | 'context_servers';
  readonly key: string;
  readonly line: number;
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** VS Code `inputs` of the same block, by id. */
  readonly inputs: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** Every ```json block in the text. */
export function jsonBlocks(markdown: string): readonly JsonBlock[] {
  const blocks: JsonBlock[] = [];
  const lines = markdown.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    if (!/^\s*```json\s*$/.test(lines[index] ?? '')) continue;
    const start = index;
    const body: string[] = [];
    for (index += 1; index < lines.length && !/^\s*```\s*$/.test(lines[index] ?? ''); index += 1)
      body.push(lines[index] ?? '');
    blocks.push({ line: start + 1, text: body.join('\n') });
  }
  return blocks;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function strings(value: unknown): readonly string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}

/** The stdio entries (those with a `command`) of one parsed block. */
export function hostEntries(block: JsonBlock, parsed: unknown): readonly HostEntry[] {
  if (!isRecord(parsed)) return [];
  const inputs: Record<string, Record<string, unknown>> = {};
  for (const input of Array.isArray(parsed.inputs) ? parsed.inputs : []) {
    if (isRecord(input) && typeof input.id === 'string') inputs[input.id] = input;
  }
  const entries: HostEntry[] = [];
  for (const form of ['mcpServers', 'servers', 'context_servers'] as const) {
    const map = parsed[form];
    if (!isRecord(map)) continue;
    for (const [key, entry] of Object.entries(map)) {
      if (!isRecord(entry) || typeof entry.command !== 'string') continue;
      const env: Record<string, string> = {};
      if (isRecord(entry.env)) {
        for (const [name, value] of Object.entries(entry.env))
          if (typeof value === 'string') env[name] = value;
      }
      entries.push({
        form,
        key,
        line: block.line,
        command: entry.command,
        args: strings(entry.args),
        env,
        inputs,
      });
    }
  }
  return entries;
}

/** The arguments after `npx -y <package>` when the entry runs this package through npx. */
export function npxServerArgs(
  entry: HostEntry,
  packageName: string,
): readonly string[] | undefined {
  const args = entry.command === 'npx' ? entry.args : undefined;
  if (args === undefined) return undefined;
  const at = args.indexOf(packageName);
  if (at < 0 || !args.slice(0, at).includes('-y')) return undefined;
  return args.slice(at + 1);
}

/** The ids of `${input:id}` references in the entry's env. */
export function inputReferences(entry: HostEntry): readonly string[] {
  return Object.values(entry.env).flatMap((value) =>
    [...value.matchAll(/\$\{input:([^}]+)\}/g)].map((match) => match[1] ?? ''),
  );
}

/**
 * The entry's npx arguments rewritten to run a tarball instead of the published package, as the
 * top README shows before publishing: `-y <package> …` becomes `-y --package=<tarball> <bin> …`.
 */
export function tarballNpxArgs(
  entry: HostEntry,
  packageName: string,
  tarball: string,
  bin: string,
): readonly string[] | undefined {
  const rest = npxServerArgs(entry, packageName);
  return rest === undefined ? undefined : ['-y', `--package=${tarball}`, bin, ...rest];
}

/** The tarball and bin of an entry in the `npx -y --package=<file.tgz> <bin> …` form. */
export function tarballEntry(
  entry: HostEntry,
):
  { readonly tarball: string; readonly bin: string; readonly rest: readonly string[] } | undefined {
  if (entry.command !== 'npx' || entry.args[0] !== '-y') return undefined;
  const match = /^--package=(.+\.tgz)$/.exec(entry.args[1] ?? '');
  const bin = entry.args[2];
  if (match?.[1] === undefined || bin === undefined) return undefined;
  return { tarball: match[1], bin, rest: entry.args.slice(3) };
}
