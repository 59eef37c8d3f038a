import { ToolError } from '@plugboard/protocol';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config.js';
import { launchFailure, planLaunch } from './launch.js';

const config = (env: Record<string, string> = {}, flags: Record<string, boolean | string> = {}) =>
  parseConfig(new Map(Object.entries(flags)), env, '/');

describe('planLaunch', () => {
  it('routes everything through the proxy over a pipe, headless, with popups blocked and downloads denied', () => {
    const { options, sandboxOff } = planLaunch(
      config(),
      'http://127.0.0.1:4000',
      '/usr/bin/chromium',
      false,
    );
    expect(sandboxOff).toBeUndefined();
    expect(options).toMatchObject({
      executablePath: '/usr/bin/chromium',
      headless: true,
      pipe: true,
      enableExtensions: false,
      downloadBehavior: { policy: 'deny' },
    });
    expect(options.args).toEqual(
      expect.arrayContaining([
        '--proxy-server=http://127.0.0.1:4000',
        '--proxy-bypass-list=<-loopback>',
        '--disable-extensions',
        '--force-webrtc-ip-handling-policy=disable_non_proxied_udp',
      ]),
    );
    expect(options.args).not.toContain('--no-sandbox');
    expect(options.ignoreDefaultArgs).toEqual(['--disable-popup-blocking']);
    expect(options.userDataDir).toBeUndefined();
  });

  it('runs a named profile in its directory, still through the proxy', () => {
    const { options } = planLaunch(config(), 'http://p', '/c', false, '/profiles/work');
    expect(options.userDataDir).toBe('/profiles/work');
    expect(options.args).toContain('--proxy-server=http://p');
  });

  it('turns the sandbox off only as root or when the operator says so, and says why', () => {
    expect(planLaunch(config(), 'http://p', '/c', true)).toMatchObject({
      sandboxOff: expect.stringContaining('runs as root'),
    });
    expect(planLaunch(config(), 'http://p', '/c', true).options.args).toContain('--no-sandbox');
    expect(planLaunch(config({}, { 'no-sandbox': true }), 'http://p', '/c', false)).toMatchObject({
      sandboxOff: 'the operator passed --no-sandbox',
    });
  });

  it('puts operator options on top, and launches with downloads denied even with a downloads directory', () => {
    const { options } = planLaunch(
      config({
        PUPPETEER_LAUNCH_OPTIONS:
          '{"headless":false,"args":["--lang=de"],"defaultViewport":{"width":1280,"height":720}}',
      }),
      'http://p',
      '/c',
      false,
    );
    expect(options).toMatchObject({
      headless: false,
      defaultViewport: { width: 1280, height: 720 },
    });
    expect(options.args?.at(-1)).toBe('--lang=de');
    const downloads = parseConfig(new Map([['downloads-dir', '/tmp']]), {}, '/');
    // The session opens them, into a staging directory of its own (browser/downloads.ts).
    expect(planLaunch(downloads, 'http://p', '/c', false).options.downloadBehavior).toEqual({
      policy: 'deny',
    });
  });
});

describe('launchFailure', () => {
  it('turns sandbox and missing-binary failures into the operator fix', () => {
    expect(
      launchFailure(
        new Error('Failed to launch the browser process!\nNo usable sandbox! ...'),
        '/usr/bin/chromium',
      ),
    ).toBeInstanceOf(ToolError);
    expect(launchFailure(new Error('No usable sandbox!'), '/usr/bin/chromium').message).toContain(
      '--no-sandbox (PUPPETEER_NO_SANDBOX=1)',
    );
    expect(launchFailure(new Error('spawn /opt/chrome ENOENT'), '/opt/chrome').message).toContain(
      'apt-get install -y chromium',
    );
  });
});
