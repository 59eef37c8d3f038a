/**
 * @module
 * Files as MCP resources: one `file://{+path}` template covering everything inside the allowed
 * directories, read through the same sandbox and checked opens as the tools, with completion of
 * paths for clients that offer it. resources/list shows the files directly inside each allowed
 * directory; everything deeper is reachable through the template.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  ProtocolError,
  resourceNotFound,
  ToolError,
  type ResourceContents,
  type ResourceDescriptor,
} from '@plugboard/protocol';
import { defineResourceTemplate } from './context.js';
import { shown, toToolError } from './fs/errors.js';
import { formatSize, mimeTypeOf } from './fs/format.js';
import { openForRead, readWhole } from './fs/safe-open.js';

const MAX_LISTED = 500;
const MAX_COMPLETIONS = 100;

function textMimeType(file: string): string {
  const type = mimeTypeOf(file);
  return type === 'application/octet-stream' ? 'text/plain' : type;
}

/** UTF-8 text when the bytes are valid UTF-8 without NUL, otherwise undefined. */
function asText(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export const fileResource = defineResourceTemplate({
  uriTemplate: 'file://{+path}',
  name: 'file',
  title: 'Files in the allowed directories',
  description:
    'Any file or directory inside the allowed directories, by its file:// URI. Text files are returned as text, other files base64-encoded, directories as a listing.',
  async list(ctx) {
    const scope = await ctx.sandbox.scope(ctx);
    const listed: ResourceDescriptor[] = [];
    for (const directory of scope.directories) {
      const dirents = await fs.readdir(directory.real, { withFileTypes: true }).catch(() => []);
      for (const dirent of dirents.sort((a, b) => byName(a.name, b.name))) {
        if (!dirent.isFile()) continue;
        const file = path.join(directory.real, dirent.name);
        listed.push({
          uri: pathToFileURL(file).href,
          name: dirent.name,
          mimeType: mimeTypeOf(file),
        });
        if (listed.length >= MAX_LISTED) return listed;
      }
    }
    return listed;
  },
  async read(uri, _variables, ctx): Promise<ResourceContents[]> {
    let requested: string;
    try {
      requested = fileURLToPath(new URL(uri));
    } catch {
      throw ProtocolError.invalidParams(`Not a local file URI: ${shown(uri, 200)}`);
    }
    const scope = await ctx.sandbox.scope(ctx);
    try {
      const resolved = await scope.resolve(requested);
      if (resolved.stats === undefined) throw resourceNotFound(uri);
      if (resolved.stats.isDirectory()) {
        const dirents = await fs.readdir(resolved.path, { withFileTypes: true });
        const lines = dirents
          .sort((a, b) => byName(a.name, b.name))
          .map(
            (dirent) =>
              `${dirent.isDirectory() ? '[DIR]' : dirent.isSymbolicLink() ? '[LINK]' : '[FILE]'} ${shown(dirent.name)}`,
          );
        return [{ uri, mimeType: 'text/plain', text: lines.join('\n') }];
      }
      const file = openForRead(resolved, scope);
      const { stats } = file;
      let bytes: Buffer;
      try {
        if (stats.size > ctx.limits.mediaBytes) {
          throw new ToolError(
            `${shown(requested)} is ${formatSize(stats.size)}; resources are served up to ${formatSize(ctx.limits.mediaBytes)}. Use read_text_file with offset and limit`,
          );
        }
        bytes = readWhole(file);
      } finally {
        file.close();
      }
      const text = asText(bytes);
      if (text !== undefined) return [{ uri, mimeType: textMimeType(resolved.path), text }];
      return [{ uri, mimeType: mimeTypeOf(resolved.path), blob: bytes.toString('base64') }];
    } catch (error) {
      if (error instanceof ProtocolError) throw error;
      const mapped = toToolError(error, requested);
      if (mapped === undefined) throw error;
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw resourceNotFound(uri);
      throw ProtocolError.invalidParams(mapped.message);
    }
  },
  complete: {
    async path(value, { ctx }) {
      const scope = await ctx.sandbox.scope(ctx);
      const roots = scope.directories.map(
        (directory) => `${directory.real}${directory.real.endsWith(path.sep) ? '' : path.sep}`,
      );
      const inside = scope.directories.some(
        (directory) =>
          value.startsWith(directory.real + path.sep) ||
          value.startsWith(directory.given + path.sep),
      );
      if (!inside) return roots.filter((root) => root.startsWith(value));
      const folder = value.endsWith(path.sep) ? value : path.dirname(value) + path.sep;
      const prefix = value.slice(folder.length);
      try {
        const resolved = await scope.resolve(folder);
        if (resolved.stats?.isDirectory() !== true) return [];
        const dirents = await fs.readdir(resolved.path, { withFileTypes: true });
        return dirents
          .filter((dirent) => dirent.name.startsWith(prefix))
          .sort((a, b) => byName(a.name, b.name))
          .slice(0, MAX_COMPLETIONS)
          .map((dirent) => `${folder}${dirent.name}${dirent.isDirectory() ? path.sep : ''}`);
      } catch {
        return [];
      }
    },
  },
});
