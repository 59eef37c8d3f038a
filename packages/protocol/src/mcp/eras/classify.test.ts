import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../jsonrpc/error-code.js';
import type { JsonObject } from '../../jsonrpc/message.js';
import {
  classifyRequest,
  EnvelopeError,
  eraOf,
  MAX_PROGRESS_TOKEN_LENGTH,
  missingEnvelopeMember,
} from './classify.js';
import { HANDSHAKE_VERSIONS, MetaKey } from './versions.js';

const CAPS = { elicitation: {} };
const modernMeta = (extra: JsonObject = {}): JsonObject => ({
  [MetaKey.ProtocolVersion]: '2026-07-28',
  [MetaKey.ClientCapabilities]: CAPS,
  ...extra,
});

function refusal(method: string, params: JsonObject, modernOnly = false): EnvelopeError {
  try {
    classifyRequest(method, params, { modernOnly });
  } catch (error) {
    if (error instanceof EnvelopeError) return error;
    throw error;
  }
  throw new Error(`${method} was classified without complaint`);
}

describe('classifyRequest', () => {
  it('puts a request without a versioned _meta in the handshake era, whatever the revision', () => {
    for (const method of ['initialize', 'ping', 'tools/call', 'logging/setLevel']) {
      const request = classifyRequest(method, { _meta: { progressToken: 7 } });
      expect(request).toMatchObject({ era: 'handshake', method, progressToken: 7 });
    }
    // initialize's own protocolVersion is negotiated later, never read as an envelope.
    for (const protocolVersion of HANDSHAKE_VERSIONS)
      expect(classifyRequest('initialize', { protocolVersion }).era).toBe('handshake');
  });

  it('reads a 2026-07-28 envelope once: version, capabilities, client info, log level, token', () => {
    const request = classifyRequest('tools/call', {
      name: 'echo',
      _meta: modernMeta({
        [MetaKey.ClientInfo]: { name: 'c', version: '1' },
        [MetaKey.LogLevel]: 'warning',
        progressToken: 'p',
      }),
    });
    expect(request).toMatchObject({
      era: 'modern',
      protocolVersion: '2026-07-28',
      clientCapabilities: CAPS,
      clientInfo: { name: 'c', version: '1' },
      logLevel: 'warning',
      progressToken: 'p',
    });
  });

  it('takes methods that exist only in 2026-07-28 as such, even without _meta', () => {
    expect(refusal('server/discover', {})).toMatchObject({
      code: ErrorCode.InvalidParams,
      missing: true,
    });
    expect(refusal('subscriptions/listen', {}).message).toContain(MetaKey.ProtocolVersion);
  });

  it('refuses each malformed envelope with its own message, the first fault first', () => {
    const cases: [JsonObject, number, string, boolean][] = [
      [
        { [MetaKey.ClientCapabilities]: CAPS },
        ErrorCode.InvalidParams,
        MetaKey.ProtocolVersion,
        true,
      ],
      [
        { [MetaKey.ProtocolVersion]: 20260728, [MetaKey.ClientCapabilities]: CAPS },
        ErrorCode.InvalidParams,
        MetaKey.ProtocolVersion,
        true,
      ],
      [
        { [MetaKey.ProtocolVersion]: '2099-01-01', [MetaKey.ClientCapabilities]: CAPS },
        ErrorCode.UnsupportedProtocolVersion,
        'Unsupported protocol version: 2099-01-01',
        false,
      ],
      [
        { [MetaKey.ProtocolVersion]: '2025-11-25', [MetaKey.ClientCapabilities]: CAPS },
        ErrorCode.UnsupportedProtocolVersion,
        '2025-11-25',
        false,
      ],
      [
        { [MetaKey.ProtocolVersion]: '2026-07-28' },
        ErrorCode.InvalidParams,
        MetaKey.ClientCapabilities,
        true,
      ],
      [
        { [MetaKey.ProtocolVersion]: '2026-07-28', [MetaKey.ClientCapabilities]: 'all' },
        ErrorCode.InvalidParams,
        MetaKey.ClientCapabilities,
        true,
      ],
      [
        modernMeta({ [MetaKey.LogLevel]: 'loud' }),
        ErrorCode.InvalidParams,
        'is not a log level',
        false,
      ],
    ];
    for (const [meta, code, text, missing] of cases) {
      const error = refusal('tools/list', { _meta: meta });
      expect(error.code).toBe(code);
      expect(error.message).toContain(text);
      expect(error.missing).toBe(missing);
    }
    expect(
      refusal('tools/list', { _meta: modernMeta({ [MetaKey.ProtocolVersion]: '1999' }) }).data,
    ).toEqual({
      supported: ['2026-07-28'],
      requested: '1999',
    });
  });

  it('in a modern-only session, a request with no _meta at all is malformed, not handshake', () => {
    expect(refusal('tools/list', {}, true)).toMatchObject({ missing: true });
    expect(refusal('ping', { _meta: 'x' }, true)).toMatchObject({ missing: true });
  });
});

describe('progress tokens (issue 25)', () => {
  it('refuses a token longer than the cap in both eras, before anything runs', () => {
    const huge = 'x'.repeat(1024 * 1024);
    for (const meta of [{ progressToken: huge }, modernMeta({ progressToken: huge })]) {
      const error = refusal('tools/call', { name: 'echo', _meta: meta });
      expect(error.code).toBe(ErrorCode.InvalidParams);
      expect(error.message).toBe(
        `params._meta.progressToken is ${huge.length} characters long; at most ${MAX_PROGRESS_TOKEN_LENGTH} are accepted`,
      );
    }
  });

  it('keeps a token at the cap, and numeric tokens whatever their value', () => {
    const longest = 'y'.repeat(MAX_PROGRESS_TOKEN_LENGTH);
    expect(classifyRequest('ping', { _meta: { progressToken: longest } }).progressToken).toBe(
      longest,
    );
    expect(classifyRequest('ping', { _meta: { progressToken: 2 ** 52 } }).progressToken).toBe(
      2 ** 52,
    );
  });
});

describe('eraOf (HTTP routing)', () => {
  it('follows the version header when the body says nothing', () => {
    expect(eraOf(undefined, undefined, { versionHeader: ' 2026-07-28 ' })).toBe('modern');
    expect(eraOf(undefined, undefined, { versionHeader: '2025-11-25' })).toBe('handshake');
    expect(eraOf(undefined, undefined, {})).toBe('handshake');
    expect(eraOf({ [MetaKey.ClientCapabilities]: {} })).toBe('modern');
    expect(eraOf({ progressToken: 1 })).toBe('handshake');
  });

  it('names the missing member stateless HTTP refuses with 400', () => {
    expect(missingEnvelopeMember(undefined)?.message).toContain(MetaKey.ProtocolVersion);
    expect(missingEnvelopeMember({ [MetaKey.ProtocolVersion]: 'x' })?.message).toContain(
      MetaKey.ClientCapabilities,
    );
    expect(missingEnvelopeMember(modernMeta())).toBeUndefined();
  });
});
