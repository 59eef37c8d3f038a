/**
 * @module
 * What every browser tool can reach: the operator's configuration, the URL policy, the browser session (the
 * state object that owns the browser and its tabs), and the screenshot store.
 */
import { toolFactory, type ToolContext } from '@plugboard/protocol';
import type { BrowserSession } from './browser/session.js';
import type { CaptureStore } from './captures.js';
import type { BrowserConfig } from './config.js';
import type { UrlPolicy } from './policy/url-policy.js';

export interface BrowserDeps {
  readonly config: BrowserConfig;
  readonly policy: UrlPolicy;
  readonly session: BrowserSession;
  readonly captures: CaptureStore;
}

export type BrowserContext = ToolContext<BrowserDeps>;

export const defineTool = toolFactory<BrowserDeps>();
