/**
 * @module
 * A small, linear-time XML tokenizer for the Office documents this server reads. Not a
 * validating parser: it yields start tags (with their raw attribute text), end tags and decoded
 * text, and skips comments, processing instructions and declarations. Every scan is bounded by
 * `indexOf`, so hostile input (unclosed tags, unclosed comments) cannot make it quadratic.
 */

export type XmlToken =
  | {
      readonly kind: 'open';
      readonly name: string;
      readonly attrs: string;
      readonly empty: boolean;
    }
  | { readonly kind: 'close'; readonly name: string }
  | { readonly kind: 'text'; readonly text: string };

const NAMED: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(
    /&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,8});/g,
    (entity, body: string) => {
      if (body.startsWith('#')) {
        const code = body[1] === 'x' ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
      }
      return NAMED[body] ?? entity;
    },
  );
}

/**
 * Index of the `>` ending a tag whose body starts at `from`, skipping quoted attribute values; -1
 * when the tag never ends (or a `<` shows it is malformed), which ends tokenizing.
 */
function tagEnd(xml: string, from: number): number {
  let quote = 0;
  for (let at = from; at < xml.length; at++) {
    const code = xml.charCodeAt(at);
    if (quote !== 0) {
      if (code === quote) quote = 0;
    } else if (code === 0x22 || code === 0x27) quote = code;
    else if (code === 0x3e) return at;
    else if (code === 0x3c) return -1;
  }
  return -1;
}

export function* tokenize(xml: string): Generator<XmlToken> {
  let at = 0;
  while (at < xml.length) {
    const lt = xml.indexOf('<', at);
    if (lt === -1) {
      yield { kind: 'text', text: decodeEntities(xml.slice(at)) };
      return;
    }
    if (lt > at) yield { kind: 'text', text: decodeEntities(xml.slice(at, lt)) };
    if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt + 4);
      if (end === -1) return;
      at = end + 3;
      continue;
    }
    if (xml.startsWith('<![CDATA[', lt)) {
      const end = xml.indexOf(']]>', lt + 9);
      if (end === -1) return;
      yield { kind: 'text', text: xml.slice(lt + 9, end) };
      at = end + 3;
      continue;
    }
    if (xml[lt + 1] === '?' || xml[lt + 1] === '!') {
      const end = xml.indexOf('>', lt + 2);
      if (end === -1) return;
      at = end + 1;
      continue;
    }
    const end = tagEnd(xml, lt + 1);
    if (end === -1) return;
    const inner = xml.slice(lt + 1, end);
    if (inner.startsWith('/')) {
      yield { kind: 'close', name: inner.slice(1).trim() };
    } else {
      const empty = inner.endsWith('/');
      const body = empty ? inner.slice(0, -1) : inner;
      const space = body.search(/\s/);
      yield {
        kind: 'open',
        name: space === -1 ? body : body.slice(0, space),
        attrs: space === -1 ? '' : body.slice(space),
        empty,
      };
    }
    at = end + 1;
  }
}

/** The value of attribute `name` in a start tag's attribute text. */
export function attribute(attrs: string, name: string): string | undefined {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`(?:^|\\s)${escaped}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(attrs);
  if (match === null) return undefined;
  return decodeEntities(match[1] ?? match[2] ?? '');
}
