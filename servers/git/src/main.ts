#!/usr/bin/env node
/**
 * @module
 * Entry point of mcp-server-git: the command line (the official server's spellings translated),
 * and where the server lives, imported only after --help and --version are handled.
 */
import { defineServer } from '@plugboard/kit/cli';
import { translateOfficialArguments } from './compat.js';
import { spec } from './spec.js';

await defineServer({
  spec,
  argv: translateOfficialArguments,
  parts: async () => (await import('./server.js')).parts,
});
