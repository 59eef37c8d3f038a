/**
 * @module
 * Reads a page as an accessibility-style tree in one pass inside the page, frame by frame.
 * Chromium's own accessibility tree costs seconds on large pages (about 5 s for 5,000 links); a
 * walk of the DOM that computes roles, names and states the way the ARIA mappings describe takes
 * milliseconds. Hidden content (`display: none`, `visibility: hidden`, `aria-hidden`) is left
 * out. The elements stay reachable from Node through one array handle per frame, so a ref costs
 * nothing until a tool uses it.
 */
import type { ElementHandle, Frame, JSHandle } from 'puppeteer-core';
import { collect, type Collected, type PageNode } from './page-collect.js';

/** Where a ref points: an element array of one frame, and a position in it. */
export interface ElementRef {
  readonly elements: JSHandle<Element[]>;
  readonly index: number;
}

export interface PageTree {
  readonly root: PageNode;
  /** True when the node limit stopped the walk. */
  readonly truncated: boolean;
  /** The element array of every frame read; dispose them when the refs are replaced. */
  readonly arrays: JSHandle<Element[]>[];
  /** The title of the frame asked for, when the walk was in it (not in a root's other frame). */
  readonly title: string | undefined;
}

/**
 * The tree from the page's JSON text, or undefined when the page's JSON is not the plain one: a
 * page may replace `JSON.stringify` or give arrays or objects a `toJSON` method (old libraries
 * did), and then the tree is read as an object instead.
 */
function parseTree(text: string | undefined): PageNode | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { role, children } = value as { role?: unknown; children?: unknown };
  if (typeof role !== 'string' || (children !== undefined && !Array.isArray(children)))
    return undefined;
  return value as PageNode;
}

/** Finds the iframe nodes of a tree, by element index. */
function iframeNodes(node: PageNode, found: Map<number, PageNode>): Map<number, PageNode> {
  if (node.frame === true && node.index !== undefined) found.set(node.index, node);
  for (const child of node.children ?? []) iframeNodes(child, found);
  return found;
}

/** Marks nodes (not already marked by a nested frame) as belonging to element array `owner`. */
function claim(nodes: readonly PageNode[], owner: number): void {
  for (const node of nodes) {
    if (node.owner !== undefined) continue;
    node.owner = owner;
    claim(node.children ?? [], owner);
  }
}

/** The walk of one frame: its tree, its elements, and the title of its document. */
interface FrameReading {
  tree: PageNode;
  elements: JSHandle<Element[]>;
  truncated: boolean;
  title: string;
}

/**
 * Walks one frame and takes what the walk found in one more call, which also strips it from the
 * element array so that only the elements stay in the page. A tree that is not the plain JSON of
 * one (the page replaced `JSON`) is read again as an object.
 */
async function walkFrame(
  frame: Frame,
  limit: number,
  root: ElementHandle | null,
): Promise<FrameReading> {
  const take = (collected: Collected) => {
    const taken = {
      json: collected.json,
      tree: collected.tree,
      truncated: collected.truncated === true,
      title: collected.title ?? '',
    };
    // Only the elements stay in the page: the JSON text and the tree are let go.
    collected.json = undefined;
    collected.tree = undefined;
    return taken;
  };
  const elements = await frame.evaluateHandle(collect, limit, root, false);
  const { json, truncated, title } = await elements.evaluate(take);
  const tree = parseTree(json);
  if (tree !== undefined) return { tree, elements, truncated, title };
  elements.dispose().catch(() => undefined);
  const again = await frame.evaluateHandle(collect, limit, root, true);
  const read = await again.evaluate(take);
  const object = read.tree ?? { role: 'RootWebArea' };
  return { tree: object, elements: again, truncated: read.truncated, title: read.title };
}

/** Reads one frame, then grafts its child frames' trees under their iframe nodes. */
async function readFrame(
  frame: Frame,
  limit: number,
  root: ElementHandle | null,
  arrays: JSHandle<Element[]>[],
): Promise<{ node: PageNode; truncated: boolean; title: string }> {
  const { tree, elements, truncated, title } = await walkFrame(frame, limit, root);
  const owner = arrays.push(elements) - 1;
  const frames = iframeNodes(tree, new Map());
  let cut = truncated;
  for (const child of frames.size > 0 ? frame.childFrames() : []) {
    const ownerElement = await child.frameElement();
    if (ownerElement === null) continue;
    const index = await elements.evaluate(
      (list, element) => list.indexOf(element as Element),
      ownerElement,
    );
    await ownerElement.dispose();
    const node = frames.get(index);
    if (node === undefined) continue;
    try {
      const inner = await readFrame(child, limit, null, arrays);
      node.children = inner.node.children ?? [];
      cut ||= inner.truncated;
    } catch {
      // A frame can navigate or detach while it is read; it then shows as an empty iframe.
    }
  }
  claim([tree], owner);
  return { node: tree, truncated: cut, title };
}

/**
 * Reads the page (or the subtree under `root`, in root's frame) with every iframe's document in
 * place, at most `limit` elements per frame.
 */
export async function readPageTree(
  frame: Frame,
  limit: number,
  root: ElementHandle | null,
): Promise<PageTree> {
  const arrays: JSHandle<Element[]>[] = [];
  const read = root?.frame ?? frame;
  const { node, truncated, title } = await readFrame(read, limit, root, arrays);
  return { root: node, truncated, arrays, title: read === frame ? title : undefined };
}

/** The element a ref points at, or null when it has left the page. */
export async function elementAt(ref: ElementRef): Promise<ElementHandle | null> {
  const handle = await ref.elements.evaluateHandle((list, index) => {
    const element = list[index];
    return element !== undefined && element.isConnected ? element : null;
  }, ref.index);
  const element = handle.asElement();
  if (element === null) await handle.dispose();
  return element as ElementHandle | null;
}
