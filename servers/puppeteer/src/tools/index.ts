/**
 * @module
 * The single registry of browser tools: the seven reference tools first (same names, same
 * arguments), then the rest, grouped by domain.
 */
import type { Tool } from '@plugboard/protocol';
import type { BrowserDeps } from '../context.js';
import { dialogTools } from './dialogs.js';
import { emulationTools } from './emulation.js';
import { evaluate } from './evaluate.js';
import { inputTools } from './input.js';
import { consoleTools } from './inspect.js';
import { click, fill, hover, pressKey, select, type } from './interaction.js';
import { goBack, goForward, navigate, reload } from './navigation.js';
import { networkTools } from './network.js';
import { pdfTools } from './pdf.js';
import { performanceTools } from './performance.js';
import { profileTools } from './profiles.js';
import { screenshot } from './screenshot.js';
import { snapshotTools } from './snapshot.js';
import { storageTools } from './storage.js';
import { tabTools } from './tabs.js';
import { uploadTools } from './upload.js';
import { waitTools } from './waits.js';

export const tools: Tool<BrowserDeps>[] = [
  navigate,
  screenshot,
  click,
  fill,
  select,
  hover,
  evaluate,
  ...snapshotTools,
  pressKey,
  type,
  ...uploadTools,
  ...dialogTools,
  goBack,
  goForward,
  reload,
  ...waitTools,
  ...tabTools,
  ...consoleTools,
  ...networkTools,
  ...storageTools,
  ...profileTools,
  ...pdfTools,
  ...emulationTools,
  ...inputTools,
  ...performanceTools,
];
