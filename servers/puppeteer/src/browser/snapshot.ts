/**
 * @module
 * Renders an accessibility tree as compact indented lines, one per element, each with a
 * reference (`[ref=e12]`) the other tools accept instead of a CSS selector. Anonymous containers
 * are folded into their parent, names and values are cleaned and quoted (page text is untrusted
 * and may not forge lines), and a depth limit summarises what lies below it. Every cut is
 * counted ({@link SnapshotCuts}), so the snapshot can say what it left out.
 */
import { cutAt } from '@plugboard/kit/untrusted';
import { cleanLine } from './untrusted.js';

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
  /** Most lines to produce; the rest of the tree is left out and `cuts.elementLimit` is set. */
  readonly maxLines: number;
  /** Assigns the reference of an element line. */
  ref(node: AxNode): string;
}

/** What a rendering shortened or left out; all zero when nothing was cut. */
export interface SnapshotCuts {
  /** Names, values and link URLs shortened to {@link NAME_MAX} characters. */
  names: number;
  /** Text nodes shortened to {@link TEXT_MAX} characters. */
  texts: number;
  /** Elements at the depth limit whose contents were summarised as a count. */
  depth: number;
  /** True when the element or line limit left the rest of the page out. */
  elementLimit: boolean;
}

/** True when `cuts` records any cut. */
export function anyCut(cuts: SnapshotCuts): boolean {
  return cuts.names > 0 || cuts.texts > 0 || cuts.depth > 0 || cuts.elementLimit;
}

export interface RenderedTree {
  readonly lines: string[];
  /** What was cut; `elementLimit` when `maxLines` stopped the rendering. */
  readonly cuts: SnapshotCuts;
}

/** Containers that carry no meaning of their own: their children take their place. */
const FOLDED = new Set(['generic', 'none', 'presentation', 'Ignored', 'IgnoredRole']);
/** Layout details of text that repeat what the text node already says. */
const SKIPPED = new Set(['InlineTextBox', 'LineBreak']);
const TEXT_ROLES = new Set(['StaticText', 'text']);
export const NAME_MAX = 200;
export const TEXT_MAX = 400;
/**
 * The page-side cap on names and texts (page-collect.ts, which cannot import it): a string
 * this long may already have been cut in the page.
 */
export const PAGE_TEXT_MAX = 2000;

/** Printable ASCII only: nothing in it for cleaning to change (most names on most pages). */
const PLAIN = /^[\x20-\x7e]*$/;

/** `text` cleaned to one line and cut to `max` characters; `cut` says whether anything went. */
function shorten(text: string, max: number): { text: string; cut: boolean } {
  // Cleaning only removes characters, so text within `max` (and the page cap) is never cut.
  if (text.length <= max)
    return { text: PLAIN.test(text) ? text : cleanLine(text, max), cut: false };
  const line = cleanLine(text, Number.MAX_SAFE_INTEGER);
  return { text: cutAt(line, max), cut: line.length > max || text.length >= PAGE_TEXT_MAX };
}

function countBelow(node: AxNode): number {
  let count = 0;
  const children = node.children ?? [];
  for (let at = 0; at < children.length; at++) count += 1 + countBelow(children[at]!);
  return count;
}

/** The state marks of a line (` [checked] [disabled]`), built as one string: most have none. */
function states(node: AxNode): string {
  let marks = '';
  if (node.level !== undefined) marks += ` [level=${node.level}]`;
  if (node.checked === true) marks += ' [checked]';
  if (node.checked === 'mixed') marks += ' [checked=mixed]';
  if (node.pressed === true) marks += ' [pressed]';
  if (node.selected === true) marks += ' [selected]';
  if (node.expanded === true) marks += ' [expanded]';
  if (node.expanded === false) marks += ' [collapsed]';
  if (node.disabled === true) marks += ' [disabled]';
  if (node.focused === true) marks += ' [focused]';
  if (node.required === true) marks += ' [required]';
  if (node.modal === true) marks += ' [modal]';
  return marks;
}

function describe(node: AxNode, ref: string, cuts: SnapshotCuts): string {
  const field = (text: string): string => {
    const shortened = shorten(text, NAME_MAX);
    if (shortened.cut) cuts.names++;
    return shortened.text;
  };
  const role = node.role === 'RootWebArea' ? 'document' : node.role;
  let line = role;
  if (node.name !== undefined && node.name !== '') line += ` ${JSON.stringify(field(node.name))}`;
  line += states(node);
  line += ` [ref=${ref}]`;
  if (node.url !== undefined && node.url !== '' && role === 'link')
    line += ` -> ${field(node.url)}`;
  if (node.value !== undefined && node.value !== '')
    line += `: ${JSON.stringify(field(String(node.value)))}`;
  return line;
}

/** Renders `root` (its own line included unless it is the top document). */
export function renderTree(root: AxNode, options: RenderOptions): RenderedTree {
  const lines: string[] = [];
  const cuts: SnapshotCuts = { names: 0, texts: 0, depth: 0, elementLimit: false };
  const indents = [''];
  const indentOf = (depth: number): string => (indents[depth] ??= '  '.repeat(depth));

  // `parentName` lets a text node that only repeats its parent's name (a link's label) go.
  const visit = (node: AxNode, depth: number, parentName: string): void => {
    if (lines.length >= options.maxLines) {
      cuts.elementLimit = true;
      return;
    }
    if (SKIPPED.has(node.role)) return;
    const children = node.children ?? [];
    const isTopDocument = node === root && node.role === 'RootWebArea';
    const folded = isTopDocument || (FOLDED.has(node.role) && (node.name ?? '') === '');
    if (folded) {
      for (let at = 0; at < children.length; at++) visit(children[at]!, depth, parentName);
      return;
    }
    const indent = indentOf(depth);
    if (TEXT_ROLES.has(node.role)) {
      const text = node.name ?? '';
      if (text.trim() !== '' && text.trim() !== parentName) {
        const shortened = shorten(text, TEXT_MAX);
        if (shortened.cut) cuts.texts++;
        lines.push(`${indent}- text: ${JSON.stringify(shortened.text)}`);
      }
      return;
    }
    let line = `${indent}- ${describe(node, options.ref(node), cuts)}`;
    if (depth >= options.maxDepth && children.length > 0) {
      cuts.depth++;
      line += ` (${countBelow(node)} nodes inside; pass this ref as root to see them)`;
      lines.push(line);
      return;
    }
    lines.push(line);
    const name = (node.name ?? '').trim();
    // An indexed loop: it runs once per node, mostly before the JIT has warmed up.
    for (let at = 0; at < children.length; at++) visit(children[at]!, depth + 1, name);
  };

  visit(root, 0, '');
  return { lines, cuts };
}
