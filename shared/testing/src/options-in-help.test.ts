import { describe, expect, it } from 'vitest';
import { optionsInHelp } from './options-in-help.js';

const HELP = [
  'mcp-server-demo 1.0.0: a demo',
  '',
  'Usage: mcp-server-demo [options] [DATA_DIR]',
  '',
  'Options:',
  '  --port N                        HTTP port (default 3000) [env MCP_PORT]',
  '  --read-only                     Hide writes [env DEMO_READ_ONLY]',
  '  --no-browser                    Print the address only',
  '  --help                            Print this help and exit',
  '  --version                         Print the version and exit',
  '',
  'Environment:',
  '  PGHOST, PGPORT                  Used when nothing else is set',
  '  ALLOW_DANGEROUS=true            Accept risky options',
  '',
  'The token comes from DEMO_TOKEN (or BROWSER_TOKEN), never from --port.',
].join('\n');

describe('optionsInHelp', () => {
  it('takes the flags that start option rows, without --help and --version', () => {
    expect([...optionsInHelp(HELP).flags].sort()).toEqual(['no-browser', 'port', 'read-only']);
  });

  it('takes env twins, the names under Environment: and snake-case names in prose, not usage placeholders', () => {
    expect([...optionsInHelp(HELP).env].sort()).toEqual([
      'ALLOW_DANGEROUS',
      'BROWSER_TOKEN',
      'DEMO_READ_ONLY',
      'DEMO_TOKEN',
      'MCP_PORT',
      'PGHOST',
      'PGPORT',
    ]);
  });
});
