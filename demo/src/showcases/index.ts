/**
 * @module
 * The demo tour, in order: every server that needs no credentials (the browser when a Chromium
 * is present), then the protocol showcase.
 */
import type { Showcase } from '../showcase.js';
import { browserShowcase } from './browser.js';
import { filesystemShowcase } from './filesystem.js';
import { fixtureShowcase } from './fixture.js';
import { gitShowcase } from './git.js';
import { postgresShowcase } from './postgres.js';

export const showcases: readonly Showcase[] = [
  filesystemShowcase,
  gitShowcase,
  postgresShowcase,
  browserShowcase,
  fixtureShowcase,
];
