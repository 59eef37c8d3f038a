/**
 * @module
 * {@link htmlToMarkdown}: a canvas as Markdown. Slack hands a canvas's private download out as
 * HTML (headings, paragraphs, lists and checklists, quotes, code, links, tables); models read
 * Markdown better and in fewer tokens. The HTML is read by one linear scan of tags and text,
 * never evaluated: scripts, styles and comments are dropped with their contents, attributes other
 * than a link's http(s) or mailto address are ignored, and entities are decoded once. What comes
 * out is still untrusted text, fenced off by the caller.
 */

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  bull: '•',
};

/** HTML entities decoded: named ones of {@link NAMED_ENTITIES} and numeric ones; others kept. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code =
        name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff)
        ? String.fromCodePoint(code)
        : '';
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** Elements dropped with everything inside them. */
const DROPPED = /<(script|style|head|template|noscript)\b[^>]*>[\s\S]*?<\/\1\s*>|<!--[\s\S]*?-->/gi;

const TOKEN = /<(\/?)([a-z][a-z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>|([^<]+)|(<)/gi;

const INLINE_MARKS: Readonly<Record<string, string>> = {
  b: '**',
  strong: '**',
  i: '_',
  em: '_',
  s: '~~',
  del: '~~',
  strike: '~~',
};

const BLOCKS = new Set([
  'p',
  'div',
  'section',
  'article',
  'header',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'li',
  'blockquote',
  'pre',
  'table',
  'hr',
]);

function attribute(attributes: string, name: string): string | undefined {
  const match = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s"'>]+))`, 'i').exec(
    attributes,
  );
  if (match === null) return undefined;
  return decodeEntities(match[1] ?? match[2] ?? match[3] ?? '');
}

/** A link target worth showing: http(s) or mailto, with the characters that end Markdown links encoded. */
function linkTarget(href: string | undefined): string | undefined {
  if (href === undefined) return undefined;
  try {
    const url = new URL(href.trim());
    if (url.protocol !== 'https:' && url.protocol !== 'http:' && url.protocol !== 'mailto:')
      return undefined;
    return url.href.replace(/\(/g, '%28').replace(/\)/g, '%29').replace(/ /g, '%20');
  } catch {
    return undefined;
  }
}

interface ListLevel {
  readonly ordered: boolean;
  next: number;
  readonly checklist: boolean;
}

/** Which blocks sit on consecutive lines: items of one list, rows of one table, lines of code. */
type Group = 'paragraph' | 'list' | 'table' | 'code';

interface Block {
  readonly text: string;
  readonly group: Group;
}

/** The Markdown of canvas HTML: headings, emphasis, links, lists, checklists, quotes, code and tables. */
export function htmlToMarkdown(html: string): string {
  const blocks: Block[] = [];
  const lists: ListLevel[] = [];
  const links: (string | undefined)[] = [];
  let line = '';
  let prefix = '';
  let quote = 0;
  let pre: string[] | undefined;
  let row: string[] | undefined;
  let cell: string | undefined;
  let rows = 0;

  const indent = (): string => '  '.repeat(Math.max(0, lists.length - 1));
  const push = (text: string, group: Group): void => {
    const marks = '> '.repeat(quote);
    const marked = text
      .split('\n')
      .map((part) => `${marks}${part}`.trimEnd())
      .join('\n');
    blocks.push({ text: marked, group });
  };
  const write = (text: string): void => {
    if (cell !== undefined) cell += text;
    else line += text;
  };
  const flush = (): void => {
    const item = prefix !== '' && !prefix.startsWith('#');
    const continuation = item ? ' '.repeat(prefix.length) : '';
    const text = line
      .split('\n')
      .map((part) => part.replace(/[ \t]+/g, ' ').trim())
      .filter((part, index, all) => part !== '' || (index > 0 && index < all.length - 1))
      .join(`\n${continuation}`);
    if (text !== '' || item) push(`${prefix}${text}`.trimEnd(), item ? 'list' : 'paragraph');
    line = '';
    prefix = '';
  };

  for (const match of html.replace(DROPPED, '').matchAll(TOKEN)) {
    const [, closing, rawName, attributes = '', text, stray] = match;
    if (text !== undefined || stray !== undefined) {
      const decoded = decodeEntities(text ?? stray!);
      if (pre !== undefined) pre.push(decoded);
      else write(decoded.replace(/\s+/g, ' '));
      continue;
    }
    const name = rawName!.toLowerCase();
    const open = closing === '';
    if (pre !== undefined && !(name === 'pre' && !open)) {
      if (name === 'br') pre.push('\n');
      continue;
    }
    if (BLOCKS.has(name) && cell === undefined) flush();
    switch (name) {
      case 'h1':
      case 'h2':
      case 'h3':
      case 'h4':
      case 'h5':
      case 'h6':
        if (open) prefix = `${'#'.repeat(Number(name[1]))} `;
        break;
      case 'ul':
      case 'ol':
        if (open)
          lists.push({
            ordered: name === 'ol',
            next: Number(attribute(attributes, 'start') ?? 1) || 1,
            checklist: /\bchecklist\b/i.test(attribute(attributes, 'class') ?? ''),
          });
        else lists.pop();
        break;
      case 'li':
        if (open) {
          const level = lists.at(-1);
          const classes = attribute(attributes, 'class') ?? '';
          const box = /\bchecked\b/i.test(classes)
            ? '[x] '
            : level?.checklist === true || /\bunchecked\b/i.test(classes)
              ? '[ ] '
              : '';
          const marker = level?.ordered === true ? `${level.next++}.` : '-';
          prefix = `${indent()}${marker} ${box}`;
        }
        break;
      case 'blockquote':
        quote = Math.max(0, quote + (open ? 1 : -1));
        break;
      case 'pre':
        if (open) pre = [];
        else {
          const code = (pre ?? []).join('').replace(/^\n+|\s+$/g, '');
          const fence = '`'.repeat(Math.max(3, longestRun(code, '`') + 1));
          for (const fenced of [fence, ...code.split('\n'), fence]) push(fenced, 'code');
          pre = undefined;
        }
        break;
      case 'hr':
        push('---', 'paragraph');
        break;
      case 'br':
        write(cell === undefined ? '\n' : ' ');
        break;
      case 'code':
        write('`');
        break;
      case 'a':
        if (open) {
          const target = linkTarget(attribute(attributes, 'href'));
          links.push(target);
          if (target !== undefined) write('[');
        } else {
          const target = links.pop();
          if (target !== undefined) write(`](${target})`);
        }
        break;
      case 'img': {
        const alt = (attribute(attributes, 'alt') ?? '').trim();
        if (alt !== '') write(alt);
        break;
      }
      case 'tr':
        if (open) row = [];
        else if (row !== undefined) {
          push(`| ${row.join(' | ')} |`, 'table');
          if (rows++ === 0) push(`|${' --- |'.repeat(row.length)}`, 'table');
          row = undefined;
        }
        break;
      case 'td':
      case 'th':
        if (open) cell = '';
        else if (cell !== undefined) {
          row?.push(cell.replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|'));
          cell = undefined;
        }
        break;
      case 'table':
        rows = 0;
        break;
      default: {
        const mark = INLINE_MARKS[name];
        if (mark !== undefined) write(mark);
      }
    }
  }
  if (pre !== undefined)
    for (const code of ['```', ...pre.join('').split('\n'), '```']) push(code, 'code');
  flush();
  return blocks
    .map((block, index) => {
      const previous = blocks[index - 1];
      if (previous === undefined) return block.text;
      const tight = previous.group === block.group && block.group !== 'paragraph';
      return `${tight ? '\n' : '\n\n'}${block.text}`;
    })
    .join('')
    .replace(/\*\*\*\*|~~~~/g, '');
}

function longestRun(text: string, char: string): number {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    run = c === char ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}
