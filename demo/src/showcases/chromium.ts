/**
 * @module
 * Whether this machine has a Chrome or Chromium the browser server can drive: the one
 * `PUPPETEER_EXECUTABLE_PATH` names, else the usual install locations. The demo only asks so it
 * can skip the browser stop with the reason; the server does its own, fuller search.
 */
import { accessSync, constants, statSync } from 'node:fs';

const LOCATIONS: Readonly<Record<string, readonly string[]>> = {
  linux: [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/snap/bin/chromium',
  ],
  darwin: [
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
  ],
  win32: [
    'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
  ],
};

function executable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export type ChromiumSearch =
  | { readonly found: true; readonly path: string }
  | { readonly found: false; readonly reason: string };

export function findChromium(
  env: Readonly<Record<string, string | undefined>> = process.env,
  platform: string = process.platform,
): ChromiumSearch {
  const named = env.PUPPETEER_EXECUTABLE_PATH;
  if (named !== undefined && named !== '')
    return executable(named)
      ? { found: true, path: named }
      : { found: false, reason: `PUPPETEER_EXECUTABLE_PATH=${named} is not an executable file` };
  const path = (LOCATIONS[platform] ?? []).find(executable);
  return path === undefined
    ? {
        found: false,
        reason:
          'no Chrome or Chromium found (install one, e.g. apt-get install chromium, or set PUPPETEER_EXECUTABLE_PATH)',
      }
    : { found: true, path };
}
