import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseQuery, tokenizeQuery } from '../test/drive-query.js';
import { drivesQuery, literal, searchQuery } from './query.js';

describe('Drive query strings', () => {
  it('puts any text into exactly one literal holding exactly that text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
        const tokens = tokenizeQuery(`name contains ${literal(text)}`);
        // eslint-disable-next-line no-control-regex -- control characters become spaces
        const expected = text.replace(/[\u0000-\u001f\u007f]/g, ' ');
        expect(tokens).toEqual([
          { kind: 'word', value: 'name' },
          { kind: 'word', value: 'contains' },
          { kind: 'string', value: expected },
        ]);
      }),
    );
  });

  it('keeps the structure of a search whatever the words are', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 100 }).filter((text) => text.trim() !== ''),
        (text) => {
          const condition = parseQuery(
            searchQuery({
              text,
              folderId: '1abcdefghijklmnopqrstuvwxyz0123',
              mimeTypes: [{ mimeType: 'image/', prefix: true }],
            }),
          );
          expect(condition).toMatchObject({
            kind: 'and',
            left: {
              kind: 'and',
              left: {
                kind: 'and',
                left: { kind: 'compare', field: 'fullText', op: 'contains' },
                right: { kind: 'in', field: 'parents' },
              },
              right: { kind: 'compare', field: 'mimeType', op: 'contains', value: 'image/' },
            },
            right: { kind: 'compare', field: 'trashed', value: false },
          });
        },
      ),
    );
  });

  it('escapes backslashes before quotes, as the archived server did', () => {
    expect(literal("x' or trashed = true or name contains '")).toBe(
      "'x\\' or trashed = true or name contains \\''",
    );
    expect(literal("\\' or 'a' in parents or '")).toBe("'\\\\\\' or \\'a\\' in parents or \\''");
    expect(drivesQuery("Team's")).toBe("name contains 'Team\\'s'");
  });

  it('builds searches from fixed clauses', () => {
    expect(searchQuery({ text: 'plan', nameOnly: true })).toBe(
      "name contains 'plan' and trashed = false",
    );
    expect(searchQuery({ text: '  ', includeTrashed: true })).toBe('');
    expect(searchQuery({ folderId: 'root' })).toBe("'root' in parents and trashed = false");
    expect(() => searchQuery({ folderId: "x' or '1' in parents or '" })).toThrow(TypeError);
  });
});
