import { describe, expect, it } from 'vitest';
import { matchesOrigin, parseOriginPattern } from './origin-pattern.js';
import { createUrlPolicy, type UrlPolicyConfig } from './url-policy.js';

const DNS: Record<string, string[]> = {
  'example.com': ['93.184.216.34'],
  'intranet.corp': ['10.1.2.3'],
  'mixed.test': ['93.184.216.34', '10.0.0.1'],
  'v6.test': ['2606:4700::1111', 'fd00::5'],
  'metadata.example': ['169.254.169.254'],
  'alias.test': ['127.0.0.1'],
  'db.corp': ['10.1.2.3'],
  'cdn-a.example': ['93.184.216.34'],
};

const DEFAULTS: UrlPolicyConfig = {
  allowOrigins: [],
  blockOrigins: [],
  onlyAllowedOrigins: false,
  allowPrivateNetwork: false,
  blockLoopback: false,
};

function policy(overrides: Partial<UrlPolicyConfig> = {}, lookups: string[] = []) {
  return createUrlPolicy({ ...DEFAULTS, ...overrides }, (host) => {
    lookups.push(host);
    const answer = DNS[host];
    return answer === undefined ? Promise.reject(new Error('ENOTFOUND')) : Promise.resolve(answer);
  });
}

async function allowed(
  url: string,
  overrides: Partial<UrlPolicyConfig> = {},
  navigation = true,
): Promise<boolean> {
  return (await policy(overrides).checkUrl(url, { navigation })).allowed;
}

describe('schemes', () => {
  it.each([
    'file:///etc/passwd',
    ' FILE:///etc/passwd',
    'file://localhost/etc/passwd',
    'view-source:file:///etc/passwd',
    'chrome://settings',
    'devtools://devtools/bundled/inspector.html',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'blob:http://example.com/uuid',
    'about:config',
    'ftp://example.com/',
    'not a url',
  ])('refuses %j as a page', async (url) => {
    expect(await allowed(url)).toBe(false);
  });

  it('lets pages use data: and blob: subresources but not open them', async () => {
    expect(await allowed('data:image/png;base64,AAAA', {}, false)).toBe(true);
    expect(await allowed('blob:http://example.com/uuid', {}, false)).toBe(true);
    expect(await allowed('about:blank')).toBe(true);
  });
});

describe('addresses', () => {
  it('blocks private, link-local, metadata, unspecified and multicast addresses by default and allows public ones', async () => {
    expect(await allowed('https://example.com/')).toBe(true);
    for (const url of [
      'http://10.0.0.1/',
      'http://192.168.0.1/',
      'http://169.254.169.254/latest/',
      'http://[fd00::1]/',
      'http://0.0.0.0:8080/',
      'http://224.0.0.1/',
      'http://100.64.0.1/',
    ]) {
      expect(await allowed(url), url).toBe(false);
    }
  });

  it('canonicalises hex, decimal, short and octal IPv4 spellings before judging them', async () => {
    for (const url of [
      'http://0x7f000001/',
      'http://2130706433/',
      'http://127.1/',
      'http://0177.0.0.1/',
      'http://[::ffff:127.0.0.1]/',
    ]) {
      expect(await allowed(url), url).toBe(true);
      expect(await allowed(url, { blockLoopback: true }), url).toBe(false);
    }
    expect(await allowed('http://0xa9fea9fe/')).toBe(false);
  });

  it('allows loopback by default and closes it with blockLoopback, localhost names included', async () => {
    expect(await allowed('http://localhost:3000/')).toBe(true);
    expect(await allowed('http://app.localhost/')).toBe(true);
    expect(await allowed('http://localhost:3000/', { blockLoopback: true })).toBe(false);
    expect(await allowed('http://app.localhost/', { blockLoopback: true })).toBe(false);
  });

  it('refuses a name when any of its addresses is blocked', async () => {
    expect(await allowed('http://mixed.test/')).toBe(false);
    expect(await allowed('http://v6.test/')).toBe(false);
    expect(await allowed('http://intranet.corp/')).toBe(false);
  });

  it('opens the private network on request but never metadata', async () => {
    expect(await allowed('http://intranet.corp/', { allowPrivateNetwork: true })).toBe(true);
    expect(await allowed('http://169.254.1.1/', { allowPrivateNetwork: true })).toBe(true);
    expect(await allowed('http://169.254.169.254/', { allowPrivateNetwork: true })).toBe(false);
    expect(await allowed('http://metadata.example/', { allowPrivateNetwork: true })).toBe(false);
  });

  it('refuses metadata host names before looking them up', async () => {
    const lookups: string[] = [];
    const decision = await policy({}, lookups).checkUrl(
      'http://metadata.google.internal/computeMetadata/v1/',
      { navigation: true },
    );
    expect(decision).toMatchObject({ allowed: false, kind: 'policy' });
    expect(lookups).toEqual([]);
  });

  it('says a name that does not resolve is a lookup failure, not a policy refusal', async () => {
    expect(await policy().checkUrl('http://nowhere.invalid/', { navigation: true })).toMatchObject({
      allowed: false,
      kind: 'dns',
    });
  });

  it('explains refusals and how the operator could open them', async () => {
    const decision = await policy().checkUrl('http://intranet.corp:8080/', { navigation: true });
    expect(decision).toEqual({
      allowed: false,
      kind: 'policy',
      reason: 'intranet.corp resolves to 10.1.2.3, which is a private address',
      hint: 'the operator can open it with --allow-origin http://intranet.corp:8080, or the whole private network with --allow-private-network',
    });
  });

  it('caches answers for interception only; the proxy resolves afresh every time', async () => {
    const lookups: string[] = [];
    const checker = policy({}, lookups);
    await checker.checkUrl('https://example.com/a', { navigation: false, cached: true });
    await checker.checkUrl('https://example.com/b', { navigation: false, cached: true });
    expect(lookups).toEqual(['example.com']);
    await checker.checkDestination({ scheme: undefined, host: 'example.com', port: 443 });
    await checker.checkDestination({ scheme: undefined, host: 'example.com', port: 443 });
    expect(lookups).toEqual(['example.com', 'example.com', 'example.com']);
  });
});

describe('origin lists', () => {
  it('parses origins, bare hosts and wildcards, canonicalising the host', () => {
    expect(parseOriginPattern('https://Example.com')).toMatchObject({
      scheme: 'https:',
      host: 'example.com',
      port: 443,
      wildcard: false,
    });
    expect(parseOriginPattern('http://0x7f000001:3000/')).toMatchObject({
      scheme: 'http:',
      host: '127.0.0.1',
      port: 3000,
    });
    expect(parseOriginPattern('example.com')).toMatchObject({ scheme: undefined, port: undefined });
    expect(parseOriginPattern('*.corp.example')).toMatchObject({
      host: 'corp.example',
      wildcard: true,
    });
    expect(parseOriginPattern('wss://chat.example')).toMatchObject({ scheme: 'https:', port: 443 });
    expect(() => parseOriginPattern('https://example.com/path')).toThrow(/no path/);
    expect(() => parseOriginPattern('file:///etc')).toThrow(/only http/);
  });

  it('matches by scheme, host and port, with tunnels (no scheme) matched by host and port', () => {
    const pattern = parseOriginPattern('https://*.corp.example');
    expect(matchesOrigin(pattern, { scheme: 'https:', host: 'wiki.corp.example', port: 443 })).toBe(
      true,
    );
    expect(matchesOrigin(pattern, { scheme: 'https:', host: 'corp.example', port: 443 })).toBe(
      true,
    );
    expect(matchesOrigin(pattern, { scheme: 'http:', host: 'wiki.corp.example', port: 80 })).toBe(
      false,
    );
    expect(matchesOrigin(pattern, { scheme: 'https:', host: 'evilcorp.example', port: 443 })).toBe(
      false,
    );
    expect(
      matchesOrigin(pattern, { scheme: undefined, host: 'wiki.corp.example', port: 443 }),
    ).toBe(true);
    expect(matchesOrigin(pattern, { scheme: 'wss:', host: 'wiki.corp.example', port: 443 })).toBe(
      true,
    );
  });

  it('opens an allowed origin on a private address, and blocked origins beat everything', async () => {
    const allow = [parseOriginPattern('http://intranet.corp')];
    expect(await allowed('http://intranet.corp/', { allowOrigins: allow })).toBe(true);
    expect(await allowed('http://intranet.corp:8080/', { allowOrigins: allow })).toBe(false);
    expect(
      await allowed('http://metadata.example/', {
        allowOrigins: [parseOriginPattern('metadata.example')],
      }),
    ).toBe(false);
    expect(
      await allowed('https://example.com/', { blockOrigins: [parseOriginPattern('example.com')] }),
    ).toBe(false);
    expect(
      await allowed('http://intranet.corp/', {
        allowOrigins: allow,
        blockOrigins: [parseOriginPattern('*.corp')],
      }),
    ).toBe(false);
  });

  it('loads nothing else with onlyAllowedOrigins', async () => {
    const only = {
      allowOrigins: [parseOriginPattern('https://example.com')],
      onlyAllowedOrigins: true,
    };
    expect(await allowed('https://example.com/page', only)).toBe(true);
    expect(await allowed('http://example.com/page', only)).toBe(false);
    expect(await allowed('https://other.example/', only)).toBe(false);
  });
});

describe('blocked origins under other names', () => {
  const block = (text: string) => ({ blockOrigins: [parseOriginPattern(text)] });

  it('refuses every spelling and every name of a blocked non-public address, on its port', async () => {
    for (const url of [
      'http://localhost.:8080/',
      'http://[::ffff:127.0.0.1]:8080/',
      'http://[::1]:8080/',
      'http://alias.test:8080/',
      'http://alias.test.:8080/',
      'http://app.localhost:8080/',
      'http://app.localhost.:8080/',
      'ws://127.0.0.1.:8080/',
    ]) {
      expect(await allowed(url, block('http://127.0.0.1:8080')), url).toBe(false);
      expect(await allowed(url, block('http://localhost:8080')), url).toBe(false);
    }
    expect(await allowed('http://localhost:8081/', block('http://127.0.0.1:8080'))).toBe(true);
    expect(await allowed('https://localhost:8080/', block('http://127.0.0.1:8080'))).toBe(true);
  });

  it('beats an allowed origin that reaches the blocked address', async () => {
    expect(
      await allowed('http://intranet.corp/', {
        allowOrigins: [parseOriginPattern('http://intranet.corp')],
        blockOrigins: [parseOriginPattern('http://db.corp')],
      }),
    ).toBe(false);
  });

  it('says which rule refused it', async () => {
    const decision = await policy(block('http://127.0.0.1:8080')).checkUrl(
      'http://alias.test:8080/',
      { navigation: true },
    );
    expect(decision).toMatchObject({
      allowed: false,
      reason:
        'http://alias.test:8080 is blocked by the operator (--block-origin http://127.0.0.1:8080): it reaches the same address',
    });
  });

  it('matches public names by name only, since unrelated sites share public addresses', async () => {
    expect(await allowed('https://example.com/', block('cdn-a.example'))).toBe(true);
    expect(await allowed('https://cdn-a.example./', block('cdn-a.example'))).toBe(false);
  });
});
