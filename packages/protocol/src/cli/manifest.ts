#!/usr/bin/env node
/**
 * @module
 * `plugboard-manifest <tools-module> <out.json> [export]`: a build step that imports a server's
 * built tool registry and writes the descriptors `lazyTools` serves at start-up.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { toolManifest } from '../mcp/tool-manifest.js';
import type { Tool } from '../mcp/tool.js';

const [modulePath, outPath, exportName = 'tools'] = process.argv.slice(2);
if (modulePath === undefined || outPath === undefined) {
  process.stderr.write('usage: plugboard-manifest <tools-module.js> <out.json> [export-name]\n');
  process.exit(2);
}
const module = (await import(pathToFileURL(resolve(modulePath)).href)) as Record<string, unknown>;
const tools = module[exportName];
if (!Array.isArray(tools)) {
  process.stderr.write(`plugboard-manifest: ${modulePath} has no array export "${exportName}"\n`);
  process.exit(2);
}
writeFileSync(outPath, `${JSON.stringify(toolManifest(tools as Tool[]))}\n`);
