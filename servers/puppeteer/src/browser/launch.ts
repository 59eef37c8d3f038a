/**
 * @module
 * How Chromium is started: headless, quiet offline, every connection through the egress proxy
 * (loopback included), CDP over a pipe (no debugging port), a fresh temporary profile, no
 * extensions, the popup blocker on, downloads denied or confined. The operator's
 * `PUPPETEER_LAUNCH_OPTIONS` come on top; no tool call ever reaches this code with options.
 * puppeteer-core is imported here, on the first launch, never at start-up.
 */
import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import type { Logger } from '@plugboard/protocol';
import { ToolError } from '@plugboard/protocol';
import type { Browser, LaunchOptions } from 'puppeteer-core';
import type { BrowserConfig } from '../config.js';
import { findBrowser, type FileSystemProbe } from './executable.js';

/**
 * Starts a browser whose traffic goes through the proxy at `proxyUrl`, in the persistent profile
 * at `userDataDir` when one is given (a fresh temporary profile otherwise).
 */
export type Launcher = (proxyUrl: string, userDataDir?: string) => Promise<Browser>;

/** Flags that keep Chromium from phoning home or needing a display. */
const QUIET_ARGS = [
  '--disable-gpu',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-domain-reliability',
  '--disable-breakpad',
  '--no-pings',
  '--disable-dev-shm-usage',
  '--disable-extensions',
  '--disable-features=AutofillServerCommunication,CertificateTransparencyComponentUpdater,InterestFeedContentSuggestions,MediaRouter,OptimizationHints,Translate',
];

export interface LaunchPlan {
  readonly options: LaunchOptions;
  /** Why the sandbox is off, when it is. */
  readonly sandboxOff: string | undefined;
}

/** The complete launch options for one browser start. Pure, for tests. */
export function planLaunch(
  config: BrowserConfig,
  proxyUrl: string,
  executablePath: string,
  runningAsRoot: boolean,
  userDataDir?: string,
): LaunchPlan {
  const operator = config.launch;
  const args = [
    ...QUIET_ARGS,
    // Every connection, loopback included, goes through the egress proxy; WebRTC may not
    // open UDP around it.
    `--proxy-server=${proxyUrl}`,
    '--proxy-bypass-list=<-loopback>',
    '--force-webrtc-ip-handling-policy=disable_non_proxied_udp',
    '--webrtc-ip-handling-policy=disable_non_proxied_udp',
  ];
  let sandboxOff: string | undefined;
  if (config.noSandbox) sandboxOff = 'the operator passed --no-sandbox';
  else if (runningAsRoot)
    sandboxOff =
      'the server runs as root, where Chromium cannot start its sandbox; run it as an unprivileged user to keep the sandbox';
  if (sandboxOff !== undefined) args.push('--no-sandbox');
  args.push(...operator.args);
  const ignoreDefaultArgs =
    operator.ignoreDefaultArgs === true
      ? true
      : [
          '--disable-popup-blocking',
          ...(Array.isArray(operator.ignoreDefaultArgs) ? operator.ignoreDefaultArgs : []),
        ];
  const options: LaunchOptions = {
    ...(operator.channel === undefined || operator.executablePath !== undefined
      ? { executablePath }
      : { channel: operator.channel }),
    headless: operator.headless ?? true,
    pipe: operator.pipe ?? true,
    args,
    ignoreDefaultArgs,
    enableExtensions: operator.enableExtensions ?? false,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    timeout: operator.timeout ?? 30_000,
    protocolTimeout: operator.protocolTimeout ?? Math.max(60_000, config.timeoutMs * 2),
    // Denied until the session confines downloads to --downloads-dir (browser/downloads.ts).
    downloadBehavior: { policy: 'deny' },
  };
  if (operator.defaultViewport !== undefined) options.defaultViewport = operator.defaultViewport;
  if (operator.slowMo !== undefined) options.slowMo = operator.slowMo;
  if (operator.dumpio !== undefined) options.dumpio = operator.dumpio;
  if (operator.devtools !== undefined) options.devtools = operator.devtools;
  // A named profile (--profiles-dir); the configuration refuses it together with the operator's.
  const profile = userDataDir ?? operator.userDataDir;
  if (profile !== undefined) options.userDataDir = profile;
  if (operator.env !== undefined) options.env = operator.env;
  if (operator.acceptInsecureCerts !== undefined)
    options.acceptInsecureCerts = operator.acceptInsecureCerts;
  if (operator.debuggingPort !== undefined) options.debuggingPort = operator.debuggingPort;
  return { options, sandboxOff };
}

const probe: FileSystemProbe = {
  isExecutable(path) {
    try {
      if (!statSync(path).isFile()) return false;
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  },
  list(path) {
    try {
      return readdirSync(path);
    } catch {
      return [];
    }
  },
};

/** What a failed launch means for the operator. */
export function launchFailure(error: unknown, executablePath: string): ToolError {
  const message = error instanceof Error ? error.message : String(error);
  if (
    /No usable sandbox|sandbox.*(namespace|setuid)|Running as root without --no-sandbox/i.test(
      message,
    )
  ) {
    return new ToolError(
      `Chromium could not start its sandbox on this machine. The operator can enable unprivileged user namespaces (e.g. sysctl kernel.unprivileged_userns_clone=1, or an AppArmor profile for ${executablePath}), or, where a container already isolates the server, start it with --no-sandbox (PUPPETEER_NO_SANDBOX=1).`,
    );
  }
  if (/ENOENT|EACCES|spawn/i.test(message)) {
    return new ToolError(
      `The browser at ${executablePath} could not be started (${message.split('\n')[0]}). The operator can install Chromium (Debian/Ubuntu: apt-get install -y chromium) or set PUPPETEER_EXECUTABLE_PATH to a working Chrome.`,
    );
  }
  const firstLine = message.split('\n').find((line) => line.trim() !== '') ?? message;
  return new ToolError(`The browser failed to start: ${firstLine.slice(0, 300)}`);
}

/** The real launcher: finds the browser, imports puppeteer-core, starts Chromium. */
export function createLauncher(config: BrowserConfig, logger: Logger): Launcher {
  return async (proxyUrl, userDataDir) => {
    const configured = config.launch.executablePath;
    let executablePath: string;
    if (configured !== undefined) {
      executablePath = configured;
    } else if (config.launch.channel === undefined) {
      const found = findBrowser({
        platform: process.platform,
        env: config.discoveryEnv,
        home: homedir(),
        probe,
      });
      if (!found.found) throw new ToolError(found.message);
      executablePath = found.path;
      logger.debug('browser found', { path: found.path, source: found.source });
    } else {
      // puppeteer-core finds an installed Chrome of that channel itself.
      executablePath = `Chrome (${config.launch.channel} channel)`;
    }
    const runningAsRoot = process.getuid?.() === 0;
    const plan = planLaunch(config, proxyUrl, executablePath, runningAsRoot, userDataDir);
    if (plan.sandboxOff !== undefined)
      logger.warn('launching Chromium with --no-sandbox', { why: plan.sandboxOff });
    const { default: puppeteer } = await import('puppeteer-core');
    try {
      const browser = await puppeteer.launch(plan.options);
      logger.info('browser started', {
        executable: executablePath,
        pid: browser.process()?.pid,
        sandbox: plan.sandboxOff === undefined ? 'on' : 'off',
      });
      return browser;
    } catch (error) {
      throw launchFailure(error, executablePath);
    }
  };
}
