import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_URI_LENGTH, UriTemplate } from './uri-template.js';

const variables = (template: string, uri: string): Record<string, string> | undefined => {
  const found = new UriTemplate(template).match(uri);
  return found === undefined ? undefined : Object.fromEntries(found);
};

describe('UriTemplate', () => {
  it('matches a simple variable within one segment and decodes it', () => {
    expect(variables('test://template/{id}/data', 'test://template/123/data')).toEqual({
      id: '123',
    });
    expect(variables('test://template/{id}/data', 'test://template/a%20b%2Fc/data')).toEqual({
      id: 'a b/c',
    });
    expect(variables('test://template/{id}/data', 'test://template/a/b/data')).toBeUndefined();
    expect(variables('test://template/{id}/data', 'test://template/1/data?x')).toBeUndefined();
  });

  it('lets a reserved variable span slashes', () => {
    expect(variables('file:///{+path}', 'file:///home/user/notes.txt')).toEqual({
      path: 'home/user/notes.txt',
    });
  });

  it('matches an exploded path variable, with or without segments', () => {
    expect(variables('repo://x{/path*}', 'repo://x/a/b/c')).toEqual({ path: 'a/b/c' });
    expect(variables('repo://x{/path*}', 'repo://x')).toEqual({ path: '' });
  });

  it('treats regular-expression characters in the literal part literally', () => {
    expect(variables('test://a.b/{id}', 'test://a.b/1')).toEqual({ id: '1' });
    expect(variables('test://a.b/{id}', 'test://aXb/1')).toBeUndefined();
    expect(variables('test://(x)+/{id}', 'test://(x)+/1')).toEqual({ id: '1' });
  });

  it('refuses malformed percent-encoding instead of throwing', () => {
    expect(variables('test://template/{id}/data', 'test://template/%E0%A4%A/data')).toBeUndefined();
  });

  it('refuses a URI longer than the cap before matching it, and accepts one at the cap', () => {
    const template = 'test://template/{id}/data';
    const fill = (length: number) =>
      `test://template/${'a'.repeat(length - 'test://template//data'.length)}/data`;
    expect(fill(MAX_URI_LENGTH)).toHaveLength(MAX_URI_LENGTH);
    expect(variables(template, fill(MAX_URI_LENGTH))).toBeDefined();
    expect(variables(template, fill(MAX_URI_LENGTH + 1))).toBeUndefined();
  });

  it('answers hostile near-matches against many variables (linear matching)', () => {
    const template = new UriTemplate('gdrive:///{a}/{b}/{c}/{+rest}/end');
    const uri = `gdrive:///${',a/'.repeat(600)}`;
    expect(uri.length).toBeLessThanOrEqual(MAX_URI_LENGTH);
    expect(template.match(uri)).toBeUndefined();
  });

  it('expands values and matches them back unchanged (property)', () => {
    const template = new UriTemplate('test://t/{owner}/{name}/x');
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary-ascii' }),
        fc.string({ unit: 'grapheme' }),
        (owner, name) => {
          const uri = template.expand({ owner, name });
          expect(template.variables).toEqual(['owner', 'name']);
          expect(Object.fromEntries(template.match(uri) ?? [])).toEqual({ owner, name });
        },
      ),
    );
  });
});
