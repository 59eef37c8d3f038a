/**
 * @module
 * What emulation is in force on a tab, apart from applying it (`emulation.ts`, which loads
 * puppeteer): every tab starts with {@link noEmulation}, so this much is needed at start-up.
 */
import type { Viewport } from 'puppeteer-core';

export const SETTINGS = [
  'viewport',
  'userAgent',
  'network',
  'cpuThrottling',
  'geolocation',
  'timezone',
  'locale',
  'colorScheme',
] as const;

export type Setting = (typeof SETTINGS)[number];

/** The emulation in force on one tab: a description per active setting. */
export interface Emulation {
  readonly active: Map<Setting, string>;
  /** The page's viewport before the first change, put back by a reset. */
  baseViewport: Viewport | null | undefined;
}

export function noEmulation(): Emulation {
  return { active: new Map(), baseViewport: undefined };
}
