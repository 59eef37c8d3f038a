#!/usr/bin/env node
/**
 * @module
 * The `mcp-server-postgres` command: its command line, and where the server lives. The server
 * module is imported after the command line is read, so --help loads nothing else.
 */
import { defineServer } from '@plugboard/kit/cli';
import { COMMAND } from './command.js';

await defineServer({ spec: COMMAND, parts: async () => (await import('./server.js')).parts });
