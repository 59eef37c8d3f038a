/**
 * @module
 * puppeteer_emulate (the emulation toolset): make the current tab look like a device, a slow
 * network, a slow CPU, another place, time zone, locale or user agent, or a dark colour scheme,
 * and undo any of it with `reset`. The result says what is in force afterwards.
 */
import { structured, ToolError } from '@plugboard/protocol';
import { z } from 'zod';
import {
  applyEmulation,
  COLOR_SCHEMES,
  DEVICE_NAMES,
  findDevice,
  NETWORK_PRESETS,
  resetEmulation,
  type NetworkPreset,
} from '../browser/emulation.js';
import { SETTINGS, type Setting } from '../browser/emulation-state.js';
import { cleanLine } from '../browser/untrusted.js';
import { defineTool } from '../context.js';
import { withTab, WEB } from './common.js';

const NETWORKS = Object.keys(NETWORK_PRESETS) as [NetworkPreset, ...NetworkPreset[]];

const emulatingOutput = z.object({
  tab: z.string(),
  emulating: z
    .object(Object.fromEntries(SETTINGS.map((setting) => [setting, z.string().optional()])))
    .describe('Each setting in force on the tab, described; absent ones are the browser default'),
});

/** Checks names the browser would only reject with an opaque protocol error. */
function checkNames(args: {
  device?: string | undefined;
  timezone?: string | undefined;
  locale?: string | undefined;
}): void {
  if (args.device !== undefined && findDevice(args.device) === undefined) {
    const words = args.device.toLowerCase().split(/\s+/);
    const near = DEVICE_NAMES.filter((name) =>
      words.some((word) => word !== '' && name.toLowerCase().includes(word)),
    ).slice(0, 12);
    throw new ToolError(
      `There is no device named ${JSON.stringify(cleanLine(args.device, 60))}; ${near.length > 0 ? `close names: ${near.join(', ')}` : `devices include ${DEVICE_NAMES.slice(0, 12).join(', ')}`}.`,
    );
  }
  if (args.timezone !== undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: args.timezone });
    } catch {
      throw new ToolError(
        `${JSON.stringify(cleanLine(args.timezone, 60))} is not a time zone; use an IANA name such as Europe/Berlin or America/New_York.`,
      );
    }
  }
  if (args.locale !== undefined) {
    try {
      Intl.getCanonicalLocales(args.locale);
    } catch {
      throw new ToolError(
        `${JSON.stringify(cleanLine(args.locale, 60))} is not a locale; use a BCP 47 tag such as de-DE or ja.`,
      );
    }
  }
}

export const emulate = defineTool({
  name: 'puppeteer_emulate',
  title: 'Emulate a device, network or place',
  description:
    'Make the current tab emulate a device preset or viewport, a network (offline, 3G, 4G), a slower CPU, a geolocation, time zone, locale, user agent or colour scheme. reset undoes settings (["all"] for every one); the result lists what is in force.',
  input: z.object({
    device: z
      .string()
      .min(1)
      .max(60)
      .optional()
      .describe(
        'A puppeteer device preset, e.g. "iPhone 15 Pro" or "Pixel 5": viewport and user agent',
      ),
    viewport: z
      .object({
        width: z.number().int().min(100).max(4000).describe('Width in CSS pixels'),
        height: z.number().int().min(100).max(4000).describe('Height in CSS pixels'),
        deviceScaleFactor: z
          .number()
          .min(0.5)
          .max(4)
          .optional()
          .describe('Device pixels per CSS pixel (default 1)'),
        isMobile: z.boolean().optional().describe('Honour <meta name=viewport> as phones do'),
        hasTouch: z.boolean().optional().describe('Report a touch screen'),
      })
      .strict()
      .optional()
      .describe('CSS pixels; changing isMobile or hasTouch reloads the page'),
    network: z.enum(NETWORKS).optional().describe('Network conditions to emulate'),
    cpuThrottling: z
      .number()
      .min(1)
      .max(20)
      .optional()
      .describe('How many times slower the CPU runs (1 is full speed)'),
    geolocation: z
      .object({
        latitude: z.number().min(-90).max(90).describe('Degrees north'),
        longitude: z.number().min(-180).max(180).describe('Degrees east'),
        accuracy: z.number().min(0).max(100_000).optional().describe('Metres (default 0)'),
      })
      .strict()
      .optional()
      .describe('The position pages get (the permission is granted)'),
    timezone: z.string().min(1).max(60).optional().describe('IANA time zone, e.g. Asia/Tokyo'),
    locale: z.string().min(1).max(35).optional().describe('BCP 47 locale, e.g. de-DE'),
    userAgent: z.string().min(1).max(1000).optional().describe('The User-Agent to send and report'),
    colorScheme: z.enum(COLOR_SCHEMES).optional().describe('prefers-color-scheme to report'),
    reset: z
      .array(z.enum([...SETTINGS, 'all']))
      .min(1)
      .optional()
      .describe(
        'Settings to put back to the browser default first (device resets viewport and userAgent)',
      ),
  }),
  output: emulatingOutput,
  toolset: 'emulation',
  annotations: WEB.SET,
  auditTarget: ['device'],
  async run(args, ctx) {
    checkNames(args);
    return withTab(ctx, async (tab) => {
      const { reset, ...request } = args;
      if (reset !== undefined) {
        const settings: readonly Setting[] = reset.includes('all')
          ? SETTINGS
          : (reset as Setting[]);
        await resetEmulation(tab.page, tab.emulation, settings);
      }
      await applyEmulation(tab.page, tab.emulation, request);
      const emulating = Object.fromEntries(tab.emulation.active);
      const lines = SETTINGS.filter((setting) => tab.emulation.active.has(setting)).map(
        (setting) => `  ${setting}: ${tab.emulation.active.get(setting)}`,
      );
      return structured(
        { tab: tab.id, emulating },
        lines.length === 0
          ? `Tab ${tab.id} emulates nothing: browser defaults.`
          : [`Tab ${tab.id} emulates:`, ...lines].join('\n'),
      );
    });
  },
});

export const emulationTools = [emulate];
