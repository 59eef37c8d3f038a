/**
 * @module
 * The fixture's tool registry: every tool the conformance suite calls, plus the ones the interop
 * and robustness tests need.
 */
import type { Tool } from '@plugboard/protocol';
import type { FixtureDeps } from '../context.js';
import { contentTools } from './content.js';
import { inputRequiredTools } from './input-required.js';
import { interactionTools } from './interaction.js';
import { taskTools } from './tasks.js';
import { triggerTools } from './triggers.js';

export const tools: readonly Tool<FixtureDeps>[] = [
  ...contentTools,
  ...interactionTools,
  ...inputRequiredTools,
  ...triggerTools,
  ...taskTools,
];
