/**
 * @module
 * A browser for tests of flows a person completes in a browser (the connect flow of upstream
 * accounts): `fetch` with a cookie jar per host, following redirects itself so that each hop is
 * seen, and filling in the test issuer's login and consent forms as the person it was made for.
 * It stops at the first page that is neither a redirect nor one of those forms.
 */

/** A page the browser stopped at, and every URL it went through to get there. */
export interface BrowsedPage {
  readonly status: number;
  readonly url: string;
  readonly text: string;
  readonly visited: readonly string[];
}

const MAX_HOPS = 20;

/** The test issuer's forms: the login prompt and the consent prompt. */
function formOf(html: string): { action: string; prompt: 'login' | 'consent' } | undefined {
  const action = /<form[^>]*action="([^"]+)"[^>]*method="post"/.exec(html)?.[1];
  const prompt = /name="prompt" value="(login|consent)"/.exec(html)?.[1];
  if (action === undefined || prompt === undefined) return undefined;
  return { action: action.replaceAll('&amp;', '&'), prompt: prompt as 'login' | 'consent' };
}

export class TestBrowser {
  /** Whom the browser signs in as at the test issuer's login form. */
  readonly login: string;
  /** Cookies by host, then by name. */
  readonly #jar = new Map<string, Map<string, string>>();

  constructor(login: string) {
    this.login = login;
  }

  /** Opens `url` and follows redirects and the issuer's forms to the page at the end. */
  async open(url: string): Promise<BrowsedPage> {
    const visited: string[] = [];
    let next: { url: string; form?: URLSearchParams } = { url };
    for (let hop = 0; hop < MAX_HOPS; hop += 1) {
      visited.push(next.url);
      const response = await this.#fetch(next.url, next.form);
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location !== null) {
        await response.body?.cancel();
        next = { url: new URL(location, next.url).href };
        continue;
      }
      const text = await response.text();
      const form = formOf(text);
      if (form === undefined) return { status: response.status, url: next.url, text, visited };
      next = {
        url: new URL(form.action, next.url).href,
        form: new URLSearchParams(
          form.prompt === 'login'
            ? { prompt: 'login', login: this.login, password: 'any' }
            : { prompt: 'consent' },
        ),
      };
    }
    throw new Error(`More than ${MAX_HOPS} redirects from ${url}`);
  }

  /** Whether the browser holds a cookie named `name` for `host`. */
  hasCookie(host: string, name: string): boolean {
    return this.#jar.get(host)?.has(name) ?? false;
  }

  async #fetch(url: string, form: URLSearchParams | undefined): Promise<Response> {
    const { host } = new URL(url);
    const cookies = [...(this.#jar.get(host) ?? new Map<string, string>())]
      .map(([name, value]) => `${name}=${value}`)
      .join('; ');
    const response = await fetch(url, {
      method: form === undefined ? 'GET' : 'POST',
      redirect: 'manual',
      headers: {
        ...(cookies === '' ? {} : { Cookie: cookies }),
        ...(form === undefined ? {} : { 'Content-Type': 'application/x-www-form-urlencoded' }),
      },
      ...(form === undefined ? {} : { body: form.toString() }),
    });
    for (const line of response.headers.getSetCookie()) this.#keep(host, line);
    return response;
  }

  #keep(host: string, line: string): void {
    const [pair = '', ...attributes] = line.split(';');
    const equals = pair.indexOf('=');
    if (equals <= 0) return;
    const name = pair.slice(0, equals).trim();
    const value = pair.slice(equals + 1).trim();
    const cookies = this.#jar.get(host) ?? new Map<string, string>();
    this.#jar.set(host, cookies);
    const expired = attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute));
    if (expired || value === '') cookies.delete(name);
    else cookies.set(name, value);
  }
}
