import { describe, expect, it } from 'vitest';
import {
  abbreviate,
  createTranscript,
  formatArguments,
  formatBytes,
  renderContent,
} from './transcript.js';

describe('abbreviate', () => {
  it('keeps short text as it is', () => {
    expect(abbreviate('one\ntwo')).toBe('one\ntwo');
  });

  it('keeps the first lines and says how many were left out', () => {
    const text = Array.from({ length: 12 }, (_, i) => `line ${i + 1}`).join('\n');
    expect(abbreviate(text, { maxLines: 3 })).toBe('line 1\nline 2\nline 3\n… 9 more lines');
  });

  it('says "line" for a single left-out line', () => {
    expect(abbreviate('a\nb', { maxLines: 1 })).toBe('a\n… 1 more line');
  });

  it('shortens long lines to the width, ellipsis included', () => {
    const line = abbreviate('x'.repeat(50), { maxWidth: 10 });
    expect(line).toBe(`${'x'.repeat(9)}…`);
    expect(line).toHaveLength(10);
  });

  it('ignores trailing newlines and CRLF line ends', () => {
    expect(abbreviate('a\r\nb\n\n\n', { maxLines: 2 })).toBe('a\nb');
  });
});

describe('formatArguments', () => {
  it('prints nothing for no arguments', () => {
    expect(formatArguments(undefined)).toBe('');
    expect(formatArguments({})).toBe('');
  });

  it('shortens long string values but keeps the JSON shape', () => {
    const printed = formatArguments({ path: 'p', content: 'y'.repeat(200) }, 200);
    expect(printed).toBe(`{"path":"p","content":"${'y'.repeat(57)}…"}`);
  });

  it('bounds the whole line', () => {
    const printed = formatArguments(
      { a: 'b'.repeat(50), c: 'd'.repeat(50), e: 'f'.repeat(50) },
      40,
    );
    expect(printed).toHaveLength(40);
    expect(printed.endsWith('…')).toBe(true);
  });
});

describe('renderContent', () => {
  it('joins text blocks', () => {
    expect(
      renderContent([
        { type: 'text', text: 'a' },
        { type: 'text', text: 'b' },
      ]),
    ).toBe('a\nb');
  });

  it('describes binary content by type, MIME type and decoded size', () => {
    const data = Buffer.alloc(1536).toString('base64');
    expect(renderContent([{ type: 'image', mimeType: 'image/png', data }])).toBe(
      '[image image/png, 1.5 KiB]',
    );
    expect(renderContent([{ type: 'audio', mimeType: 'audio/wav', data: 'AAA=' }])).toBe(
      '[audio audio/wav, 2 B]',
    );
  });

  it('shows an embedded text resource with its URI, then its text', () => {
    const rendered = renderContent([
      { type: 'resource', resource: { uri: 'test://x', mimeType: 'text/plain', text: 'hello' } },
    ]);
    expect(rendered).toBe('[resource test://x text/plain, 5 chars]\nhello');
  });

  it('names resource links and unknown block types instead of dropping them', () => {
    expect(renderContent([{ type: 'resource_link', uri: 'file:///a', name: 'a' }])).toBe(
      '[link file:///a "a"]',
    );
    expect(renderContent([{ type: 'hologram' }])).toBe('[hologram content]');
  });

  it('says so when there is no content', () => {
    expect(renderContent([])).toBe('(no content)');
  });
});

describe('formatBytes', () => {
  it('uses the largest unit that keeps the number readable', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(2048)).toBe('2.0 KiB');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3.0 MiB');
  });
});

describe('createTranscript', () => {
  it('prints a request, its events and its result as an indented block', () => {
    const lines: string[] = [];
    const transcript = createTranscript((line) => lines.push(line));
    transcript.request('read_text_file', { path: 'README.md' }, 'Read a file.');
    transcript.event('progress 1/2');
    transcript.response('# Title\nbody');
    transcript.response('denied', 'error');
    expect(lines).toEqual([
      '',
      ' → read_text_file {"path":"README.md"}',
      '   # Read a file.',
      ' ⋯ progress 1/2',
      ' ← # Title',
      '   body',
      ' ✗ denied',
    ]);
  });
});
