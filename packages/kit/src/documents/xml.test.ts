import { describe, expect, it } from 'vitest';
import { attribute, decodeEntities, tokenize } from './xml.js';

describe('XML tokenizer', () => {
  it('yields tags, attributes and decoded text, skipping comments and declarations', () => {
    const tokens = [
      ...tokenize(
        '<?xml version="1.0"?><!-- note --><a x="1 > 2"><b/>T &amp; &#x41;<![CDATA[<raw>]]></a>',
      ),
    ];
    expect(tokens).toEqual([
      { kind: 'open', name: 'a', attrs: ' x="1 > 2"', empty: false },
      { kind: 'open', name: 'b', attrs: '', empty: true },
      { kind: 'text', text: 'T & A' },
      { kind: 'text', text: '<raw>' },
      { kind: 'close', name: 'a' },
    ]);
    expect(attribute(' w:val="Heading1" r:id=\'rId2\'', 'r:id')).toBe('rId2');
    expect(decodeEntities('&lt;&bogus;&#0;')).toBe('<&bogus;&#0;');
  });

  it('gives up at the first unclosed tag or comment instead of rescanning hostile input', () => {
    // A quadratic scanner would spend minutes here and hit the test timeout.
    expect([...tokenize(`<ok/>${'<a '.repeat(200_000)}`)]).toEqual([
      { kind: 'open', name: 'ok', attrs: '', empty: true },
    ]);
    expect([...tokenize(`x${'<!--'.repeat(200_000)}`)]).toEqual([{ kind: 'text', text: 'x' }]);
    const wide = `<c ${Array.from({ length: 50_000 }, (_, index) => `a${index}="v"`).join(' ')}>t</c>`;
    expect([...tokenize(wide)].map((token) => token.kind)).toEqual(['open', 'text', 'close']);
  });
});
