import { describe, expect, it } from 'vitest';
import { dangerousArgument, parseLaunchOptions } from './launch-options.js';

describe('PUPPETEER_LAUNCH_OPTIONS', () => {
  it('accepts ordinary operator options', () => {
    const parsed = parseLaunchOptions(
      '{"headless":false,"args":["--lang=de","--window-size=1280,800"],"defaultViewport":{"width":1280,"height":800},"slowMo":10}',
      false,
    );
    expect(parsed).toEqual({
      options: {
        headless: false,
        args: ['--lang=de', '--window-size=1280,800'],
        defaultViewport: { width: 1280, height: 800 },
        slowMo: 10,
      },
      dangerous: [],
    });
  });

  it.each([
    ['{"args":["--no-sandbox"]}', '--no-sandbox'],
    ['{"args":["-no-sandbox"]}', '-no-sandbox'],
    ['{"args":["--NO-SANDBOX"]}', '--NO-SANDBOX'],
    ['{"args":["--renderer-cmd-prefix=touch /tmp/t/PWN2"]}', '--renderer-cmd-prefix'],
    ['{"args":["--remote-debugging-port=9222"]}', '--remote-debugging-port'],
    ['{"args":["--remote-debugging-address=0.0.0.0"]}', '--remote-debugging-address'],
    ['{"args":["--proxy-server=http://evil:8080"]}', '--proxy-server'],
    ['{"args":["--disable-web-security"]}', '--disable-web-security'],
    ['{"args":["--disable-features=IsolateOrigins,site-per-process"]}', '--disable-features'],
    ['{"args":["file:///etc/passwd"]}', 'start-up URL'],
    ['{"userDataDir":"/home/u/.config/google-chrome"}', 'userDataDir'],
    ['{"env":{"LD_PRELOAD":"/tmp/evil.so"}}', 'env'],
    ['{"ignoreDefaultArgs":true}', 'ignoreDefaultArgs'],
    ['{"pipe":false}', 'pipe'],
  ])('refuses %s without ALLOW_DANGEROUS, naming it', (json, named) => {
    expect(() => parseLaunchOptions(json, false)).toThrow(named);
    expect(() => parseLaunchOptions(json, false)).toThrow('ALLOW_DANGEROUS=true');
  });

  it('accepts dangerous options when the operator sets ALLOW_DANGEROUS, and lists them', () => {
    const parsed = parseLaunchOptions(
      '{"args":["--no-sandbox","--lang=fr"],"userDataDir":"/srv/profile"}',
      true,
    );
    expect(parsed.dangerous).toEqual(['userDataDir', '--no-sandbox']);
    expect(parsed.options.userDataDir).toBe('/srv/profile');
  });

  it('refuses unknown keys, wrong types and bad JSON', () => {
    expect(() =>
      parseLaunchOptions('{"executablePath":"/bin/sh","browserWSEndpoint":"ws://x"}', true),
    ).toThrow('unknown or unsupported key "browserWSEndpoint"');
    expect(() => parseLaunchOptions('{"headless":"yes"}', false)).toThrow('"headless" must be');
    expect(() => parseLaunchOptions('{"args":"--lang=de"}', false)).toThrow(
      '"args" must be an array of strings',
    );
    expect(() => parseLaunchOptions('{not json', false)).toThrow('not valid JSON');
    expect(() => parseLaunchOptions('[1]', false)).toThrow('must be a JSON object');
  });

  it('never lets __proto__ or constructor keys reach an object (X-04)', () => {
    expect(() =>
      parseLaunchOptions('{"__proto__":{"executablePath":"/bin/sh","isAdmin":true}}', true),
    ).toThrow('"__proto__"');
    expect(() => parseLaunchOptions('{"constructor":{"prototype":{"polluted":1}}}', true)).toThrow(
      '"constructor"',
    );
    const parsed = parseLaunchOptions('{"env":{"__proto__":"x","LANG":"C"}}', true);
    expect(Object.getPrototypeOf(parsed.options.env)).toBe(Object.prototype);
    expect(Object.keys(parsed.options.env!)).toEqual(['__proto__', 'LANG']);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).executablePath).toBeUndefined();
  });

  it('tells harmless switches from dangerous ones', () => {
    expect(dangerousArgument('--lang=de')).toBeUndefined();
    expect(dangerousArgument('--disable-features=Translate')).toBeUndefined();
    expect(dangerousArgument('--single-process')).toBe('--single-process');
  });
});
