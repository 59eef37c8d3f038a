/**
 * @module
 * The demo tour, in order: every server that needs no credentials, then the protocol showcase.
 */
import type { Showcase } from '../showcase.js';
import { filesystemShowcase } from './filesystem.js';
import { fixtureShowcase } from './fixture.js';
import { gitShowcase } from './git.js';
import { postgresShowcase } from './postgres.js';

export const showcases: readonly Showcase[] = [
  filesystemShowcase,
  gitShowcase,
  postgresShowcase,
  fixtureShowcase,
];
