import { describe, expect, it } from 'vitest';
import { findBrowser, type FileSystemProbe } from './executable.js';

/** A file system of the given executables and directory listings. */
function probe(executables: string[], dirs: Record<string, string[]> = {}): FileSystemProbe {
  return { isExecutable: (path) => executables.includes(path), list: (path) => dirs[path] ?? [] };
}

describe('findBrowser', () => {
  it('uses PUPPETEER_EXECUTABLE_PATH first, and says so when it is wrong', () => {
    expect(
      findBrowser({
        platform: 'linux',
        env: { PUPPETEER_EXECUTABLE_PATH: '/opt/c/chrome' },
        home: '/h',
        probe: probe(['/opt/c/chrome', '/usr/bin/chromium']),
      }),
    ).toEqual({
      found: true,
      path: '/opt/c/chrome',
      source: 'PUPPETEER_EXECUTABLE_PATH',
    });
    const wrong = findBrowser({
      platform: 'linux',
      env: { PUPPETEER_EXECUTABLE_PATH: '/nope' },
      home: '/h',
      probe: probe(['/usr/bin/chromium']),
    });
    expect(wrong).toEqual({
      found: false,
      message: expect.stringContaining(
        'PUPPETEER_EXECUTABLE_PATH is /nope, which is not an executable file',
      ),
    });
  });

  it('finds the usual install locations per platform', () => {
    expect(
      findBrowser({
        platform: 'linux',
        env: {},
        home: '/h',
        probe: probe(['/usr/bin/google-chrome']),
      }),
    ).toMatchObject({ path: '/usr/bin/google-chrome' });
    expect(
      findBrowser({
        platform: 'darwin',
        env: {},
        home: '/Users/u',
        probe: probe(['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome']),
      }),
    ).toMatchObject({ found: true });
    expect(
      findBrowser({
        platform: 'win32',
        env: { PROGRAMFILES: 'C:\\Program Files' },
        home: 'C:\\Users\\u',
        probe: probe(['C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe']),
      }),
    ).toMatchObject({ found: true });
  });

  it("falls back to the newest build in puppeteer's cache", () => {
    const cache = '/h/.cache/puppeteer';
    const result = findBrowser({
      platform: 'linux',
      env: {},
      home: '/h',
      probe: probe(
        [
          `${cache}/chrome/linux-120.0.1/chrome-linux64/chrome`,
          `${cache}/chrome/linux-131.0.2/chrome-linux64/chrome`,
        ],
        {
          [`${cache}/chrome`]: ['linux-120.0.1', 'linux-131.0.2'],
        },
      ),
    });
    expect(result).toEqual({
      found: true,
      path: `${cache}/chrome/linux-131.0.2/chrome-linux64/chrome`,
      source: "puppeteer's cache",
    });
  });

  it('explains exactly how to get a browser when there is none', () => {
    const result = findBrowser({ platform: 'linux', env: {}, home: '/h', probe: probe([]) });
    expect(result).toEqual({
      found: false,
      message: expect.stringContaining('apt-get install -y chromium'),
    });
    expect(result.found ? '' : result.message).toContain('PUPPETEER_EXECUTABLE_PATH');
  });
});
