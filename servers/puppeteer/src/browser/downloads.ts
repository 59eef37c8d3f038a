/**
 * @module
 * Downloads confined to the operator's `--downloads-dir`. Chromium never writes there itself: it
 * saves each download under a random name in a private staging directory that the server creates
 * inside the downloads directory (`allowAndName`), and once a download completes the server links
 * it into place under the page's suggested name. `link()` never follows the new name and fails if
 * it exists (a file, or a symlink, dangling or not), so no download is written through a symlink
 * or over an existing file, and a reader sees the whole file or nothing. A name that is taken gets
 * ` (1)`, ` (2)`, ... before its extension.
 */
import { link, mkdtemp, rm, unlink } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { ToolError, type Logger } from '@plugboard/protocol';
import type { Browser, CDPSession } from 'puppeteer-core';
import { cleanLine } from './untrusted.js';

/** The prefix of the staging directory, which the server removes when the browser closes. */
export const STAGING_PREFIX = '.downloading-';
const NAME_MAX = 200;
const MAX_SUFFIX = 99;

export interface DownloadHooks {
  readonly logger: Logger;
  /** Tells the next tool result what happened. */
  readonly note: (text: string) => void;
}

export interface ConfinedDownloads {
  /** Stops listening and removes the staging directory with anything still in it. */
  close(): Promise<void>;
}

/** A file name the page suggested, made safe to create: one path component, visible, bounded. */
export function safeFileName(suggested: string): string {
  // Leading dots go too: no hidden files, no `..`, and never the staging directory's name.
  const name = cleanLine(basename(suggested.replace(/\\/g, '/')), NAME_MAX)
    .replace(/^[.\s]+/, '')
    .trim();
  return name === '' ? 'download' : name;
}

/** `name`, then `stem (1).ext`, `stem (2).ext`, ... */
function candidates(name: string): string[] {
  const ext = extname(name);
  const stem = ext === '' ? name : name.slice(0, -ext.length);
  const names = [name];
  for (let n = 1; n <= MAX_SUFFIX; n++) names.push(`${stem} (${n})${ext}`);
  return names;
}

/** Links `staged` into `dir` under the first free candidate name; returns that name. */
async function place(staged: string, dir: string, name: string): Promise<string | undefined> {
  for (const candidate of candidates(name)) {
    try {
      await link(staged, join(dir, candidate));
      return candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return undefined;
}

interface WillBegin {
  readonly guid: string;
  readonly suggestedFilename: string;
}

interface Progress {
  readonly guid: string;
  readonly state: 'inProgress' | 'completed' | 'canceled';
  readonly receivedBytes: number;
}

/** Sends the browser's downloads through a staging directory inside `dir` (see the module). */
export async function confineDownloads(
  browser: Browser,
  dir: string,
  hooks: DownloadHooks,
): Promise<ConfinedDownloads> {
  const staging = await mkdtemp(join(dir, STAGING_PREFIX)).catch((error: unknown) => {
    throw new ToolError(
      `The downloads directory ${dir} cannot take downloads (${(error as NodeJS.ErrnoException).code ?? String(error)}); the operator can fix its permissions or change --downloads-dir.`,
    );
  });
  const names = new Map<string, string>();
  let cdp: CDPSession | undefined;

  const completed = async (guid: string, bytes: number): Promise<void> => {
    const name = safeFileName(names.get(guid) ?? 'download');
    names.delete(guid);
    const staged = join(staging, guid);
    try {
      const placed = await place(staged, dir, name);
      if (placed === undefined) {
        hooks.note(
          `A download (${name}) was discarded: ${name} and its ${MAX_SUFFIX} numbered variants already exist in the downloads directory.`,
        );
        return;
      }
      hooks.note(`Downloaded ${placed} (${bytes} bytes) into the downloads directory.`);
    } catch (error) {
      hooks.logger.warn('a download could not be saved', {
        name,
        error: error instanceof Error ? error.message : String(error),
      });
      hooks.note(`A download (${name}) could not be saved in the downloads directory.`);
    } finally {
      await unlink(staged).catch(() => undefined);
    }
  };

  try {
    cdp = await browser.target().createCDPSession();
    cdp.on('Browser.downloadWillBegin', (event: WillBegin) => {
      names.set(event.guid, event.suggestedFilename);
    });
    cdp.on('Browser.downloadProgress', (event: Progress) => {
      if (event.state === 'completed') void completed(event.guid, event.receivedBytes);
      else if (event.state === 'canceled') {
        names.delete(event.guid);
        void unlink(join(staging, event.guid)).catch(() => undefined);
      }
    });
    await cdp.send('Browser.setDownloadBehavior', {
      behavior: 'allowAndName',
      downloadPath: staging,
      eventsEnabled: true,
    });
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }

  return {
    async close() {
      await cdp?.detach().catch(() => undefined);
      await rm(staging, { recursive: true, force: true });
    },
  };
}
