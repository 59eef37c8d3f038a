/**
 * @module
 * The built server as the end-to-end tests spawn it: `dist/main.js`, with the Chromium the test
 * run found (`PUPPETEER_EXECUTABLE_PATH`) passed on.
 */
import { fileURLToPath } from 'node:url';

export const SERVER = fileURLToPath(new URL('../dist/main.js', import.meta.url));

export const BROWSER_ENV: Record<string, string> =
  process.env.PUPPETEER_EXECUTABLE_PATH === undefined
    ? {}
    : { PUPPETEER_EXECUTABLE_PATH: process.env.PUPPETEER_EXECUTABLE_PATH };
