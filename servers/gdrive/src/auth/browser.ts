/**
 * @module
 * Opening the sign-in page. The address is parsed with the WHATWG URL parser and must be https
 * (http only on a loopback host); it is then handed to the browser as one argument of a process
 * started without a shell, so nothing in it can run as a command (the mcp-remote flaw,
 * CVE-2025-6514, came from passing a URL to a shell). On Windows `rundll32 url.dll` opens it
 * instead of `cmd /c start`, for the same reason. BROWSER, when set, names the program to run.
 */
import { spawn } from 'node:child_process';

/** An address that may not be opened; the message says why. */
export class UnsafeUrlError extends Error {
  override readonly name = 'UnsafeUrlError';
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The URL, parsed, when it is safe to show a user and open; throws otherwise. */
export function safeBrowserUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeUrlError(`not a URL: ${JSON.stringify(raw.slice(0, 100))}`);
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && LOOPBACK.has(url.hostname)) return url;
  throw new UnsafeUrlError(
    `refusing to open ${JSON.stringify(raw.slice(0, 100))}: only https addresses (or http on this machine) are opened`,
  );
}

/** The program and arguments that open `url` on this platform. */
export function browserCommand(
  url: URL,
  env: Readonly<Record<string, string | undefined>>,
  platform: NodeJS.Platform,
): [string, string[]] {
  const browser = env.BROWSER?.trim();
  if (browser !== undefined && browser !== '') return [browser, [url.href]];
  if (platform === 'darwin') return ['open', [url.href]];
  if (platform === 'win32') return ['rundll32', ['url.dll,FileProtocolHandler', url.href]];
  return ['xdg-open', [url.href]];
}

/** Starts the browser on `url`; false when no browser could be started (the URL is printed anyway). */
export async function openBrowser(
  raw: string,
  env: Readonly<Record<string, string | undefined>>,
  platform: NodeJS.Platform = process.platform,
): Promise<boolean> {
  const url = safeBrowserUrl(raw);
  const [command, args] = browserCommand(url, env, platform);
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'ignore', detached: true, shell: false });
    child.once('error', () => resolve(false));
    child.once('spawn', () => {
      child.unref();
      resolve(true);
    });
  });
}
