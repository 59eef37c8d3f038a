import { describe, expect, it } from 'vitest';
import { cellText, jsonDepth, jsonValue, MAX_JSON_DEPTH } from './values.js';

describe('JSON values', () => {
  it('keeps ordinary JSON as structure', () => {
    expect(jsonValue('{"a": [1, {"b": "]]]"}]}')).toEqual({ a: [1, { b: ']]]' }] });
  });

  it('counts nesting outside strings only, escaped quotes included', () => {
    expect(jsonDepth('[[["\\"[[[[", {"k": "{{{"}]]]', 10)).toBe(4);
    expect(jsonDepth('"[[[["', 10)).toBe(0);
  });

  it('keeps a 9,000-deep value as text, which renders without overflowing the stack', () => {
    const deep = `${'['.repeat(9000)}${']'.repeat(9000)}`;
    const value = jsonValue(deep);
    expect(value).toBe(deep);
    expect(cellText(value)).toBe(deep);
    expect(() => JSON.stringify({ rows: [[value]] })).not.toThrow();
  });

  it('parses a value exactly at the depth limit', () => {
    const atLimit = `${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`;
    expect(Array.isArray(jsonValue(atLimit))).toBe(true);
  });
});
