/**
 * @module
 * Renders an accessibility tree as compact indented lines, one per element, each with a
 * reference (`[ref=e12]`) the other tools accept instead of a CSS selector. Anonymous containers
 * are folded into their parent, names and values are cleaned and quoted (page text is untrusted
 * and may not forge lines), and a depth limit summarises what lies below it.
 */
import { cleanLine, quoted } from './untrusted.js';

/** The parts of puppeteer's SerializedAXNode the rendering reads. */
export interface AxNode {
  role: string;
  name?: string;
  value?: string | number;
  description?: string;
  level?: number;
  checked?: boolean | 'mixed';
  pressed?: boolean | 'mixed';
  selected?: boolean;
  expanded?: boolean;
  disabled?: boolean;
  focused?: boolean;
  required?: boolean;
  modal?: boolean;
  url?: string;
  children?: AxNode[];
}

export interface RenderOptions {
  /** Levels below the first rendered one; deeper nodes are summarised. */
  readonly maxDepth: number;
  /** Most lines to produce; the rest of the tree is left out and `complete` is false. */
  readonly maxLines: number;
  /** Assigns the reference of an element line. */
  ref(node: AxNode): string;
}

export interface RenderedTree {
  readonly lines: string[];
  /** False when `maxLines` stopped the rendering. */
  readonly complete: boolean;
}

/** Containers that carry no meaning of their own: their children take their place. */
const FOLDED = new Set(['generic', 'none', 'presentation', 'Ignored', 'IgnoredRole']);
/** Layout details of text that repeat what the text node already says. */
const SKIPPED = new Set(['InlineTextBox', 'LineBreak']);
const TEXT_ROLES = new Set(['StaticText', 'text']);
const NAME_MAX = 200;

function countBelow(node: AxNode): number {
  let count = 0;
  for (const child of node.children ?? []) count += 1 + countBelow(child);
  return count;
}

function states(node: AxNode): string {
  const parts: string[] = [];
  if (node.level !== undefined) parts.push(`level=${node.level}`);
  if (node.checked === true) parts.push('checked');
  if (node.checked === 'mixed') parts.push('checked=mixed');
  if (node.pressed === true) parts.push('pressed');
  if (node.selected === true) parts.push('selected');
  if (node.expanded === true) parts.push('expanded');
  if (node.expanded === false) parts.push('collapsed');
  if (node.disabled === true) parts.push('disabled');
  if (node.focused === true) parts.push('focused');
  if (node.required === true) parts.push('required');
  if (node.modal === true) parts.push('modal');
  return parts.map((part) => ` [${part}]`).join('');
}

function describe(node: AxNode, ref: string): string {
  const role = node.role === 'RootWebArea' ? 'document' : node.role;
  let line = role;
  if (node.name !== undefined && node.name !== '') line += ` ${quoted(node.name, NAME_MAX)}`;
  line += states(node);
  line += ` [ref=${ref}]`;
  if (node.url !== undefined && node.url !== '' && role === 'link')
    line += ` -> ${cleanLine(node.url, NAME_MAX)}`;
  if (node.value !== undefined && node.value !== '')
    line += `: ${quoted(String(node.value), NAME_MAX)}`;
  return line;
}

/** Renders `root` (its own line included unless it is the top document). */
export function renderTree(root: AxNode, options: RenderOptions): RenderedTree {
  const lines: string[] = [];
  let complete = true;

  // `parentName` lets a text node that only repeats its parent's name (a link's label) go.
  const visit = (node: AxNode, depth: number, parentName: string): void => {
    if (lines.length >= options.maxLines) {
      complete = false;
      return;
    }
    if (SKIPPED.has(node.role)) return;
    const children = node.children ?? [];
    const isTopDocument = node === root && node.role === 'RootWebArea';
    const folded = isTopDocument || (FOLDED.has(node.role) && (node.name ?? '') === '');
    if (folded) {
      for (const child of children) visit(child, depth, parentName);
      return;
    }
    const indent = '  '.repeat(depth);
    if (TEXT_ROLES.has(node.role)) {
      const text = node.name ?? '';
      if (text.trim() !== '' && text.trim() !== parentName)
        lines.push(`${indent}- text: ${quoted(text, NAME_MAX * 2)}`);
      return;
    }
    let line = `${indent}- ${describe(node, options.ref(node))}`;
    if (depth >= options.maxDepth && children.length > 0) {
      line += ` (${countBelow(node)} nodes inside; pass this ref as root to see them)`;
      lines.push(line);
      return;
    }
    lines.push(line);
    for (const child of children) visit(child, depth + 1, (node.name ?? '').trim());
  };

  visit(root, 0, '');
  return { lines, complete };
}
