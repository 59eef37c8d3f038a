import { describe, expect, it } from 'vitest';
import {
  escapeMrkdwn,
  linkedHosts,
  markdownToMrkdwn,
  massMentions,
  mayUnfurl,
  sanitizeMrkdwn,
  toSlackText,
} from './mrkdwn.js';

const STRICT = { allowUserMentions: false, allowMassMentions: false };
const LOOSE = { allowUserMentions: true, allowMassMentions: true };

describe('Markdown to mrkdwn', () => {
  it('converts emphasis, strike-through, headings, lists and quotes', () => {
    expect(markdownToMrkdwn('**bold** and *it* and _it_ and ~~gone~~', STRICT)).toBe(
      '*bold* and _it_ and _it_ and ~gone~',
    );
    expect(markdownToMrkdwn('# Title\n- one\n  * two\n> quoted **bit**', STRICT)).toBe(
      '*Title*\n• one\n  • two\n> quoted *bit*',
    );
  });

  it('turns Markdown links into Slack links and keeps code literal but escaped', () => {
    expect(markdownToMrkdwn('See [the docs](https://docs.example.com/a?b=1&c=2).', STRICT)).toBe(
      'See <https://docs.example.com/a?b=1&amp;c=2|the docs>.',
    );
    expect(markdownToMrkdwn('run `a < b && **c**`', STRICT)).toBe(
      'run `a &lt; b &amp;&amp; **c**`',
    );
    expect(markdownToMrkdwn('```ts\nif (a < b) { x(); }\n```\nafter', STRICT)).toBe(
      '```\nif (a &lt; b) { x(); }\n```\nafter',
    );
  });

  it('closes an unterminated code fence at the end instead of formatting its content', () => {
    expect(markdownToMrkdwn('```\n**not bold**', STRICT)).toBe('```\n**not bold**\n```');
  });

  it('escapes &, < and > everywhere else, so raw Slack markup shows literally', () => {
    expect(escapeMrkdwn('a & b <c> d')).toBe('a &amp; b &lt;c&gt; d');
    expect(markdownToMrkdwn('<https://evil.example|https://intranet.example/login>', STRICT)).toBe(
      '&lt;https://evil.example|https://intranet.example/login&gt;',
    );
    expect(markdownToMrkdwn('<!date^1392734382^{date}|x> <javascript:alert(1)>', STRICT)).toBe(
      '&lt;!date^1392734382^{date}|x&gt; &lt;javascript:alert(1)&gt;',
    );
  });

  it('shows a link whose text is another address as text followed by the real link', () => {
    expect(
      markdownToMrkdwn('[https://intranet.example/login](https://evil.example/x)', STRICT),
    ).toBe('https://intranet.example/login (<https://evil.example/x>)');
    expect(markdownToMrkdwn('[docs.example.com](https://docs.example.com/page)', STRICT)).toBe(
      '<https://docs.example.com/page|docs.example.com>',
    );
  });

  it('refuses to link anything but http, https and mailto', () => {
    expect(markdownToMrkdwn('[click](javascript:alert(1))', STRICT)).not.toContain('<javascript');
    expect(markdownToMrkdwn('[file](file:///etc/passwd)', STRICT)).toBe(
      'file (file:///etc/passwd)',
    );
  });

  it('keeps user and mass mentions literal unless the operator allows them', () => {
    expect(markdownToMrkdwn('hi <@U0ADMIN> and <#C0GENERAL>', STRICT)).toBe(
      'hi &lt;@U0ADMIN&gt; and <#C0GENERAL>',
    );
    expect(markdownToMrkdwn('hi <@U0ADMIN>, @here and <!channel>', LOOSE)).toBe(
      'hi <@U0ADMIN>, <!here> and <!channel>',
    );
  });

  it('keeps Slack formatting as written in mrkdwn mode, still escaping stray markup', () => {
    expect(sanitizeMrkdwn('*bold* _it_ <https://docs.example.com|docs> <!here> a<b', STRICT)).toBe(
      '*bold* _it_ <https://docs.example.com/|docs> &lt;!here&gt; a&lt;b',
    );
    expect(sanitizeMrkdwn('<https://evil.example|https://intranet.example/login>', STRICT)).toBe(
      'https://intranet.example/login (<https://evil.example/>)',
    );
    expect(sanitizeMrkdwn('> quote', STRICT)).toBe('> quote');
  });

  it('escapes everything and converts nothing in plain mode', () => {
    expect(toSlackText('**x** <@U1> [a](https://b.example)', 'plain', LOOSE)).toBe(
      '**x** &lt;@U1&gt; [a](https://b.example)',
    );
  });
});

describe('mass mentions', () => {
  it('finds every form of @channel, @here, @everyone and user groups', () => {
    expect(
      massMentions(
        '<!channel> <!here|here> <!everyone> <!subteam^S123|@team> @Here email@here.com',
      ),
    ).toEqual(['<!channel>', '<!here|here>', '<!everyone>', '<!subteam^S123|@team>', '@Here']);
    expect(massMentions('nothing to see, bob@channel.example')).toEqual([]);
  });
});

describe('unfurling', () => {
  it('finds linked hosts, bare URLs and domain-shaped words', () => {
    expect(
      linkedHosts(
        '<https://a.example/x|a> see https://b.example/y and c.example, <mailto:me@d.example>',
      ),
    ).toEqual(['a.example', 'd.example', 'b.example', 'c.example']);
  });

  it('never unfurls without allowed domains, and only when every link is allowed', () => {
    const text = '<https://docs.example.com/a|docs>';
    expect(mayUnfurl(text, [])).toBe(false);
    expect(mayUnfurl(text, ['example.com'])).toBe(true);
    expect(mayUnfurl(`${text} https://attacker.example/?d=secret`, ['example.com'])).toBe(false);
    expect(mayUnfurl('no links at all', ['example.com'])).toBe(false);
    expect(mayUnfurl('<https://example.com.attacker.example/>', ['example.com'])).toBe(false);
  });
});
