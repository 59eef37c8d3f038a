import { describe, expect, it } from 'vitest';
import { decodeEntities, htmlToMarkdown } from './canvas-html.js';

describe('htmlToMarkdown', () => {
  it('turns a canvas as Slack serves it into Markdown', () => {
    const html = [
      "<h1 id='temp:C:AAA'>Release plan</h1>",
      "<p class='line'>Ship on <b>Friday</b> &amp; see <a href='https://docs.example.com/plan'>the plan</a></p>",
      '<h2>Risks</h2>',
      "<ul><li class='' value='1'>rollback <i>tested</i></li><li>on-call <code>@alice</code></li></ul>",
      "<ol start='3'><li>third</li><li>fourth</li></ol>",
      "<ul class='checklist'><li class='checked'>done</li><li>open</li></ul>",
      '<blockquote>quoted<br>twice</blockquote>',
      '<pre>const a = 1;\n  if (a &lt; 2) {}</pre>',
      '<hr>',
      '<table><tr><th>Owner</th><th>Task</th></tr><tr><td>Alice</td><td>a | b</td></tr></table>',
    ].join('');
    expect(htmlToMarkdown(html)).toBe(
      [
        '# Release plan',
        '',
        'Ship on **Friday** & see [the plan](https://docs.example.com/plan)',
        '',
        '## Risks',
        '',
        '- rollback _tested_',
        '- on-call `@alice`',
        '3. third',
        '4. fourth',
        '- [x] done',
        '- [ ] open',
        '',
        '> quoted',
        '> twice',
        '',
        '```',
        'const a = 1;',
        '  if (a < 2) {}',
        '```',
        '',
        '---',
        '',
        '| Owner | Task |',
        '| --- | --- |',
        '| Alice | a \\| b |',
      ].join('\n'),
    );
  });

  it('drops scripts, styles, comments and attributes, and links only to http(s) and mailto', () => {
    const markdown = htmlToMarkdown(
      [
        '<style>p { color: red }</style><script>alert("x")</script><!-- hidden note -->',
        '<p onclick="steal()">Click <a href="javascript:steal()">here</a> or <a href="mailto:a@b.example">mail</a></p>',
        '<p><img src="https://tracker.example/p.gif" alt=":wave:"> hello</p>',
      ].join(''),
    );
    expect(markdown).toBe('Click here or [mail](mailto:a@b.example)\n\n:wave: hello');
    expect(markdown).not.toMatch(/alert|hidden note|steal|tracker/);
  });

  it('keeps nested lists indented and text outside any element', () => {
    expect(htmlToMarkdown('intro<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>tail')).toBe(
      'intro\n\n- a\n  - b\n- c\n\ntail',
    );
  });

  it('reads unclosed and stray markup without losing the text', () => {
    expect(htmlToMarkdown('<p>1 < 2 and <b>bold')).toBe('1 < 2 and **bold');
    expect(htmlToMarkdown('<pre>never closed')).toBe('```\nnever closed\n```');
  });
});

describe('decodeEntities', () => {
  it('decodes named and numeric entities once, and leaves unknown ones', () => {
    expect(decodeEntities('&lt;b&gt; &amp;amp; &#x1F600; &#65; &bogus; &#0;')).toBe(
      '<b> &amp; 😀 A &bogus; ',
    );
  });
});
