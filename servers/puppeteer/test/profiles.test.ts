/**
 * The profile tools against a real headless Chromium: off without --profiles-dir; a storage
 * state saved after a login is a Playwright storageState file that signs a fresh profile in when
 * loaded; origins the URL policy refuses are skipped; names that would leave the directory, and
 * symlinks out of it, are refused without closing anything.
 */
import {
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';
import { startSite, type Site } from './site.js';

let site: Site;
let browser: Harness;
let profiles: string;
let outside: string;

beforeAll(async () => {
  site = await startSite();
  profiles = realpathSync(mkdtempSync(join(tmpdir(), 'profiles-')));
  outside = realpathSync(mkdtempSync(join(tmpdir(), 'outside-')));
  browser = await startHarness({ flags: { 'profiles-dir': profiles, timeout: 20_000 } });
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  rmSync(profiles, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

async function signIn(user: string): Promise<void> {
  await browser.ok('puppeteer_navigate', { url: `${site.url}/login` });
  await browser.ok('puppeteer_fill', { selector: 'input[name=user]', value: user });
  await browser.ok('puppeteer_click', { selector: 'button[type=submit]' });
}

async function who(): Promise<string> {
  await browser.ok('puppeteer_navigate', { url: `${site.url}/account` });
  return (await browser.ok('puppeteer_snapshot')).text;
}

type StateFile = {
  cookies: { name: string; value: string; domain: string; expires: number; httpOnly: boolean }[];
  origins: { origin: string; localStorage: { name: string; value: string }[] }[];
};

describe('profile tools', () => {
  it('are not listed without --profiles-dir, and a call names the flag', async () => {
    const plain = await startHarness();
    try {
      const { tools } = await plain.client.listTools();
      expect(tools.map((tool) => tool.name)).not.toContain('puppeteer_use_profile');
      await expect(
        plain.client.callTool({ name: 'puppeteer_use_profile', arguments: { name: 'work' } }),
      ).rejects.toThrow('turns it on with --profiles-dir DIR');
      expect(plain.deps.session.launched).toBe(false);
    } finally {
      await plain.close();
    }
  });

  it('saves a login as a Playwright storage state that signs a fresh profile in', async () => {
    await browser.ok('puppeteer_use_profile', { name: 'source' });
    await signIn('bob');
    expect(await who()).toContain('Signed in as bob');
    await browser.ok('puppeteer_set_storage', {
      store: 'localStorage',
      name: 'theme',
      value: 'dark',
    });
    const saved = await browser.ok<{ cookies: number; origins: string[] }>(
      'puppeteer_export_storage_state',
      { file: 'bob.json' },
    );
    expect(saved.origins).toEqual([site.url]);
    // The model is told counts; the values stay in the operator's file.
    expect(saved.text).not.toContain('bob"');
    const file = JSON.parse(readFileSync(join(profiles, 'bob.json'), 'utf8')) as StateFile;
    expect(file.cookies).toContainEqual(
      expect.objectContaining({
        name: 'session',
        value: 'bob',
        domain: '127.0.0.1',
        httpOnly: true,
      }),
    );
    expect(file.cookies.find((cookie) => cookie.name === 'session')!.expires).toBeGreaterThan(
      Date.now() / 1000,
    );
    expect(file.origins).toEqual([
      { origin: site.url, localStorage: [{ name: 'theme', value: 'dark' }] },
    ]);

    const switched = await browser.ok<{ profiles: string[] }>('puppeteer_use_profile', {
      name: 'target',
    });
    expect(switched.profiles).toEqual(['source', 'target']);
    expect(await who()).toContain('Signed out');
    const loaded = await browser.ok<{ cookies: number; origins: string[] }>(
      'puppeteer_import_storage_state',
      { file: 'bob.json' },
    );
    expect(loaded.origins).toEqual([site.url]);
    expect(await who()).toContain('Signed in as bob');
    const { localStorage } = await browser.ok<{ localStorage: { key: string; value: string }[] }>(
      'puppeteer_get_storage',
      { stores: ['localStorage'] },
    );
    expect(localStorage).toEqual([{ key: 'theme', value: 'dark' }]);
  });

  it('skips the localStorage of origins the URL policy refuses, saying why', async () => {
    writeFileSync(
      join(profiles, 'mixed.json'),
      JSON.stringify({
        cookies: [],
        origins: [
          { origin: 'http://10.1.2.3:8080', localStorage: [{ name: 'planted', value: 'x' }] },
          { origin: 'http://169.254.169.254', localStorage: [{ name: 'planted', value: 'x' }] },
          { origin: site.url, localStorage: [{ name: 'kept', value: 'yes' }] },
        ],
      }),
    );
    const loaded = await browser.ok<{ origins: string[]; refused: { origin: string }[] }>(
      'puppeteer_import_storage_state',
      { file: 'mixed.json' },
    );
    expect(loaded.origins).toEqual([site.url]);
    expect(loaded.refused.map((entry) => entry.origin)).toEqual([
      'http://10.1.2.3:8080',
      'http://169.254.169.254',
    ]);
    expect(loaded.text).toMatch(/Skipped http:\/\/10\.1\.2\.3:8080: .*private/);
  });

  it('refuses names that leave the directory, and symlinks out of it, closing nothing', async () => {
    await browser.ok('puppeteer_navigate', { url: `${site.url}/second` });
    const before = await browser.ok<{ tabs: { id: string }[] }>('puppeteer_list_tabs');
    for (const name of ['../up', '/tmp', 'a/b', '..']) {
      expect(await browser.fail('puppeteer_use_profile', { name })).toMatch(
        /profile name .* is refused/,
      );
    }
    for (const file of ['../up.json', '/tmp/state.json', 'sub/state.json']) {
      expect(await browser.fail('puppeteer_export_storage_state', { file })).toMatch(
        /file .* is refused/,
      );
      expect(await browser.fail('puppeteer_import_storage_state', { file })).toMatch(
        /file .* is refused/,
      );
    }
    symlinkSync(outside, join(profiles, 'escape'));
    expect(await browser.fail('puppeteer_use_profile', { name: 'escape' })).toContain(
      'is a symbolic link',
    );
    const victim = join(outside, 'victim.json');
    writeFileSync(victim, 'untouched');
    symlinkSync(victim, join(profiles, 'link.json'));
    expect(await browser.fail('puppeteer_export_storage_state', { file: 'link.json' })).toContain(
      'is a symbolic link',
    );
    expect(await browser.fail('puppeteer_import_storage_state', { file: 'link.json' })).toContain(
      'is a symbolic link',
    );
    expect(readFileSync(victim, 'utf8')).toBe('untouched');
    // Nothing closed: the same tabs, still on the same page.
    expect(await browser.ok('puppeteer_list_tabs')).toEqual(before);
  });

  it('loads nothing from a file that is not a storage state, and says what is wrong', async () => {
    writeFileSync(join(profiles, 'broken.json'), '{"cookies": [');
    expect(await browser.fail('puppeteer_import_storage_state', { file: 'broken.json' })).toContain(
      'is not JSON',
    );
    writeFileSync(join(profiles, 'shape.json'), JSON.stringify({ cookies: [{ name: 'a' }] }));
    expect(await browser.fail('puppeteer_import_storage_state', { file: 'shape.json' })).toMatch(
      /is not a storage state .*cookies\.0\.value.* Nothing was loaded/,
    );
  });
});
