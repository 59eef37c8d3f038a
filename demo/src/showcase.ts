/**
 * @module
 * What one stop of the demo tour is: a server package, how to set up a sandbox for it (files, a
 * repository), the command line to start it with, and the calls that show what it can do.
 */
import type { DemoSession } from './session.js';

/** A prepared stop: the server's arguments and the calls to make once connected. */
export interface Plan {
  readonly args: readonly string[];
  /** Environment for the server, on top of the SDK's default safe subset. */
  readonly env?: Readonly<Record<string, string>>;
  /** Lines printed under the heading: what was set up, where. */
  readonly notes: readonly string[];
  /** Advertise sampling and elicitation (the client answers them itself). */
  readonly hostFeatures?: boolean;
  run(session: DemoSession): Promise<void>;
  /** Stops what `prepare` started (a local web server), once the session has closed. */
  close?(): Promise<void>;
}

export interface Showcase {
  /** Short name, used by `--only`. */
  readonly name: string;
  readonly packageName: string;
  /** The package's folder, relative to the checkout's root. */
  readonly folder: string;
  /** One sentence: what this stop shows. */
  readonly summary: string;
  /** Why this stop cannot run on this machine (no Chromium, ...), or undefined when it can. */
  unavailable?(): string | undefined;
  /** Creates whatever the server works on inside `workDir` (a fresh temp directory). */
  prepare(workDir: string): Promise<Plan>;
}
