/**
 * @module
 * Finding a Chrome or Chromium to drive. Installing this package never downloads a browser: it
 * uses `PUPPETEER_EXECUTABLE_PATH`, then the usual install locations of the platform, then
 * whatever puppeteer's own cache holds (`npx puppeteer browsers install chrome`). When none is
 * there, the message says exactly how to get one.
 */
import { join } from 'node:path';

export interface FileSystemProbe {
  /** True when `path` is an existing file the process may execute. */
  isExecutable(path: string): boolean;
  /** Entry names of a directory, or [] when it cannot be read. */
  list(path: string): string[];
}

export interface DiscoveryInput {
  readonly platform: NodeJS.Platform;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly home: string;
  readonly probe: FileSystemProbe;
}

export type Discovery =
  | { readonly found: true; readonly path: string; readonly source: string }
  | { readonly found: false; readonly message: string };

function systemLocations(
  platform: NodeJS.Platform,
  env: DiscoveryInput['env'],
  home: string,
): string[] {
  switch (platform) {
    case 'darwin':
      return [
        '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
        '/Applications/Chromium.app/Contents/MacOS/Chromium',
        join(home, 'Applications/Google Chrome.app/Contents/MacOS/Google Chrome'),
        join(home, 'Applications/Chromium.app/Contents/MacOS/Chromium'),
        '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
      ];
    case 'win32': {
      const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter(
        (root): root is string => root !== undefined && root !== '',
      );
      return [
        ...roots.map((root) => `${root}\\Google\\Chrome\\Application\\chrome.exe`),
        ...roots.map((root) => `${root}\\Chromium\\Application\\chrome.exe`),
        ...roots.map((root) => `${root}\\Microsoft\\Edge\\Application\\msedge.exe`),
      ];
    }
    default:
      return [
        '/usr/bin/chromium',
        '/usr/bin/chromium-browser',
        '/usr/bin/google-chrome-stable',
        '/usr/bin/google-chrome',
        '/snap/bin/chromium',
        '/opt/google/chrome/chrome',
        '/usr/lib/chromium/chromium',
      ];
  }
}

/** Relative path of the binary inside one puppeteer cache build directory. */
function cacheBinary(
  platform: NodeJS.Platform,
  browser: string,
  build: string,
): string | undefined {
  const arm = build.includes('arm64');
  switch (platform) {
    case 'darwin': {
      const dir = `${browser}-mac-${arm ? 'arm64' : 'x64'}`;
      return browser === 'chrome'
        ? join(dir, 'Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing')
        : join(dir, 'chrome-headless-shell');
    }
    case 'win32':
      return join(
        `${browser}-win64`,
        browser === 'chrome' ? 'chrome.exe' : 'chrome-headless-shell.exe',
      );
    case 'linux':
      return join(`${browser}-linux64`, browser);
    default:
      return undefined;
  }
}

function versionKey(build: string): number[] {
  const version = build.slice(build.indexOf('-') + 1);
  return version.split('.').map((part) => Number.parseInt(part, 10) || 0);
}

function newestFirst(a: string, b: string): number {
  const left = versionKey(a);
  const right = versionKey(b);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const diff = (right[i] ?? 0) - (left[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

function cacheLocations(input: DiscoveryInput): string[] {
  const cacheDir = input.env.PUPPETEER_CACHE_DIR ?? join(input.home, '.cache', 'puppeteer');
  const found: string[] = [];
  for (const browser of ['chrome', 'chrome-headless-shell']) {
    const builds = input.probe.list(join(cacheDir, browser)).sort(newestFirst);
    for (const build of builds) {
      const binary = cacheBinary(input.platform, browser, build);
      if (binary !== undefined) found.push(join(cacheDir, browser, build, binary));
    }
  }
  return found;
}

function installHint(platform: NodeJS.Platform): string {
  switch (platform) {
    case 'darwin':
      return 'install Google Chrome, or `brew install --cask chromium`';
    case 'win32':
      return 'install Google Chrome from https://www.google.com/chrome/';
    default:
      return 'install Chromium (Debian/Ubuntu: `apt-get install -y chromium`; Fedora: `dnf install chromium`; Alpine: `apk add chromium`)';
  }
}

/** Finds the browser to launch, or explains how to get one. */
export function findBrowser(input: DiscoveryInput): Discovery {
  const configured = input.env.PUPPETEER_EXECUTABLE_PATH;
  if (configured !== undefined && configured !== '') {
    if (input.probe.isExecutable(configured))
      return { found: true, path: configured, source: 'PUPPETEER_EXECUTABLE_PATH' };
    return {
      found: false,
      message: `PUPPETEER_EXECUTABLE_PATH is ${configured}, which is not an executable file. Point it at Chrome or Chromium, or unset it to use a browser found in the usual places.`,
    };
  }
  for (const path of systemLocations(input.platform, input.env, input.home)) {
    if (input.probe.isExecutable(path)) return { found: true, path, source: 'system install' };
  }
  for (const path of cacheLocations(input)) {
    if (input.probe.isExecutable(path)) return { found: true, path, source: "puppeteer's cache" };
  }
  return {
    found: false,
    message: `No Chrome or Chromium was found on this machine. The operator can ${installHint(input.platform)}, or set PUPPETEER_EXECUTABLE_PATH to the browser's executable, then call this tool again.`,
  };
}
