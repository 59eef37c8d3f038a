/**
 * @module
 * `PUPPETEER_LAUNCH_OPTIONS`: browser launch options, from the operator only. The JSON is read
 * key by key into a fresh object (so `__proto__` and friends never reach a merge), unknown keys
 * are refused, and options that weaken isolation (no sandbox, a persistent or foreign profile,
 * a debugging port, another proxy, extra binaries) need `ALLOW_DANGEROUS=true`, as with the
 * reference server, except that no tool call can ever supply or unlock them.
 */

export interface OperatorViewport {
  width: number;
  height: number;
  deviceScaleFactor?: number;
  isMobile?: boolean;
  hasTouch?: boolean;
  isLandscape?: boolean;
}

/** The launch options an operator may set; everything else is the server's. */
export interface OperatorLaunchOptions {
  headless?: boolean | 'shell';
  args: string[];
  executablePath?: string;
  channel?: 'chrome' | 'chrome-beta' | 'chrome-canary' | 'chrome-dev';
  defaultViewport?: OperatorViewport | null;
  slowMo?: number;
  timeout?: number;
  protocolTimeout?: number;
  dumpio?: boolean;
  devtools?: boolean;
  userDataDir?: string;
  ignoreDefaultArgs?: boolean | string[];
  env?: Record<string, string>;
  acceptInsecureCerts?: boolean;
  pipe?: boolean;
  debuggingPort?: number;
  enableExtensions?: boolean | string[];
}

export interface ParsedLaunchOptions {
  options: OperatorLaunchOptions;
  /** The dangerous settings present (accepted only because ALLOW_DANGEROUS is set). */
  dangerous: string[];
}

/**
 * Chromium switches that weaken isolation or bypass the URL policy. Matched by name, whatever
 * the number of leading dashes and the case (Chromium accepts `-no-sandbox` too).
 */
const DANGEROUS_SWITCHES = [
  'no-sandbox',
  'disable-setuid-sandbox',
  'disable-namespace-sandbox',
  'disable-seccomp-filter-sandbox',
  'disable-gpu-sandbox',
  'no-zygote',
  'single-process',
  'disable-web-security',
  'ignore-certificate-errors',
  'ignore-certificate-errors-spki-list',
  'allow-running-insecure-content',
  'disable-site-isolation-trials',
  'allow-file-access-from-files',
  'allow-file-access',
  'unsafely-treat-insecure-origin-as-secure',
  'user-data-dir',
  'remote-debugging-port',
  'remote-debugging-address',
  'remote-debugging-pipe',
  'remote-allow-origins',
  'proxy-server',
  'proxy-bypass-list',
  'proxy-pac-url',
  'proxy-auto-detect',
  'no-proxy-server',
  'host-resolver-rules',
  'host-rules',
  'force-webrtc-ip-handling-policy',
  'webrtc-ip-handling-policy',
  'renderer-cmd-prefix',
  'gpu-launcher',
  'utility-cmd-prefix',
  'browser-subprocess-path',
  'load-extension',
  'disable-extensions-except',
  'enable-remote-extensions',
];

/** `--disable-features=` values that switch off site isolation. */
const DANGEROUS_FEATURES = ['isolateorigins', 'site-per-process', 'sitepersite'];

const DANGEROUS_KEYS = new Set([
  'userDataDir',
  'ignoreDefaultArgs',
  'env',
  'acceptInsecureCerts',
  'pipe',
  'debuggingPort',
  'enableExtensions',
]);

const CHANNELS = new Set(['chrome', 'chrome-beta', 'chrome-canary', 'chrome-dev']);

/** Why one argument is dangerous, or undefined when it is not. */
export function dangerousArgument(arg: string): string | undefined {
  if (!arg.startsWith('-')) return `${arg} (a start-up URL or file bypasses the URL policy)`;
  const body = arg.replace(/^-+/, '');
  const equals = body.indexOf('=');
  const name = (equals === -1 ? body : body.slice(0, equals)).toLowerCase();
  if (DANGEROUS_SWITCHES.includes(name)) return arg;
  if (name === 'disable-features' && equals !== -1) {
    const features = body
      .slice(equals + 1)
      .toLowerCase()
      .split(',');
    if (features.some((feature) => DANGEROUS_FEATURES.includes(feature.trim()))) return arg;
  }
  return undefined;
}

function fail(message: string): never {
  throw new Error(`PUPPETEER_LAUNCH_OPTIONS: ${message}`);
}

function expectType(key: string, value: unknown, check: boolean, what: string): void {
  if (!check) fail(`"${key}" must be ${what}, got ${JSON.stringify(value)}`);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function readViewport(value: unknown): OperatorViewport | null {
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value))
    fail('"defaultViewport" must be an object or null');
  const record = value as Record<string, unknown>;
  const viewport: OperatorViewport = { width: 0, height: 0 };
  for (const [key, item] of Object.entries(record)) {
    switch (key) {
      case 'width':
      case 'height':
      case 'deviceScaleFactor':
        expectType(
          `defaultViewport.${key}`,
          item,
          typeof item === 'number' && item > 0 && item <= 10_000,
          'a positive number',
        );
        viewport[key] = item as number;
        break;
      case 'isMobile':
      case 'hasTouch':
      case 'isLandscape':
        expectType(`defaultViewport.${key}`, item, typeof item === 'boolean', 'true or false');
        viewport[key] = item as boolean;
        break;
      default:
        fail(`unknown key "defaultViewport.${key}"`);
    }
  }
  if (viewport.width === 0 || viewport.height === 0)
    fail('"defaultViewport" needs width and height');
  return viewport;
}

function readEnv(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    fail('"env" must be an object of strings');
  const env: Record<string, string> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (typeof item !== 'string') fail(`"env.${key}" must be a string`);
    Object.defineProperty(env, key, {
      value: item,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return env;
}

/** Copies one known key into `options`, checking its type. */
function readKey(options: OperatorLaunchOptions, key: string, value: unknown): void {
  switch (key) {
    case 'headless':
      expectType(
        key,
        value,
        typeof value === 'boolean' || value === 'shell',
        'true, false or "shell"',
      );
      options.headless = value as boolean | 'shell';
      return;
    case 'args':
      expectType(key, value, isStringArray(value), 'an array of strings');
      options.args = [...(value as string[])];
      return;
    case 'executablePath':
    case 'userDataDir':
      expectType(key, value, typeof value === 'string' && value !== '', 'a path');
      options[key] = value as string;
      return;
    case 'channel':
      expectType(
        key,
        value,
        typeof value === 'string' && CHANNELS.has(value),
        'chrome, chrome-beta, chrome-canary or chrome-dev',
      );
      options.channel = value as OperatorLaunchOptions['channel'] & string;
      return;
    case 'defaultViewport':
      options.defaultViewport = readViewport(value);
      return;
    case 'slowMo':
    case 'timeout':
    case 'protocolTimeout':
    case 'debuggingPort':
      expectType(
        key,
        value,
        typeof value === 'number' && Number.isFinite(value) && value >= 0,
        'a number',
      );
      options[key] = value as number;
      return;
    case 'dumpio':
    case 'devtools':
    case 'acceptInsecureCerts':
    case 'pipe':
      expectType(key, value, typeof value === 'boolean', 'true or false');
      options[key] = value as boolean;
      return;
    case 'ignoreDefaultArgs':
    case 'enableExtensions':
      expectType(
        key,
        value,
        typeof value === 'boolean' || isStringArray(value),
        'true, false or an array of strings',
      );
      options[key] = value as boolean | string[];
      return;
    case 'env':
      options.env = readEnv(value);
      return;
    default:
      fail(
        `unknown or unsupported key "${key}"; accepted keys: headless, args, executablePath, channel, defaultViewport, slowMo, timeout, protocolTimeout, dumpio, devtools, and with ALLOW_DANGEROUS=true userDataDir, ignoreDefaultArgs, env, acceptInsecureCerts, pipe, debuggingPort, enableExtensions`,
      );
  }
}

/**
 * Parses the operator's JSON. Throws an Error naming the problem: bad JSON, an unknown key, a
 * wrong type, or dangerous settings without `allowDangerous`.
 */
export function parseLaunchOptions(
  json: string | undefined,
  allowDangerous: boolean,
): ParsedLaunchOptions {
  const options: OperatorLaunchOptions = { args: [] };
  if (json === undefined || json.trim() === '') return { options, dangerous: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    fail(`not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    fail('must be a JSON object');
  const dangerous: string[] = [];
  for (const [key, value] of Object.entries(parsed)) {
    readKey(options, key, value);
    if (DANGEROUS_KEYS.has(key) && !(key === 'pipe' && value === true)) dangerous.push(key);
  }
  for (const arg of options.args) {
    const why = dangerousArgument(arg);
    if (why !== undefined) dangerous.push(why);
  }
  if (dangerous.length > 0 && !allowDangerous) {
    fail(
      `${dangerous.join(', ')} weaken${dangerous.length === 1 ? 's' : ''} the browser's isolation; set ALLOW_DANGEROUS=true as well to accept ${dangerous.length === 1 ? 'it' : 'them'}, or remove ${dangerous.length === 1 ? 'it' : 'them'}`,
    );
  }
  return { options, dangerous };
}
