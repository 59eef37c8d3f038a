/**
 * @module
 * The script that reads a page: one walk of the DOM inside the page that computes, for every
 * visible element, the role, accessible name and states the ARIA mappings describe, and keeps the
 * elements in an array on the window (under a key only the server knows) so refs can reach them
 * later without a handle. It runs in the page (puppeteer serialises it), so it may use nothing
 * from any module: only its parameters and the page's DOM.
 */
import type { AxNode } from './snapshot.js';

/** A node as the page reports it: an {@link AxNode} plus where its element is. */
export interface PageNode extends AxNode {
  /** Index of the element in its frame's element array. */
  index?: number;
  /** Which frame's element array `index` refers to (a position in `PageTree.frames`). */
  owner?: number;
  children?: PageNode[];
}

/** The states of an element, present only when set. */
export type WireStates = Pick<
  AxNode,
  | 'level'
  | 'checked'
  | 'pressed'
  | 'selected'
  | 'expanded'
  | 'disabled'
  | 'focused'
  | 'required'
  | 'modal'
  | 'url'
  | 'value'
>;

/**
 * An element as the walk sends it, compact: its role (a position in the role table the walk was
 * given, or the role itself when the table lacks it), its name (`''` for none), its children (`0`
 * for none) and its states; trailing parts are left out when empty. Its element's index in the
 * array is not sent: elements are numbered in the order they appear in the tree.
 */
export type WireElement =
  | [role: number | string, name: string]
  | [role: number | string, name: string, children: WireNode[] | 0]
  | [role: number | string, name: string, children: WireNode[] | 0, states: WireStates];

/** A text node is its text; anything else is an element. */
export type WireNode = string | WireElement;

/**
 * What one walk gives back, by value in one message (every message to the browser costs a round
 * trip on a busy machine): the nodes under the document (or the root element alone), as JSON text,
 * which crosses the DevTools protocol faster than the object; the elements stay in the page.
 */
export interface Reading {
  /** The nodes as JSON text; undefined when asked for the object or when `JSON.stringify` throws. */
  json?: string;
  /** The nodes as an object, only when asked for (`asObject`). */
  nodes?: WireNode[];
  truncated: boolean;
  /** The title of the document read. */
  title: string;
}

/**
 * Runs inside the page (serialised by puppeteer), so it may use nothing from this module.
 * Reads the tree below `root` (or the whole document) and keeps its elements in
 * `window[key]`, replacing the previous snapshot's; the nodes come back as JSON text, or as an
 * object with `asObject` (for pages whose JSON cannot be trusted). `roles` is the role table.
 */
export function collect(
  limit: number,
  root: Element | null,
  asObject: boolean,
  key: string,
  roles: readonly string[],
): Reading {
  const elements: Element[] = [];
  const roleCodes = new Map(roles.map((role, code) => [role, code]));
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

  // `attributed` is `element.hasAttributes()`, read once per element: most elements carry no
  // attribute at all, and then none of the attribute reads below can find anything.
  const roleOf = (element: Element, attributed: boolean): string => {
    const explicit = attributed ? element.getAttribute('role')?.trim().split(/\s+/)[0] : undefined;
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

  const nameOf = (element: Element, role: string, attributed: boolean): string => {
    const labelledBy = attributed ? element.getAttribute('aria-labelledby') : null;
    if (labelledBy !== null && labelledBy.trim() !== '') {
      const doc = element.ownerDocument;
      const text = labelledBy
        .trim()
        .split(/\s+/)
        .map((id) => doc.getElementById(id)?.textContent ?? '')
        .join(' ');
      if (squash(text) !== '') return cap(text);
    }
    const label = attributed ? element.getAttribute('aria-label') : null;
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
    return attributed ? cap(element.getAttribute('title') ?? '') : '';
  };

  const isHidden = (element: Element, attributed: boolean): boolean => {
    if (
      attributed &&
      (element.getAttribute('aria-hidden') === 'true' || element.hasAttribute('inert'))
    )
      return true;
    const tag = element.localName;
    // Options of a closed select have no box but are part of the control.
    if (tag === 'option' || tag === 'optgroup') return false;
    if (element.checkVisibility({ visibilityProperty: true })) return false;
    // display: contents has no box of its own; its children may still show.
    return element.ownerDocument.defaultView?.getComputedStyle(element).display !== 'contents';
  };

  const states = (element: Element, role: string, attributed: boolean): WireStates | undefined => {
    let marks: WireStates | undefined;
    const set = <K extends keyof WireStates>(name: K, value: WireStates[K]): void => {
      (marks ??= {})[name] = value;
    };
    const tag = element.localName;
    const control = element as HTMLInputElement;
    const aria = (name: string): string | null =>
      attributed ? element.getAttribute(`aria-${name}`) : null;
    if (role === 'heading') {
      const level = Number(aria('level') ?? tag.slice(1));
      if (Number.isInteger(level) && level > 0) set('level', level);
    }
    if (role === 'checkbox' || role === 'radio' || role === 'switch') {
      const checked = aria('checked');
      set(
        'checked',
        tag === 'input'
          ? control.indeterminate
            ? 'mixed'
            : control.checked
          : checked === 'mixed'
            ? 'mixed'
            : checked === 'true',
      );
    }
    const pressed = aria('pressed');
    if (pressed === 'true') set('pressed', true);
    if (pressed === 'mixed') set('pressed', 'mixed');
    if (tag === 'option') set('selected', (element as HTMLOptionElement).selected);
    else if (aria('selected') === 'true') set('selected', true);
    const expanded = aria('expanded');
    if (expanded !== null) set('expanded', expanded === 'true');
    if (tag === 'details') set('expanded', (element as HTMLDetailsElement).open);
    // Only form controls have these properties; on other elements they are undefined.
    const formState = element as Partial<HTMLInputElement>;
    if (formState.disabled === true || aria('disabled') === 'true') set('disabled', true);
    if (formState.required === true || aria('required') === 'true') set('required', true);
    if (element === active && element !== document.body) set('focused', true);
    if (aria('modal') === 'true') set('modal', true);
    if (role === 'link') {
      const href = (element as HTMLAnchorElement).href;
      if (typeof href === 'string' && href !== '') set('url', href);
    }
    if (tag === 'input' || tag === 'textarea') {
      if (
        !['checkbox', 'radio', 'button', 'submit', 'reset', 'image', 'file', 'hidden'].includes(
          control.type,
        )
      ) {
        set(
          'value',
          control.type === 'password'
            ? '•'.repeat(Math.min(control.value.length, 12))
            : control.value,
        );
      }
    } else if (tag === 'select') {
      const select = element as HTMLSelectElement;
      set(
        'value',
        Array.from(select.selectedOptions, (option) => squash(option.label || option.text)).join(
          ', ',
        ),
      );
    } else if (role === 'textbox') {
      set('value', cap(element.textContent ?? ''));
    }
    return marks;
  };

  // Node types as numbers: `Node.TEXT_NODE` is a lookup on the window for every node.
  const TEXT_NODE = 3;
  const ELEMENT_NODE = 1;

  const walk = (current: Node, siblings: WireNode[], named: boolean): void => {
    if (truncated) return;
    if (current.nodeType === TEXT_NODE) {
      if (named) return;
      const text = squash((current as Text).data);
      if (text === '') return;
      count++;
      siblings.push(text.slice(0, 2000));
      return;
    }
    if (current.nodeType !== ELEMENT_NODE) return;
    const element = current as Element;
    if (SKIP.has(element.localName)) return;
    const attributed = element.hasAttributes();
    if (isHidden(element, attributed)) return;
    if (++count > limit) {
      truncated = true;
      return;
    }
    const role = roleOf(element, attributed);
    // Its place in the tree is its index: elements are numbered in the order they appear.
    elements.push(element);
    const code = roleCodes.get(role) ?? role;
    const name = nameOf(element, role, attributed);
    const marks = states(element, role, attributed);
    const children: WireNode[] = [];
    // An iframe's document is read in its own frame; a control's own parts (an input's shadow
    // tree, a select's options list) are not content.
    const leaf =
      role === 'iframe' ||
      element.localName === 'input' ||
      element.localName === 'textarea' ||
      role === 'img';
    if (!leaf) walkChildren(element, children, named || NAME_FROM_CONTENT.has(role));
    const inside = children.length > 0 ? children : 0;
    siblings.push(
      marks !== undefined
        ? [code, name, inside, marks]
        : inside !== 0
          ? [code, name, inside]
          : [code, name],
    );
  };

  const walkChildren = (element: Element, children: WireNode[], named: boolean): void => {
    const source = element.shadowRoot ?? element;
    if (element.localName === 'slot' && 'assignedNodes' in element) {
      const assigned = (element as HTMLSlotElement).assignedNodes({ flatten: true });
      if (assigned.length > 0) {
        for (const child of assigned) walk(child, children, named);
        return;
      }
    }
    // Reading the page changes nothing in it, so the siblings can be followed as they are.
    for (let child = source.firstChild; child !== null; child = child.nextSibling)
      walk(child, children, named);
  };

  const nodes: WireNode[] = [];
  if (root === null) walkChildren(document.body ?? document.documentElement, nodes, false);
  else walk(root, nodes, false);
  // The previous snapshot's elements in this document are let go with the property they were in.
  try {
    Object.defineProperty(window, key, { value: elements, configurable: true, writable: true });
  } catch {
    // The page took the property for itself: the snapshot still reads, its refs find nothing.
  }
  const reading: Reading = { truncated, title: document.title };
  if (asObject) reading.nodes = nodes;
  else
    try {
      reading.json = JSON.stringify(nodes);
    } catch {
      // The page's JSON is not the plain one; the caller asks for the object instead.
    }
  return reading;
}
