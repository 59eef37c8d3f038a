/**
 * @module
 * puppeteer_upload_file: puts files into an `<input type="file">`, but only files inside the
 * directories the operator named with --upload-dir. Paths are resolved to their real location
 * first, so `..`, absolute paths and symlinks cannot reach anything outside.
 */
import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { text, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool } from '../context.js';
import { resolveTarget, targetFields, withTab, WEB } from './common.js';

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** The real path of `requested` when it is a file inside one of `roots`. */
export async function confinedFile(roots: readonly string[], requested: string): Promise<string> {
  const candidates = isAbsolute(requested)
    ? [requested]
    : roots.map((root) => resolve(root, requested));
  for (const candidate of candidates) {
    let real: string;
    try {
      real = await realpath(candidate);
    } catch {
      continue;
    }
    if (!roots.some((root) => inside(root, real))) {
      throw new ToolError(
        `${JSON.stringify(requested)} is outside the upload directories (${roots.join(', ')}); only files there can be uploaded.`,
      );
    }
    if (!(await stat(real)).isFile())
      throw new ToolError(`${JSON.stringify(requested)} is not a file.`);
    return real;
  }
  throw new ToolError(
    `${JSON.stringify(requested)} does not exist in the upload directories (${roots.join(', ')}).`,
  );
}

export const uploadFile = defineTool({
  name: 'puppeteer_upload_file',
  title: 'Upload files',
  description:
    'Set the files of an <input type="file"> (by selector or ref) to files from the upload directories the operator allowed; paths are relative to such a directory or absolute inside it.',
  input: z.object({
    ...targetFields,
    paths: z
      .array(z.string().min(1).max(4096))
      .min(1)
      .max(20)
      .describe('Files to upload, relative to an upload directory or absolute inside one'),
  }),
  auditTarget: ['selector', 'ref', 'paths'],
  annotations: WEB.SET,
  async run(args, ctx) {
    const roots = ctx.config.uploadDirs;
    if (roots.length === 0)
      throw new ToolError(
        'Uploads are off on this server: the operator can allow a directory with --upload-dir (PUPPETEER_UPLOAD_DIRS).',
      );
    const files: string[] = [];
    for (const path of args.paths) files.push(await confinedFile(roots, path));
    return withTab(ctx, async (tab) => {
      const target = await resolveTarget(tab, args);
      const input = await target.handle.evaluate((element) =>
        element instanceof HTMLInputElement && element.type === 'file'
          ? { multiple: element.multiple }
          : undefined,
      );
      if (input === undefined)
        throw new ToolError(`${target.label} is not an <input type="file">.`);
      if (files.length > 1 && !input.multiple)
        throw new ToolError(`${target.label} takes one file; give one path.`);
      await (
        target.handle as unknown as { uploadFile(...paths: string[]): Promise<void> }
      ).uploadFile(...files);
      return text(`Set ${files.length} file${files.length === 1 ? '' : 's'} on ${target.label}.`);
    });
  },
});

export const uploadTools = [uploadFile];
