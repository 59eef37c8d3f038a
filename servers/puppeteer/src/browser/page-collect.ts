/**
 * @module
 * The script that reads a page: one walk of the DOM inside the page that computes, for every
 * visible element, the role, accessible name and states the ARIA mappings describe, and keeps the
 * elements in an array so refs can reach them later. It runs in the page (puppeteer serialises
 * it), so it may use nothing from any module: only its parameters and the page's DOM.
 */
import type { AxNode } from './snapshot.js';

/** A node as the page reports it: an {@link AxNode} plus where its element is. */
export interface PageNode extends AxNode {
  /** Index of the element in the frame's element array. */
  index?: number;
  /** An iframe whose document is grafted in from Node. */
  frame?: boolean;
  /** Which frame's element array `index` refers to (a position in `PageTree.arrays`). */
  owner?: number;
  children?: PageNode[];
}

/**
 * What one walk gives: the elements the nodes point at (by `index`), carrying the rest of the
 * reading as properties until Node has taken it, so that one handle and one more call fetch it
 * all (every message to the browser costs a round trip on a busy machine).
 */
export type Collected = Element[] & {
  /**
   * The tree as JSON text, which crosses the DevTools protocol in about half the time the object
   * takes; undefined when asked for the object or when the page's `JSON.stringify` throws.
   */
  json?: string | undefined;
  /** The tree as an object, kept only when asked for (`asObject`). */
  tree?: PageNode | undefined;
  truncated?: boolean;
  /** The title of the document read. */
  title?: string;
};

/**
 * Runs inside the page (serialised by puppeteer), so it may use nothing from this module.
 * Returns the elements of the tree below `root` (or the whole document), with the tree attached
 * as JSON text, or as an object with `asObject` (for pages whose JSON cannot be trusted).
 */
export function collect(limit: number, root: Element | null, asObject: boolean): Collected {
  const elements: Element[] = [];
  const active = document.activeElement;
  let count = 0;
  let truncated = false;
  const SKIP = new Set([
    'script',
    'style',
    'noscript',
    'template',
    'head',
    'meta',
    'link',
    'title',
    'base',
  ]);
  const NAME_FROM_CONTENT = new Set([
    'button',
    'link',
    'heading',
    'option',
    'tab',
    'menuitem',
    'menuitemcheckbox',
    'menuitemradio',
    'treeitem',
    'cell',
    'columnheader',
    'rowheader',
    'checkbox',
    'radio',
    'switch',
    'tooltip',
    'term',
  ]);
  const LANDMARKS: Record<string, string> = {
    nav: 'navigation',
    main: 'main',
    header: 'banner',
    footer: 'contentinfo',
    aside: 'complementary',
    form: 'form',
    article: 'article',
    ul: 'list',
    ol: 'list',
    menu: 'list',
    li: 'listitem',
    dl: 'list',
    dt: 'term',
    dd: 'definition',
    table: 'table',
    tr: 'row',
    td: 'cell',
    th: 'columnheader',
    thead: 'rowgroup',
    tbody: 'rowgroup',
    tfoot: 'rowgroup',
    p: 'paragraph',
    hr: 'separator',
    dialog: 'dialog',
    details: 'group',
    summary: 'button',
    fieldset: 'group',
    option: 'option',
    optgroup: 'group',
    progress: 'progressbar',
    meter: 'meter',
    output: 'status',
    figure: 'figure',
    blockquote: 'blockquote',
    code: 'code',
    iframe: 'iframe',
    textarea: 'textbox',
    button: 'button',
    h1: 'heading',
    h2: 'heading',
    h3: 'heading',
    h4: 'heading',
    h5: 'heading',
    h6: 'heading',
  };
  const squash = (text: string): string => text.replace(/\s+/g, ' ').trim();
  const cap = (text: string): string => squash(text.length > 2000 ? text.slice(0, 2000) : text);

  const inputRole = (input: HTMLInputElement): string => {
    switch (input.type) {
      case 'checkbox':
        return 'checkbox';
      case 'radio':
        return 'radio';
      case 'range':
        return 'slider';
      case 'number':
        return 'spinbutton';
      case 'button':
      case 'submit':
      case 'reset':
      case 'image':
      case 'file':
        return 'button';
      case 'search':
        return input.list === null ? 'searchbox' : 'combobox';
      default:
        return input.list === null ? 'textbox' : 'combobox';
    }
  };

  const roleOf = (element: Element): string => {
    const explicit = element.getAttribute('role')?.trim().split(/\s+/)[0];
    if (explicit !== undefined && explicit !== '') return explicit;
    const tag = element.localName;
    if (tag === 'a' || tag === 'area') return element.hasAttribute('href') ? 'link' : 'generic';
    if (tag === 'input') return inputRole(element as HTMLInputElement);
    if (tag === 'select') {
      const select = element as HTMLSelectElement;
      return select.multiple || select.size > 1 ? 'listbox' : 'combobox';
    }
    if (tag === 'img') return element.getAttribute('alt') === '' ? 'presentation' : 'img';
    if (tag === 'svg')
      return element.hasAttribute('aria-label') || element.querySelector(':scope > title') !== null
        ? 'img'
        : 'generic';
    if (tag === 'section')
      return element.hasAttribute('aria-label') || element.hasAttribute('aria-labelledby')
        ? 'region'
        : 'generic';
    if (
      element.hasAttribute('contenteditable') &&
      element.getAttribute('contenteditable') !== 'false'
    )
      return 'textbox';
    return LANDMARKS[tag] ?? 'generic';
  };

  /** Text of a label without the text of the controls inside it. */
  const labelText = (label: Element): string => {
    let text = '';
    const walker = label.ownerDocument.createTreeWalker(label, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
      if (node.parentElement?.closest('select, textarea, option, button') === null)
        text += ` ${node.textContent ?? ''}`;
    }
    return squash(text);
  };

  // `control.labels` searches the whole document for every control the first time (seconds on a
  // page of thousands of fields), so each tree scope's labels are read once, in document order.
  const labelsByScope = new Map<Node, Map<Element, HTMLLabelElement[]>>();
  const labelsOf = (control: Element): readonly HTMLLabelElement[] => {
    const scope = control.getRootNode() as Document | ShadowRoot;
    let labels = labelsByScope.get(scope);
    if (labels === undefined) {
      labels = new Map();
      for (const label of Array.from(scope.querySelectorAll('label'))) {
        const target = label.control;
        if (target === null) continue;
        const list = labels.get(target);
        if (list === undefined) labels.set(target, [label]);
        else list.push(label);
      }
      labelsByScope.set(scope, labels);
    }
    return labels.get(control) ?? [];
  };

  const nameOf = (element: Element, role: string): string => {
    const labelledBy = element.getAttribute('aria-labelledby');
    if (labelledBy !== null && labelledBy.trim() !== '') {
      const doc = element.ownerDocument;
      const text = labelledBy
        .trim()
        .split(/\s+/)
        .map((id) => doc.getElementById(id)?.textContent ?? '')
        .join(' ');
      if (squash(text) !== '') return cap(text);
    }
    const label = element.getAttribute('aria-label');
    if (label !== null && label.trim() !== '') return cap(label);
    const tag = element.localName;
    if (tag === 'input' || tag === 'select' || tag === 'textarea') {
      const control = element as HTMLInputElement;
      const fromLabels = labelsOf(control).map(labelText).join(' ');
      if (fromLabels !== '') return cap(fromLabels);
      if (tag === 'input' && ['button', 'submit', 'reset'].includes(control.type))
        return cap(
          control.value ||
            (control.type === 'reset' ? 'Reset' : control.type === 'submit' ? 'Submit' : ''),
        );
      if (tag === 'input' && control.type === 'image') return cap(control.alt || 'Submit');
      return cap(element.getAttribute('placeholder') ?? element.getAttribute('title') ?? '');
    }
    if (tag === 'img' || tag === 'area')
      return cap(element.getAttribute('alt') ?? element.getAttribute('title') ?? '');
    if (tag === 'svg') return cap(element.querySelector(':scope > title')?.textContent ?? '');
    if (tag === 'fieldset') return cap(element.querySelector(':scope > legend')?.textContent ?? '');
    if (tag === 'table') return cap(element.querySelector(':scope > caption')?.textContent ?? '');
    if (tag === 'figure')
      return cap(element.querySelector(':scope > figcaption')?.textContent ?? '');
    if (tag === 'iframe')
      return cap(element.getAttribute('title') ?? element.getAttribute('name') ?? '');
    if (NAME_FROM_CONTENT.has(role)) return cap(element.textContent ?? '');
    return cap(element.getAttribute('title') ?? '');
  };

  const isHidden = (element: Element): boolean => {
    if (element.getAttribute('aria-hidden') === 'true' || element.hasAttribute('inert'))
      return true;
    const tag = element.localName;
    // Options of a closed select have no box but are part of the control.
    if (tag === 'option' || tag === 'optgroup') return false;
    if (element.checkVisibility({ visibilityProperty: true })) return false;
    // display: contents has no box of its own; its children may still show.
    return element.ownerDocument.defaultView?.getComputedStyle(element).display !== 'contents';
  };

  const states = (element: Element, node: PageNode): void => {
    const aria = (name: string): string | null => element.getAttribute(`aria-${name}`);
    const control = element as HTMLInputElement;
    if (node.role === 'heading') {
      const level = Number(aria('level') ?? element.localName.slice(1));
      if (Number.isInteger(level) && level > 0) node.level = level;
    }
    if (node.role === 'checkbox' || node.role === 'radio' || node.role === 'switch') {
      const checked = aria('checked');
      node.checked =
        element.localName === 'input'
          ? control.indeterminate
            ? 'mixed'
            : control.checked
          : checked === 'mixed'
            ? 'mixed'
            : checked === 'true';
    }
    const pressed = aria('pressed');
    if (pressed === 'true') node.pressed = true;
    if (pressed === 'mixed') node.pressed = 'mixed';
    if (element.localName === 'option') node.selected = (element as HTMLOptionElement).selected;
    else if (aria('selected') === 'true') node.selected = true;
    const expanded = aria('expanded');
    if (expanded !== null) node.expanded = expanded === 'true';
    if (element.localName === 'details') node.expanded = (element as HTMLDetailsElement).open;
    // Only form controls have these properties; on other elements they are undefined.
    const formState = element as Partial<HTMLInputElement>;
    if (formState.disabled === true || aria('disabled') === 'true') node.disabled = true;
    if (formState.required === true || aria('required') === 'true') node.required = true;
    if (element === active && element !== document.body) node.focused = true;
    if (aria('modal') === 'true') node.modal = true;
    if (node.role === 'link') {
      const href = (element as HTMLAnchorElement).href;
      if (typeof href === 'string' && href !== '') node.url = href;
    }
    const tag = element.localName;
    if (tag === 'input' || tag === 'textarea') {
      if (
        !['checkbox', 'radio', 'button', 'submit', 'reset', 'image', 'file', 'hidden'].includes(
          control.type,
        )
      ) {
        node.value =
          control.type === 'password'
            ? '•'.repeat(Math.min(control.value.length, 12))
            : control.value;
      }
    } else if (tag === 'select') {
      const select = element as HTMLSelectElement;
      node.value = Array.from(select.selectedOptions, (option) =>
        squash(option.label || option.text),
      ).join(', ');
    } else if (node.role === 'textbox') {
      node.value = cap(element.textContent ?? '');
    }
  };

  // Node types as numbers: `Node.TEXT_NODE` is a lookup on the window for every node.
  const TEXT_NODE = 3;
  const ELEMENT_NODE = 1;

  const walk = (current: Node, parent: PageNode, named: boolean): void => {
    if (truncated) return;
    if (current.nodeType === TEXT_NODE) {
      if (named) return;
      const text = squash((current as Text).data);
      if (text === '') return;
      count++;
      (parent.children ??= []).push({ role: 'text', name: text.slice(0, 2000) });
      return;
    }
    if (current.nodeType !== ELEMENT_NODE) return;
    const element = current as Element;
    if (SKIP.has(element.localName) || isHidden(element)) return;
    if (++count > limit) {
      truncated = true;
      return;
    }
    const role = roleOf(element);
    const name = nameOf(element, role);
    // An empty name is left out: about half the elements have none, and the JSON is smaller.
    const node: PageNode = name === '' ? { role } : { role, name };
    node.index = elements.push(element) - 1;
    states(element, node);
    (parent.children ??= []).push(node);
    if (role === 'iframe') {
      node.frame = true;
      return;
    }
    // A control's own parts (an input's shadow tree, a select's options list) are not content.
    if (element.localName === 'input' || element.localName === 'textarea' || role === 'img') return;
    walkChildren(element, node, named || NAME_FROM_CONTENT.has(role));
  };

  const walkChildren = (element: Element, node: PageNode, named: boolean): void => {
    const source = element.shadowRoot ?? element;
    if (element.localName === 'slot' && 'assignedNodes' in element) {
      const assigned = (element as HTMLSlotElement).assignedNodes({ flatten: true });
      if (assigned.length > 0) {
        for (const child of assigned) walk(child, node, named);
        return;
      }
    }
    // Reading the page changes nothing in it, so the siblings can be followed as they are.
    for (let child = source.firstChild; child !== null; child = child.nextSibling)
      walk(child, node, named);
  };

  const done = (tree: PageNode): Collected => {
    const collected: Collected = elements;
    collected.truncated = truncated;
    collected.title = document.title;
    if (asObject) collected.tree = tree;
    else
      try {
        collected.json = JSON.stringify(tree);
      } catch {
        collected.json = undefined;
      }
    return collected;
  };

  const top: PageNode = { role: 'RootWebArea', name: squash(document.title) };
  if (root === null) {
    walkChildren(document.body ?? document.documentElement, top, false);
    return done(top);
  }
  walk(root, top, false);
  return done(top.children?.[0] ?? top);
}
