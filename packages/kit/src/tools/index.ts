/**
 * @module
 * `@plugboard/kit/tools`: how a server's tools declare when they exist and which it exposes
 * (see the README), the build manifest they are listed from, and the annotation presets.
 */
export { annotationPresets } from './annotations.js';
export type { AnnotationPresets, ToolHints } from './annotations.js';
export { loadTools } from './load.js';
export type { AvailabilityManifest } from './load.js';
export { EVERY_TOOL, exposeTools, toolsetsOf } from './select.js';
export type {
  DeclaredTool,
  ExposedTools,
  RequestFacts,
  Selection,
  ToolConfiguration,
  ToolGate,
  ToolGates,
  ToolsetOptions,
  WithheldTool,
} from './select.js';
