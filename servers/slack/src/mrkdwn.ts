/**
 * @module
 * Text on its way into Slack. Models write Markdown; Slack renders its own `mrkdwn`, where `<…>`
 * is markup (mentions, links) and `&`, `<`, `>` must be escaped. Everything a model writes is
 * escaped by Slack's rules except the markup this module builds itself: links from Markdown
 * links (or Slack links in `mrkdwn` mode) whose text cannot pose as another address, channel
 * references, and mentions only where the operator allows them. So `<!channel>`, `<@U…>` or
 * `<https://evil|https://intranet>` in model text arrive as literal text.
 */

/** How posted text is read: Markdown (converted), Slack's mrkdwn as written, or plain text. */
export const FORMATS = ['markdown', 'mrkdwn', 'plain'] as const;
export type Format = (typeof FORMATS)[number];

export interface MentionOptions {
  /** `<@U…>` mentions people. */
  readonly allowUserMentions: boolean;
  /** `@here`, `@channel`, `@everyone` and user-group mentions notify. */
  readonly allowMassMentions: boolean;
}

/** Slack's escaping: the three characters that would otherwise start or end markup. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const MASS_MENTION =
  /<!(?:here|channel|everyone)(?:\|[^>]*)?>|<!subteam\^[^>]*>|(?<![\w@.])@(?:here|channel|everyone)\b/gi;

/** The mass mentions in `text` as written (`<!here>`, `@channel`, `<!subteam^S1>` …). */
export function massMentions(text: string): string[] {
  return [...new Set([...text.matchAll(MASS_MENTION)].map((match) => match[0]))];
}

/** A URL fit to go inside `<…>`: http(s) or mailto, with the characters that end markup encoded. */
function safeUrl(href: string): string | undefined {
  let url: URL;
  try {
    url = new URL(href.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:' && url.protocol !== 'mailto:')
    return undefined;
  return url.href
    .replace(/\|/g, '%7C')
    .replace(/</g, '%3C')
    .replace(/>/g, '%3E')
    .replace(/&/g, '&amp;');
}

const DOMAIN_LIKE =
  /^(?:[a-z][a-z0-9+.-]*:\/\/)?(?:www\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)+)(?::\d+)?(?:[/?#]\S*)?$/i;

function host(url: string): string {
  try {
    return new URL(url.replace(/&amp;/g, '&')).hostname.toLowerCase().replace(/^www\./, '');
  } catch {
    return '';
  }
}

/** True when a link's text looks like an address other than where the link goes. */
function spoofs(label: string, url: string): boolean {
  const shown = DOMAIN_LIKE.exec(label.trim());
  if (shown === null) return false;
  return shown[1]!.toLowerCase() !== host(url);
}

function link(href: string, label: string | undefined): string {
  const url = safeUrl(href);
  if (url === undefined) return escapeMrkdwn(label === undefined ? href : `${label} (${href})`);
  const text = label?.trim();
  if (text === undefined || text === '' || text === href.trim()) return `<${url}>`;
  if (spoofs(text, url)) return `${escapeMrkdwn(text)} (<${url}>)`;
  return `<${url}|${escapeMrkdwn(text)}>`;
}

function slackToken(token: string, whole: string, options: MentionOptions): string {
  if (token.startsWith('#')) return `<${token}>`;
  if (token.startsWith('@')) return options.allowUserMentions ? `<${token}>` : escapeMrkdwn(whole);
  return options.allowMassMentions ? `<${token}>` : escapeMrkdwn(whole);
}

const COMMON = [
  /(?<code>`+)(?<codeText>[^`]|[^`][\s\S]*?[^`])\k<code>(?!`)/.source,
  /\[(?<label>[^\]\n]{1,300})\]\((?<href>[^()\s]{1,2000})(?:\s+"[^"\n]*")?\)/.source,
  /<(?<auto>(?:https?:\/\/|mailto:)[^<>\s|]{1,2000})>/.source,
  /<(?<token>@[UW][A-Z0-9]{2,20}|#[CG][A-Z0-9]{2,20}|!(?:here|channel|everyone)|!subteam\^[A-Z0-9]{2,20})(?:\|[^<>\n]{0,100})?>/
    .source,
  /(?<![\w@.])@(?<mass>here|channel|everyone)\b/.source,
];

/** Slack's own link syntax counts only in mrkdwn mode; in Markdown it is text to show literally. */
const SLACK_LINK =
  /<(?<slackHref>(?:https?:\/\/|mailto:)[^<>\s|]{1,2000})\|(?<slackLabel>[^<>\n]{1,300})>/.source;

const MARKDOWN_ONLY = [
  /\*\*(?<bold>\S(?:[^\n]*?\S)?)\*\*/.source,
  /(?<![\w_])__(?<bold2>\S(?:[^\n]*?\S)?)__(?![\w_])/.source,
  /~~(?<strike>\S(?:[^\n]*?\S)?)~~/.source,
  /(?<![\w*])\*(?<em>[^\s*](?:[^*\n]*?[^\s*])?)\*(?![\w*])/.source,
  /(?<![\w_])_(?<em2>[^\s_](?:[^_\n]*?[^\s_])?)_(?![\w_])/.source,
];

const MARKDOWN_INLINE = new RegExp([...COMMON, ...MARKDOWN_ONLY].join('|'), 'g');
const MRKDWN_INLINE = new RegExp([SLACK_LINK, ...COMMON].join('|'), 'g');

function inline(text: string, markdown: boolean, options: MentionOptions): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(markdown ? MARKDOWN_INLINE : MRKDWN_INLINE)) {
    out += escapeMrkdwn(text.slice(last, match.index));
    last = match.index + match[0].length;
    const g = match.groups ?? {};
    const nested = (inner: string): string => inline(inner, markdown, options);
    if (g.code !== undefined) out += `\`${escapeMrkdwn(g.codeText ?? '')}\``;
    else if (g.label !== undefined) out += link(g.href ?? '', g.label);
    else if (g.slackHref !== undefined) out += link(g.slackHref, g.slackLabel);
    else if (g.auto !== undefined) out += link(g.auto, undefined);
    else if (g.token !== undefined) out += slackToken(g.token, match[0], options);
    else if (g.mass !== undefined)
      out += options.allowMassMentions ? `<!${g.mass.toLowerCase()}>` : escapeMrkdwn(match[0]);
    else if (g.bold !== undefined || g.bold2 !== undefined)
      out += `*${nested(g.bold ?? g.bold2!)}*`;
    else if (g.strike !== undefined) out += `~${nested(g.strike)}~`;
    else if (g.em !== undefined || g.em2 !== undefined) out += `_${nested(g.em ?? g.em2!)}_`;
    else out += escapeMrkdwn(match[0]);
  }
  return out + escapeMrkdwn(text.slice(last));
}

function codeBlock(lines: readonly string[]): string {
  return `\`\`\`\n${escapeMrkdwn(lines.join('\n'))}\n\`\`\``;
}

/** Markdown to Slack mrkdwn: emphasis, links, headings, lists, quotes and code blocks. */
export function markdownToMrkdwn(markdown: string, options: MentionOptions): string {
  const out: string[] = [];
  let fence: string | undefined;
  let block: string[] = [];
  for (const line of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    if (fence !== undefined) {
      const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
      if (close !== null && close[1]![0] === fence[0] && close[1]!.length >= fence.length) {
        out.push(codeBlock(block));
        fence = undefined;
        block = [];
      } else block.push(line);
      continue;
    }
    const open = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (open !== null) {
      fence = open[1]!;
      continue;
    }
    const heading = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line);
    const rule = /^ {0,3}([-*_])(?:\s*\1){2,}\s*$/.test(line);
    const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(line);
    const quote = /^ {0,3}>\s?(.*)$/.exec(line);
    if (heading !== null) out.push(`*${inline(heading[1]!, true, options)}*`);
    else if (rule) out.push('──────────');
    else if (bullet !== null) out.push(`${bullet[1]!}• ${inline(bullet[2]!, true, options)}`);
    // A quote keeps its leading ">" unescaped: that is how mrkdwn marks a quote.
    else if (quote !== null) out.push(`> ${inline(quote[1]!, true, options)}`);
    else out.push(inline(line, true, options));
  }
  if (fence !== undefined) out.push(codeBlock(block));
  return out.join('\n');
}

/** Slack's own mrkdwn as written, with `<…>` markup kept only where this module allows it. */
export function sanitizeMrkdwn(text: string, options: MentionOptions): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => {
      const quote = /^>\s?(.*)$/.exec(line);
      return quote === null
        ? inline(line, false, options)
        : `> ${inline(quote[1]!, false, options)}`;
    })
    .join('\n');
}

/** Text in the chosen format as Slack should receive it. */
export function toSlackText(text: string, format: Format, options: MentionOptions): string {
  switch (format) {
    case 'markdown':
      return markdownToMrkdwn(text, options);
    case 'mrkdwn':
      return sanitizeMrkdwn(text, options);
    case 'plain':
      return escapeMrkdwn(text);
  }
}

const LINKED = /<((?:https?|mailto):[^|>\s]+)(?:\|[^>]*)?>/g;
const HOST_SHAPED = /^(?:[a-z0-9-]+\.)+[a-z]{2,24}$/i;

/** The host a word would link to if Slack linked it: a URL's host, or the word when it is domain-shaped. */
function wordHost(word: string): string | undefined {
  const scheme = /^https?:\/\//i.exec(word);
  if (scheme !== null) return host(word) || undefined;
  const candidate = (word.split('@').pop() ?? '')
    .split(/[/:?#]/, 1)[0]!
    .replace(/^www\./i, '')
    .replace(/[.-]+$/, '');
  return HOST_SHAPED.test(candidate) ? candidate.toLowerCase() : undefined;
}

/**
 * Hosts Slack might unfurl in outgoing mrkdwn: links, bare URLs, and anything shaped like a
 * domain (Slack links bare domains too; a file name such as "notes.txt" counts, which only ever
 * errs towards not unfurling). Words are split first, so the work stays linear in the text.
 */
export function linkedHosts(mrkdwn: string): string[] {
  const hosts = new Set<string>();
  for (const match of mrkdwn.matchAll(LINKED)) {
    const url = match[1]!;
    hosts.add(url.startsWith('mailto:') ? (url.split('@')[1] ?? url).toLowerCase() : host(url));
  }
  for (const word of mrkdwn.replace(LINKED, ' ').split(/[\s<>|()"'[\]{},;!*_~`]+|&[a-z]+;/i)) {
    if (!word.includes('.')) continue;
    const found = wordHost(word.replace(/^[.:]+/, ''));
    if (found !== undefined) hosts.add(found);
  }
  return [...hosts];
}

/** Whether Slack may unfurl: only when there are links and every one is on an allowed domain. */
export function mayUnfurl(mrkdwn: string, allowedDomains: readonly string[]): boolean {
  if (allowedDomains.length === 0) return false;
  const hosts = linkedHosts(mrkdwn);
  return (
    hosts.length > 0 &&
    hosts.every(
      (name) =>
        name !== '' &&
        allowedDomains.some((domain) => name === domain || name.endsWith(`.${domain}`)),
    )
  );
}
