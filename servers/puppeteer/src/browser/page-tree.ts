/**
 * @module
 * Reads a page as an accessibility-style tree in one pass inside the page, frame by frame.
 * Chromium's own accessibility tree costs seconds on large pages (about 5 s for 5,000 links); a
 * walk of the DOM that computes roles, names and states the way the ARIA mappings describe takes
 * milliseconds. Hidden content (`display: none`, `visibility: hidden`, `aria-hidden`) is left
 * out. A frame is read in one message: the walk keeps its elements in the page, under a key of
 * the tab's, and sends the tree by value; a ref is that frame and a position, and costs nothing
 * until a tool uses it.
 */
import type { ElementHandle, Frame } from 'puppeteer-core';
import { collect, type PageNode, type Reading, type WireStates } from './page-collect.js';

/** Where a ref points: the element array of one frame's document, and a position in it. */
export interface ElementRef {
  readonly frame: Frame;
  /** The window property the element array is kept in. */
  readonly key: string;
  readonly index: number;
}

export interface PageTree {
  readonly root: PageNode;
  /** True when the node limit stopped the walk. */
  readonly truncated: boolean;
  /** Every frame read, in the order `PageNode.owner` counts them. */
  readonly frames: Frame[];
  /** The title of the frame asked for, when the walk was in it (not in a root's other frame). */
  readonly title: string | undefined;
}

/** Roles the walk sends as their position in this table (anything else goes as text). */
export const ROLES: readonly string[] = [
  'generic',
  'text',
  'link',
  'button',
  'listitem',
  'list',
  'paragraph',
  'heading',
  'textbox',
  'checkbox',
  'radio',
  'combobox',
  'option',
  'img',
  'cell',
  'row',
  'rowgroup',
  'columnheader',
  'table',
  'navigation',
  'main',
  'banner',
  'contentinfo',
  'complementary',
  'form',
  'region',
  'article',
  'group',
  'iframe',
  'dialog',
  'separator',
  'presentation',
];

/** The states the walk may send, with the type each must have. */
const STATE_TYPES: Readonly<Record<keyof WireStates, (value: unknown) => boolean>> = {
  level: (value) => typeof value === 'number',
  checked: (value) => typeof value === 'boolean' || value === 'mixed',
  pressed: (value) => value === true || value === 'mixed',
  selected: (value) => typeof value === 'boolean',
  expanded: (value) => typeof value === 'boolean',
  disabled: (value) => value === true,
  focused: (value) => value === true,
  required: (value) => value === true,
  modal: (value) => value === true,
  url: (value) => typeof value === 'string',
  value: (value) => typeof value === 'string',
};

/** The nodes of one frame's reading, and its iframe nodes by element index. */
export interface Decoded {
  nodes: PageNode[];
  iframes: Map<number, PageNode>;
}

/**
 * The page's compact nodes as {@link PageNode}s of element array `owner`, numbering the elements
 * in tree order as the walk did; undefined when they are not the walk's shape (a page may
 * replace `JSON.stringify` or give arrays a `toJSON` method, as old libraries did).
 */
export function decode(wire: unknown, owner: number): Decoded | undefined {
  const iframes = new Map<number, PageNode>();
  let next = 0;
  const nodesOf = (list: unknown): PageNode[] | undefined => {
    if (!Array.isArray(list)) return undefined;
    // Indexed loops and reads: this runs once per node, mostly before the JIT has warmed up,
    // where iterators and destructuring cost several times what the work does.
    const nodes: PageNode[] = [];
    for (let at = 0; at < list.length; at++) {
      const node = nodeOf(list[at]);
      if (node === undefined) return undefined;
      nodes.push(node);
    }
    return nodes;
  };
  const nodeOf = (item: unknown): PageNode | undefined => {
    if (typeof item === 'string') return { role: 'text', name: item };
    if (!Array.isArray(item) || item.length < 2 || item.length > 4) return undefined;
    const code: unknown = item[0];
    const name: unknown = item[1];
    const children: unknown = item[2];
    const states: unknown = item[3];
    const role = typeof code === 'number' ? ROLES[code] : code;
    if (typeof role !== 'string' || typeof name !== 'string') return undefined;
    const node: PageNode =
      name === '' ? { role, index: next++, owner } : { role, name, index: next++, owner };
    if (states !== undefined) {
      if (typeof states !== 'object' || states === null) return undefined;
      const given = states as Record<string, unknown>;
      for (const state in given) {
        if (!Object.hasOwn(given, state)) continue;
        const value = given[state];
        if (!Object.hasOwn(STATE_TYPES, state)) return undefined;
        if (!STATE_TYPES[state as keyof WireStates](value)) return undefined;
        (node as unknown as Record<string, unknown>)[state] = value;
      }
    }
    if (children !== undefined && children !== 0) {
      const nodes = nodesOf(children);
      if (nodes === undefined) return undefined;
      node.children = nodes;
    }
    if (role === 'iframe') iframes.set(next - 1, node);
    return node;
  };
  const nodes = nodesOf(wire);
  return nodes === undefined ? undefined : { nodes, iframes };
}

function parse(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The walk of one frame: its nodes, and the title of its document. */
interface FrameReading extends Decoded {
  truncated: boolean;
  title: string;
}

/**
 * Walks one frame in one message. A reading that is not the plain JSON of the walk's nodes (the
 * page replaced `JSON`) is taken again as an object, which crosses without the page's JSON.
 */
async function walkFrame(
  frame: Frame,
  limit: number,
  root: ElementHandle | null,
  key: string,
  owner: number,
): Promise<FrameReading> {
  // The page may have changed what its own objects hold: nothing is taken on trust.
  const take = (reading: Reading, decoded: Decoded): FrameReading => {
    const { truncated, title } = reading as { truncated?: unknown; title?: unknown };
    return {
      ...decoded,
      truncated: truncated === true,
      title: typeof title === 'string' ? title : '',
    };
  };
  const reading = await frame.evaluate(collect, limit, root, false, key, ROLES);
  const decoded = decode(parse(reading.json), owner);
  if (decoded !== undefined) return take(reading, decoded);
  const again = await frame.evaluate(collect, limit, root, true, key, ROLES);
  return take(again, decode(again.nodes, owner) ?? { nodes: [], iframes: new Map() });
}

/** Reads one frame, then grafts its child frames' trees under their iframe nodes. */
async function readFrame(
  frame: Frame,
  limit: number,
  root: ElementHandle | null,
  key: string,
  frames: Frame[],
): Promise<{ nodes: PageNode[]; truncated: boolean; title: string }> {
  const owner = frames.push(frame) - 1;
  const { nodes, iframes, truncated, title } = await walkFrame(frame, limit, root, key, owner);
  let cut = truncated;
  for (const child of iframes.size > 0 ? frame.childFrames() : []) {
    const ownerElement = await child.frameElement();
    if (ownerElement === null) continue;
    const index = await frame.evaluate(
      (key, element) => {
        const list: unknown = (window as unknown as Record<string, unknown>)[key];
        return Array.isArray(list) ? list.indexOf(element) : -1;
      },
      key,
      ownerElement,
    );
    await ownerElement.dispose();
    const node = iframes.get(index);
    if (node === undefined) continue;
    try {
      const inner = await readFrame(child, limit, null, key, frames);
      node.children = inner.nodes;
      cut ||= inner.truncated;
    } catch {
      // A frame can navigate or detach while it is read; it then shows as an empty iframe.
    }
  }
  return { nodes, truncated: cut, title };
}

/**
 * Reads the page (or the subtree under `root`, in root's frame) with every iframe's document in
 * place, at most `limit` elements per frame. The elements stay in each frame's page under `key`.
 */
export async function readPageTree(
  frame: Frame,
  limit: number,
  root: ElementHandle | null,
  key: string,
): Promise<PageTree> {
  const frames: Frame[] = [];
  const read = root?.frame ?? frame;
  const { nodes, truncated, title } = await readFrame(read, limit, root, key, frames);
  // A root that is hidden reads as nothing: an empty document.
  const top: PageNode = { role: 'RootWebArea', children: nodes };
  return {
    root: root === null ? top : (nodes[0] ?? top),
    truncated,
    frames,
    title: read === frame ? title : undefined,
  };
}

/** Lets go of the elements an earlier snapshot kept in `frames`, in the background. */
export function releaseElements(frames: readonly Frame[], key: string): void {
  const release = async (frame: Frame): Promise<void> => {
    // A detached frame took its document, and the elements with it; puppeteer refuses it at once.
    if (frame.detached) return;
    await frame.evaluate((key) => Reflect.deleteProperty(window, key), key);
  };
  for (const frame of frames) release(frame).catch(() => undefined);
}

/** The element a ref points at, or null when it has left the page. */
export async function elementAt(ref: ElementRef): Promise<ElementHandle | null> {
  const handle = await ref.frame.evaluateHandle(
    (key, index) => {
      const list: unknown = (window as unknown as Record<string, unknown>)[key];
      const element: unknown = Array.isArray(list) ? list[index] : undefined;
      return element instanceof Element && element.isConnected ? element : null;
    },
    ref.key,
    ref.index,
  );
  const element = handle.asElement();
  if (element === null) await handle.dispose();
  return element as ElementHandle | null;
}
