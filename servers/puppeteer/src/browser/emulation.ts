/**
 * @module
 * What a tab pretends to be: its viewport or device, network, CPU speed, position, time zone,
 * locale, user agent and colour scheme. Each setting is applied through puppeteer to the tab's
 * page (and its workers), recorded on the tab so a result can say what is in force, and undone
 * by {@link resetEmulation}, which puts back what the page had before.
 */
import {
  KnownDevices,
  PredefinedNetworkConditions,
  type Page,
  type Viewport,
} from 'puppeteer-core';
import type { Emulation, Setting } from './emulation-state.js';

export const NETWORK_PRESETS = {
  offline: null,
  'slow-3g': PredefinedNetworkConditions['Slow 3G'],
  'fast-3g': PredefinedNetworkConditions['Fast 3G'],
  'slow-4g': PredefinedNetworkConditions['Slow 4G'],
  'fast-4g': PredefinedNetworkConditions['Fast 4G'],
} as const;

export type NetworkPreset = keyof typeof NETWORK_PRESETS;

export const COLOR_SCHEMES = ['light', 'dark', 'no-preference'] as const;

export type ColorScheme = (typeof COLOR_SCHEMES)[number];

/** A viewport as a tool argument: omitted fields keep puppeteer's defaults. */
export interface ViewportRequest {
  width: number;
  height: number;
  deviceScaleFactor?: number | undefined;
  isMobile?: boolean | undefined;
  hasTouch?: boolean | undefined;
}

export interface EmulationRequest {
  device?: string | undefined;
  viewport?: ViewportRequest | undefined;
  network?: NetworkPreset | undefined;
  cpuThrottling?: number | undefined;
  geolocation?: { latitude: number; longitude: number; accuracy?: number | undefined } | undefined;
  timezone?: string | undefined;
  locale?: string | undefined;
  userAgent?: string | undefined;
  colorScheme?: ColorScheme | undefined;
}

export const DEVICE_NAMES: readonly string[] = Object.keys(KnownDevices);

/** The KnownDevices name that matches, ignoring case and spacing. */
export function findDevice(name: string): keyof typeof KnownDevices | undefined {
  const wanted = name.toLowerCase().replace(/\s+/g, ' ').trim();
  const key = DEVICE_NAMES.find((candidate) => candidate.toLowerCase() === wanted);
  return key as keyof typeof KnownDevices | undefined;
}

function describeViewport(viewport: Viewport): string {
  const extras = [
    viewport.deviceScaleFactor !== undefined && viewport.deviceScaleFactor !== 1
      ? `@${viewport.deviceScaleFactor}x`
      : '',
    viewport.isMobile === true ? 'mobile' : '',
    viewport.hasTouch === true ? 'touch' : '',
  ].filter((part) => part !== '');
  return [`${viewport.width}x${viewport.height}`, ...extras].join(' ');
}

async function setViewport(page: Page, emulation: Emulation, viewport: Viewport): Promise<void> {
  if (emulation.baseViewport === undefined) emulation.baseViewport = page.viewport();
  // A change of mobile or touch makes puppeteer reload the page; it loads under the URL policy.
  await page.setViewport(viewport);
}

/** Applies every setting `request` names; devices first, so an explicit viewport wins. */
export async function applyEmulation(
  page: Page,
  emulation: Emulation,
  request: EmulationRequest,
): Promise<void> {
  const { active } = emulation;
  if (request.device !== undefined) {
    const name = findDevice(request.device);
    if (name === undefined) throw new Error(`unknown device ${request.device}`);
    const device = KnownDevices[name];
    await setViewport(page, emulation, device.viewport);
    await page.setUserAgent({ userAgent: device.userAgent });
    active.set('viewport', `${describeViewport(device.viewport)} (${name})`);
    active.set('userAgent', `${name}'s`);
  }
  if (request.viewport !== undefined) {
    const viewport = Object.fromEntries(
      Object.entries(request.viewport).filter(([, value]) => value !== undefined),
    ) as unknown as Viewport;
    await setViewport(page, emulation, viewport);
    active.set('viewport', describeViewport(viewport));
  }
  if (request.userAgent !== undefined) {
    await page.setUserAgent({ userAgent: request.userAgent });
    active.set('userAgent', JSON.stringify(request.userAgent));
  }
  if (request.network !== undefined) {
    // Conditions first: puppeteer's emulateNetworkConditions also clears offline mode.
    await page.emulateNetworkConditions(NETWORK_PRESETS[request.network]);
    if (request.network === 'offline') await page.setOfflineMode(true);
    active.set('network', request.network);
  }
  if (request.cpuThrottling !== undefined) {
    const slow = request.cpuThrottling > 1;
    await page.emulateCPUThrottling(slow ? request.cpuThrottling : null);
    if (slow) active.set('cpuThrottling', `${request.cpuThrottling}x slower`);
    else active.delete('cpuThrottling');
  }
  if (request.geolocation !== undefined) {
    const { latitude, longitude, accuracy = 0 } = request.geolocation;
    // The page may ask without a prompt; the position it gets is the one set here.
    await page
      .browserContext()
      .setPermission('*', { permission: { name: 'geolocation' }, state: 'granted' });
    await page.setGeolocation({ latitude, longitude, accuracy });
    active.set('geolocation', `${latitude}, ${longitude} (±${accuracy} m)`);
  }
  if (request.timezone !== undefined) {
    await page.emulateTimezone(request.timezone);
    active.set('timezone', request.timezone);
  }
  if (request.locale !== undefined) {
    await page.emulateLocale(request.locale);
    active.set('locale', request.locale);
  }
  if (request.colorScheme !== undefined) {
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: request.colorScheme }]);
    active.set('colorScheme', request.colorScheme);
  }
}

/** Undoes the given settings, leaving the page as it was before they were applied. */
export async function resetEmulation(
  page: Page,
  emulation: Emulation,
  settings: readonly Setting[],
): Promise<void> {
  for (const setting of settings) {
    switch (setting) {
      case 'viewport':
        if (emulation.baseViewport !== undefined) await page.setViewport(emulation.baseViewport);
        emulation.baseViewport = undefined;
        break;
      case 'userAgent':
        // Without a userAgent puppeteer goes back to the browser's own.
        await page.setUserAgent({});
        break;
      case 'network':
        // Also ends offline mode.
        await page.emulateNetworkConditions(null);
        break;
      case 'cpuThrottling':
        await page.emulateCPUThrottling(null);
        break;
      case 'geolocation':
        await page.setGeolocation(null);
        break;
      case 'timezone':
        await page.emulateTimezone(undefined);
        break;
      case 'locale':
        await page.emulateLocale(undefined);
        break;
      case 'colorScheme':
        await page.emulateMediaFeatures([]);
        break;
    }
    emulation.active.delete(setting);
  }
}
