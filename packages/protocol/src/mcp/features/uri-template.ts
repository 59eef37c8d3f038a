/**
 * @module
 * RFC 6570 URI templates, the subset resource templates use: `{var}`, `{+var}`, `{/var*}`,
 * `{?a,b}`-free. Matching is one anchored regular expression with no nested quantifiers, and URIs
 * longer than {@link MAX_URI_LENGTH} are refused before matching, so no input can make it slow.
 */

export const MAX_URI_LENGTH = 2048;

export type UriVariables = ReadonlyMap<string, string>;

interface Part {
  name: string;
  operator: '' | '+' | '/';
  explode: boolean;
}

export class UriTemplate {
  readonly template: string;
  readonly variables: readonly string[];
  readonly #pattern: RegExp;
  readonly #parts: readonly Part[];

  constructor(template: string) {
    this.template = template;
    const parts: Part[] = [];
    let source = '^';
    let last = 0;
    for (const match of template.matchAll(/\{([+/]?)([A-Za-z0-9_]+)(\*?)\}/g)) {
      source += escape(template.slice(last, match.index));
      const operator = (match[1] ?? '') as Part['operator'];
      const explode = match[3] === '*';
      parts.push({ name: match[2]!, operator, explode });
      if (operator === '+') source += '(.*?)';
      else if (operator === '/') source += explode ? '((?:/[^/?#]*)*)' : '(?:/([^/?#]*))?';
      else source += '([^/?#]*)';
      last = match.index + match[0].length;
    }
    source += `${escape(template.slice(last))}$`;
    this.#pattern = new RegExp(source);
    this.#parts = parts;
    this.variables = parts.map((part) => part.name);
  }

  /** The variables of `uri`, decoded, or undefined when it does not fit the template. */
  match(uri: string): UriVariables | undefined {
    if (uri.length > MAX_URI_LENGTH) return undefined;
    const found = this.#pattern.exec(uri);
    if (found === null) return undefined;
    const values = new Map<string, string>();
    for (const [index, part] of this.#parts.entries()) {
      let raw = found[index + 1] ?? '';
      if (part.operator === '/' && part.explode) raw = raw.replace(/^\//, '');
      try {
        values.set(part.name, part.operator === '' ? decodeURIComponent(raw) : decodeURI(raw));
      } catch {
        return undefined;
      }
    }
    return values;
  }

  /** Fills the template; values are percent-encoded as the operator requires. */
  expand(values: Readonly<Record<string, string>>): string {
    let index = 0;
    return this.template.replace(/\{([+/]?)([A-Za-z0-9_]+)(\*?)\}/g, () => {
      const part = this.#parts[index++]!;
      const value = values[part.name] ?? '';
      if (part.operator === '+') return encodeURI(value);
      if (part.operator === '/')
        return value === '' ? '' : `/${value.split('/').map(encodeURIComponent).join('/')}`;
      return encodeURIComponent(value);
    });
  }
}

function escape(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
