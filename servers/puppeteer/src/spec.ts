/**
 * @module
 * The command line of `mcp-server-puppeteer`: the shared flags plus the operator's switches for
 * the browser. Kept apart from the server so that `--help` loads nothing else.
 */
import type { CommandSpec } from '@plugboard/kit/cli';

export const VERSION = PLUGBOARD_PACKAGE_VERSION;

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_TABS = 8;

export const spec: CommandSpec = {
  bin: 'mcp-server-puppeteer',
  version: VERSION,
  prefix: 'PUPPETEER',
  summary: 'A headless browser for MCP clients that cannot be turned against your network',
  flags: [
    {
      name: 'toolsets',
      type: 'list',
      env: 'PUPPETEER_TOOLSETS',
      placeholder: 'a,b',
      description:
        'Optional tool groups to list as well: emulation, input, performance, or all (none by default)',
    },
    {
      name: 'allow-evaluate',
      type: 'boolean',
      env: 'PUPPETEER_ALLOW_EVALUATE',
      description: 'Enable puppeteer_evaluate (arbitrary JavaScript in the page)',
    },
    {
      name: 'allow-origin',
      type: 'list',
      repeatable: true,
      env: 'PUPPETEER_ALLOW_ORIGINS',
      placeholder: 'ORIGIN',
      description:
        'Open an origin even if its address is private or loopback: https://intranet.example, host:port, *.corp.example (repeatable)',
    },
    {
      name: 'block-origin',
      type: 'list',
      repeatable: true,
      env: 'PUPPETEER_BLOCK_ORIGINS',
      placeholder: 'ORIGIN',
      description: 'Never load this origin; beats every other rule (repeatable)',
    },
    {
      name: 'only-allowed-origins',
      type: 'boolean',
      env: 'PUPPETEER_ONLY_ALLOWED_ORIGINS',
      description: 'Load nothing outside the --allow-origin list',
    },
    {
      name: 'allow-private-network',
      type: 'boolean',
      env: 'PUPPETEER_ALLOW_PRIVATE_NETWORK',
      description:
        'Open private (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7) and link-local addresses; cloud metadata stays closed',
    },
    {
      name: 'block-loopback',
      type: 'boolean',
      env: 'PUPPETEER_BLOCK_LOOPBACK',
      description:
        'Close loopback (127.0.0.0/8, ::1, localhost), which is open by default for local development',
    },
    {
      name: 'upload-dir',
      type: 'list',
      repeatable: true,
      env: 'PUPPETEER_UPLOAD_DIRS',
      placeholder: 'DIR',
      description:
        'A directory whose files puppeteer_upload_file may send to pages (repeatable; none by default)',
    },
    {
      name: 'downloads-dir',
      type: 'string',
      env: 'PUPPETEER_DOWNLOADS_DIR',
      placeholder: 'DIR',
      description: 'Save downloads here (downloads are refused without it)',
    },
    {
      name: 'profiles-dir',
      type: 'string',
      env: 'PUPPETEER_PROFILES_DIR',
      placeholder: 'DIR',
      description:
        'Keep named browser profiles and storage state files here, and list the profile tools (off without it)',
    },
    {
      name: 'show-secret-headers',
      type: 'boolean',
      env: 'PUPPETEER_SHOW_SECRET_HEADERS',
      description:
        'Show Authorization, Cookie and Set-Cookie header values and HttpOnly cookie values (masked by default)',
    },
    {
      name: 'no-sandbox',
      type: 'boolean',
      env: 'PUPPETEER_NO_SANDBOX',
      description: 'Run Chromium without its sandbox (only where a container isolates the server)',
    },
    {
      name: 'timeout',
      type: 'integer',
      env: 'PUPPETEER_TIMEOUT',
      placeholder: 'MS',
      description: `Longest navigation, wait or script, in milliseconds (default ${DEFAULT_TIMEOUT_MS})`,
    },
    {
      name: 'max-tabs',
      type: 'integer',
      env: 'PUPPETEER_MAX_TABS',
      placeholder: 'N',
      description: `Most tabs open at once, popups included (default ${DEFAULT_MAX_TABS})`,
    },
  ],
  epilog: [
    'Environment:',
    "  PUPPETEER_EXECUTABLE_PATH  Chrome or Chromium to run (default: the usual install locations, then puppeteer's cache)",
    "  PUPPETEER_CACHE_DIR        puppeteer's browser cache, searched for Chrome (default ~/.cache/puppeteer)",
    '  PUPPETEER_LAUNCH_OPTIONS   JSON launch options from the operator, e.g. {"headless":false,"args":["--lang=de"]}',
    '  ALLOW_DANGEROUS=true       Accept launch options that weaken isolation (--no-sandbox, userDataDir, ...)',
    '',
    'The browser starts on the first tool call, not at start-up, and closes when the client goes away.',
    'Example: mcp-server-puppeteer --allow-origin http://intranet.local:8080 --upload-dir ~/to-upload',
  ].join('\n'),
};
