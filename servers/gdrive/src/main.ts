#!/usr/bin/env node
/**
 * @module
 * Entry point of mcp-server-gdrive: `auth` signs in; anything else serves. Neither the server
 * nor Google's libraries are imported until --help and --version have been answered.
 */
import { defineServer } from '@plugboard/kit/cli';
import { spec } from './spec.js';

const argv = process.argv.slice(2);
if (argv[0] === 'auth')
  process.exitCode = await (await import('./auth/command.js')).runAuth(argv.slice(1));
else await defineServer({ spec, parts: async () => (await import('./server.js')).parts });
