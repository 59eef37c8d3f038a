/**
 * The emulation toolset against a real headless Chromium: a local page reports its viewport,
 * touch points, time zone, locale, colour scheme, network state, user agent and position back,
 * and each setting is seen by the page (and the server) while in force and gone after a reset.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';
import { startSite, type Site } from './site.js';

let site: Site;
let browser: Harness;

beforeAll(async () => {
  site = await startSite();
  browser = await startHarness({ flags: { toolsets: ['emulation'], timeout: 20_000 } });
});

// Each test starts from the browser's defaults, whatever the one before it left.
afterEach(async () => {
  await browser.ok('puppeteer_emulate', { reset: ['all'] });
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

type Emulating = { tab: string; emulating: Record<string, string> };

/** What /emulation reports, as key → value, once its position request has answered. */
async function facts(query = ''): Promise<Record<string, string>> {
  await browser.ok('puppeteer_navigate', { url: `${site.url}/emulation${query}` });
  await browser.ok('puppeteer_wait_for', { textGone: 'geo=pending' });
  const { text: snapshot } = await browser.ok('puppeteer_snapshot');
  const found: Record<string, string> = {};
  for (const match of snapshot.matchAll(/"(\w+)=([^"\n]*)"/g)) found[match[1]!] = match[2]!;
  return found;
}

describe('puppeteer_emulate', () => {
  it('is off by default: not listed, and a call names the flag', async () => {
    const plain = await startHarness();
    try {
      const { tools } = await plain.client.listTools();
      expect(tools.map((tool) => tool.name)).not.toContain('puppeteer_emulate');
      await expect(
        plain.client.callTool({ name: 'puppeteer_emulate', arguments: { timezone: 'Asia/Tokyo' } }),
      ).rejects.toThrow('turns it on with --toolsets emulation');
      expect(plain.deps.session.launched).toBe(false);
    } finally {
      await plain.close();
    }
  });

  it('applies a viewport, time zone, locale, colour scheme, user agent and position, then resets them all', async () => {
    const before = await facts();
    expect(before.size).toBe('800x600');
    expect(before.dark).toBe('false');
    expect(before.geo).toMatch(/^error/);

    const set = await browser.ok<Emulating>('puppeteer_emulate', {
      viewport: { width: 500, height: 700 },
      timezone: 'Asia/Tokyo',
      locale: 'de-DE',
      colorScheme: 'dark',
      userAgent: 'PlugboardTest/1.0',
      geolocation: { latitude: 51.5, longitude: -0.12 },
    });
    expect(set.emulating).toMatchObject({
      viewport: '500x700',
      timezone: 'Asia/Tokyo',
      locale: 'de-DE',
      colorScheme: 'dark',
    });
    const during = await facts();
    expect(during).toMatchObject({
      size: '500x700',
      tz: 'Asia/Tokyo',
      locale: 'de-DE',
      lang: 'de-DE',
      dark: 'true',
      ua: 'PlugboardTest/1.0',
      geo: '51.5,-0.12',
    });
    expect(site.lastHeaders.get('/emulation')?.['user-agent']).toBe('PlugboardTest/1.0');
    expect(site.lastHeaders.get('/emulation')?.['accept-language']).toContain('de-DE');

    const reset = await browser.ok<Emulating>('puppeteer_emulate', { reset: ['all'] });
    expect(reset.emulating).toEqual({});
    expect(reset.text).toContain('emulates nothing');
    const after = await facts();
    expect(after).toMatchObject({
      size: before.size,
      tz: before.tz,
      locale: before.locale,
      lang: before.lang,
      dark: 'false',
      ua: before.ua,
    });
    expect(after.geo).toMatch(/^error/);
    expect(site.lastHeaders.get('/emulation')?.['user-agent']).toBe(before.ua);
  });

  it('emulates a device preset with touch and resets one setting at a time', async () => {
    const before = await facts();
    const phone = await browser.ok<Emulating>('puppeteer_emulate', {
      device: 'iphone 15 pro',
      timezone: 'America/New_York',
    });
    expect(phone.emulating.viewport).toContain('iPhone 15 Pro');
    const during = await facts();
    expect(during.size).toBe('393x659');
    expect(Number(during.touch)).toBeGreaterThan(0);
    expect(during.ua).toContain('iPhone');

    await browser.ok('puppeteer_emulate', { reset: ['viewport', 'userAgent'] });
    const partly = await facts();
    expect(partly).toMatchObject({ size: before.size, ua: before.ua, tz: 'America/New_York' });
    expect(Number(partly.touch)).toBe(Number(before.touch));
    await browser.ok('puppeteer_emulate', { reset: ['timezone'] });
    expect((await facts()).tz).toBe(before.tz);
  });

  it('takes the tab offline, throttles it to 3G and back', async () => {
    await browser.ok('puppeteer_navigate', { url: `${site.url}/emulation` });
    const offline = await browser.ok<Emulating>('puppeteer_emulate', { network: 'offline' });
    expect(offline.emulating.network).toBe('offline');
    const hits = site.hits.get('/emulation') ?? 0;
    expect(await browser.fail('puppeteer_navigate', { url: `${site.url}/emulation` })).toContain(
      'there is no network',
    );
    expect(site.hits.get('/emulation') ?? 0).toBe(hits);

    // Fast 3G downloads about 180 KB/s: 100 KB cannot arrive in less than half a second.
    await browser.ok('puppeteer_emulate', { reset: ['network'], network: 'fast-3g' });
    const slow = await facts('?pad=100000');
    expect(slow.online).toBe('true');
    expect(Number(slow.download)).toBeGreaterThanOrEqual(500);
    expect(site.hits.get('/emulation')).toBe(hits + 1);
    await browser.ok('puppeteer_emulate', { reset: ['network'], cpuThrottling: 4 });
    const state = await browser.ok<Emulating>('puppeteer_emulate', { reset: ['cpuThrottling'] });
    expect(state.emulating).toEqual({});
  });

  it('refuses unknown devices, time zones and locales with what would work', async () => {
    expect(await browser.fail('puppeteer_emulate', { device: 'Pixel 99' })).toContain('Pixel 5');
    expect(await browser.fail('puppeteer_emulate', { timezone: 'Mars/Olympus' })).toContain('IANA');
    expect(await browser.fail('puppeteer_emulate', { locale: 'not a locale' })).toContain('BCP 47');
  });
});
