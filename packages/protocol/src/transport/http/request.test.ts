import { describe, expect, it } from 'vitest';
import { decodeHeaderValue, mediaType, parseAccept } from './request.js';

describe('decodeHeaderValue', () => {
  const hello = Buffer.from('Hello').toString('base64');

  it('decodes a wrapped base64 value', () => {
    expect(decodeHeaderValue(`=?base64?${hello}?=`)).toBe('Hello');
    expect(decodeHeaderValue(` =?base64?${Buffer.from('héllo ✓').toString('base64')}?= `)).toBe(
      'héllo ✓',
    );
  });

  it('refuses wrapped values with bad padding or characters', () => {
    expect(decodeHeaderValue('=?base64?SGVsbG8?=')).toBeUndefined();
    expect(decodeHeaderValue('=?base64?SGVs!!!bG8=?=')).toBeUndefined();
  });

  it('takes a value missing either end of the wrapper literally', () => {
    expect(decodeHeaderValue(hello)).toBe(hello);
    expect(decodeHeaderValue(`=?base64?${hello}`)).toBe(`=?base64?${hello}`);
    expect(decodeHeaderValue(`${hello}?=`)).toBe(`${hello}?=`);
  });
});

describe('media types', () => {
  it('compares type and subtype only, case-insensitively', () => {
    expect(mediaType('Application/JSON; charset=utf-8')).toBe('application/json');
  });

  it('reads Accept lists and wildcards', () => {
    expect(parseAccept('application/json, text/event-stream')).toEqual({ json: true, sse: true });
    expect(parseAccept('text/event-stream;q=0.9')).toEqual({ json: false, sse: true });
    expect(parseAccept('*/*')).toEqual({ json: true, sse: true });
    expect(parseAccept(undefined)).toEqual({ json: false, sse: false });
    expect(parseAccept('application/jsonx')).toEqual({ json: false, sse: false });
  });
});
