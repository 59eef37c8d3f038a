#!/usr/bin/env node
/**
 * @module
 * Entry point of mcp-server-github: the command line, and where the server lives. The server itself is
 * imported only after --help and --version are handled.
 */
import { defineServer } from '@plugboard/kit/cli';
import { spec } from './spec.js';

await defineServer({ spec, parts: async () => (await import('./server.js')).parts });
