/**
 * @module
 * directory_tree: a recursive view of a directory, breadth first so that a cut tree still shows
 * every top-level entry. It stops at a depth, an entry count or the output budget, marks each
 * directory whose listing is incomplete, can honour .gitignore, and never descends symlinks.
 */
import { readlinkSync } from 'node:fs';
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import { defineTool } from '../context.js';
import { mapErrors, shown } from '../fs/errors.js';
import { compileGlobs, gitignoreFactory } from '../fs/globs.js';
import { kindOf } from '../fs/safe-open.js';
import { SKIP, STOP, walk, type EntryType } from '../fs/walk.js';
import { ANNOTATIONS, globList, pathField, respectGitignoreField, walkProgress } from './fields.js';

export interface TreeNode {
  name: string;
  type: EntryType;
  target?: string | undefined;
  children?: TreeNode[] | undefined;
  truncated?: boolean | undefined;
}

const treeNode: z.ZodType<TreeNode> = z.lazy(() =>
  z.object({
    name: z.string().describe('Entry name'),
    type: z
      .enum(['file', 'directory', 'symlink', 'other'])
      .describe('file, directory, symlink (not descended) or other'),
    target: z.string().optional().describe('Where a symlink points (not followed)'),
    children: z.array(treeNode).optional().describe('Entries of a directory that was listed'),
    truncated: z
      .boolean()
      .optional()
      .describe(
        'True for a directory whose entries are not all listed (depth, entry or byte limit)',
      ),
  }),
);

/** Default cap on entries, before the byte budget. */
export const DEFAULT_TREE_ENTRIES = 10_000;

/** A name in the one-line-per-directory rendering: quoted when it has spaces, escaped always. */
function word(name: string): string {
  return /\s|^"/.test(name) ? JSON.stringify(name) : shown(name);
}

function entryWord(node: TreeNode): string {
  if (node.type === 'directory') return `${word(node.name)}/${node.truncated === true ? '…' : ''}`;
  if (node.type === 'symlink') return `${word(node.name)}@->${word(node.target ?? '?')}`;
  return word(node.name);
}

/**
 * The text rendering: one line per listed directory, its path relative to the tree's root (the
 * root's line starts with its absolute path), then its entries separated by spaces, directories
 * marked `/`, symlinks `@->target`, incomplete listings `…`. Full paths on every line spare the
 * reader from counting indentation, and the text stays about a third of the JSON's size.
 */
function render(
  nodes: readonly TreeNode[],
  heading: string,
  prefix: string,
  lines: string[],
  incomplete: boolean,
): void {
  lines.push(
    `${heading}:${nodes.map((node) => ` ${entryWord(node)}`).join('')}${incomplete ? ' …' : ''}`,
  );
  for (const node of nodes) {
    if (node.children !== undefined)
      render(
        node.children,
        prefix + word(node.name),
        `${prefix}${word(node.name)}/`,
        lines,
        node.truncated === true,
      );
  }
}

export const directoryTree = defineTool({
  name: 'directory_tree',
  title: 'Directory tree',
  description:
    'Recursive tree of a directory as nested entries (name, type, children), breadth first. Limit it with maxDepth, maxEntries, ' +
    'excludePatterns or respectGitignore; past the output budget the tree is cut and each incomplete directory is marked truncated. Symlinks are shown, never followed.',
  input: z.object({
    path: pathField('Directory to show, absolute or relative to the first allowed directory'),
    excludePatterns: globList(
      'Glob patterns to leave out, relative to path; a pattern without "/" matches a name at any depth (e.g. "node_modules", "*.log")',
    ).default([]),
    maxDepth: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('Deepest level to list (1 = only the entries of path)'),
    maxEntries: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe(
        `Most entries to return (default ${DEFAULT_TREE_ENTRIES}, and never past the output budget)`,
      ),
    respectGitignore: respectGitignoreField,
  }),
  output: z.object({
    path: z.string().describe("Real path of the tree's root"),
    tree: z.array(treeNode).describe('Entries of path, each directory with its children'),
    entries: z.number().describe('Entries returned'),
    truncated: z.boolean().describe('True when some directory is not fully listed'),
  }),
  taskSupport: 'optional',
  annotations: ANNOTATIONS.READ,
  auditTarget: ['path'],
  async run({ path: requested, excludePatterns, maxDepth, maxEntries, respectGitignore }, ctx) {
    const scope = await ctx.sandbox.scope(ctx);
    return mapErrors(requested, async () => {
      const resolved = await scope.resolve(requested);
      if (resolved.stats === undefined)
        throw new ToolError(`No such directory: ${shown(requested)}`);
      if (!resolved.stats.isDirectory())
        throw new ToolError(`${shown(requested)} is a ${kindOf(resolved.stats)}, not a directory`);
      const excluded = compileGlobs(excludePatterns, { anyDepthWithoutSlash: true });
      const gitignore = respectGitignore
        ? { allowedRoot: resolved.root, create: await gitignoreFactory() }
        : undefined;
      const limit = maxEntries ?? DEFAULT_TREE_ENTRIES;
      const budget = ctx.limits.outputBytes;
      const root: TreeNode = { name: '', type: 'directory', children: [] };
      let count = 0;
      let used = 0;
      let truncated = false;
      const result = await walk(
        resolved.path,
        root,
        { gitignore, signal: ctx.signal, onProgress: walkProgress(ctx) },
        (entry, parent) => {
          if (excluded?.(entry.relative) === true) return SKIP;
          // Compact JSON of the node, plus its line in the text rendering.
          const cost =
            2 * Buffer.byteLength(entry.name) +
            2 * entry.depth +
            (entry.type === 'directory' ? 50 : 30);
          if (count >= limit || used + cost > budget) {
            parent.truncated = true;
            truncated = true;
            return STOP;
          }
          count++;
          used += cost;
          const node: TreeNode = { name: entry.name, type: entry.type };
          parent.children!.push(node);
          if (entry.type === 'symlink') {
            try {
              node.target = readlinkSync(entry.absolute);
            } catch {
              // Gone since it was listed: keep the entry without a target.
            }
          }
          if (entry.type !== 'directory') return undefined;
          if (maxDepth !== undefined && entry.depth >= maxDepth) {
            node.truncated = true;
            truncated = true;
            return SKIP;
          }
          node.children = [];
          return node;
        },
      );
      for (const node of result.pending) {
        delete node.children;
        node.truncated = true;
      }
      const tree = root.children!;
      const lines: string[] = [];
      render(tree, resolved.path, '', lines, root.truncated === true);
      if (truncated) {
        lines.push(
          `[${count} entries shown; directories marked … are not fully listed. Use excludePatterns, respectGitignore or maxDepth, ` +
            'or call directory_tree on a subdirectory]',
        );
      }
      return structured({ path: resolved.path, tree, entries: count, truncated }, lines.join('\n'));
    });
  },
});
