/**
 * @module
 * The tour behind `npm run demo`: for each showcase whose server is built, prepare its sandbox,
 * start the server over stdio with the official SDK client, make the showcase's calls and print
 * them. Servers that are not built, or that refuse the showcase's options, are skipped with a
 * note; a server that fails to start or answers with a protocol error makes the demo fail.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { locateServer, REPO_ROOT, type Located } from './servers.js';
import { openSession, ServerRefusedOptions, type DemoSession } from './session.js';
import type { Plan, Showcase } from './showcase.js';
import { showcases as allShowcases } from './showcases/index.js';
import { abbreviate, createTranscript, type Transcript } from './transcript.js';

export interface DemoOptions {
  /** Showcase names to run; all when empty. */
  readonly only?: readonly string[];
  readonly verbose?: boolean;
  readonly write: (line: string) => void;
  readonly showcases?: readonly Showcase[];
  /** The checkout whose servers are shown; this one by default. */
  readonly root?: string;
  /** Where the sandboxes go; the caller then owns (and removes) it. A fresh temp dir by default. */
  readonly workRoot?: string;
}

type Outcome = { readonly name: string } & (
  | { readonly status: 'ran'; readonly exchanges: number }
  | { readonly status: 'skipped' | 'failed'; readonly reason: string }
);

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Comma-separated names wrapped at a readable width. */
function wrapList(head: string, names: readonly string[], width = 96): string {
  const lines: string[] = [];
  let line = head;
  for (const name of names) {
    const next = line === head ? `${head}${name}` : `${line}, ${name}`;
    if (next.length > width && line !== head) {
      lines.push(`${line},`);
      line = name;
    } else line = next;
  }
  if (line !== '') lines.push(line);
  return lines.join('\n');
}

/** Lists up to this many tool names in full; longer lists show a count and the first few. */
const FULL_LIST = 24;
const FEW = 8;

/** `16 tools: a, b, …` or, for a long list, `46 tools, among them: a, b, … and 38 more`. */
export function toolSummary(tools: readonly string[]): string {
  if (tools.length <= FULL_LIST) return wrapList(`${tools.length} tools: `, tools);
  const few = wrapList(`${tools.length} tools, among them: `, tools.slice(0, FEW));
  return `${few} and ${tools.length - FEW} more`;
}

async function tour(showcase: Showcase, workRoot: string, options: DemoOptions): Promise<Outcome> {
  const transcript = createTranscript(options.write);
  const { name } = showcase;
  transcript.section(name, showcase.packageName);
  transcript.note(showcase.summary);
  const root = options.root ?? REPO_ROOT;
  const located = locateServer(showcase.folder, root);
  if (located.status === 'missing') {
    transcript.note(`skipped: ${located.reason}`);
    return { name, status: 'skipped', reason: located.short };
  }
  const missing = showcase.unavailable?.();
  if (missing !== undefined) {
    transcript.note(`skipped: ${missing}`);
    return { name, status: 'skipped', reason: missing };
  }
  const workDir = join(workRoot, name);
  await mkdir(workDir, { recursive: true });
  let plan;
  try {
    plan = await showcase.prepare(workDir);
  } catch (error) {
    transcript.note(`could not prepare the sandbox: ${message(error)}`);
    return { name, status: 'failed', reason: `sandbox: ${message(error)}` };
  }
  try {
    return await visit({ name, plan, located, root, workDir, transcript, options });
  } finally {
    await plan.close?.();
  }
}

interface Visit {
  readonly name: string;
  readonly plan: Plan;
  readonly located: Extract<Located, { status: 'built' }>;
  readonly root: string;
  readonly workDir: string;
  readonly transcript: Transcript;
  readonly options: DemoOptions;
}

/** Starts the server of a prepared stop, makes its calls, and says how it went. */
async function visit(stop: Visit): Promise<Outcome> {
  const { name, plan, located, root, workDir, transcript, options } = stop;
  for (const note of plan.notes) transcript.note(note);
  transcript.note(
    `started: node ${relative(root, located.entry)} ${plan.args.join(' ')}`.trimEnd(),
  );
  let session: DemoSession;
  try {
    session = await openSession({
      command: process.execPath,
      args: [located.entry, ...plan.args],
      cwd: workDir,
      transcript,
      ...(plan.env === undefined ? {} : { env: plan.env }),
      ...(plan.hostFeatures === undefined ? {} : { hostFeatures: plan.hostFeatures }),
      ...(options.verbose === undefined ? {} : { verbose: options.verbose }),
    });
  } catch (error) {
    if (error instanceof ServerRefusedOptions) {
      transcript.note(`skipped: this build refuses the demo's options (${error.message})`);
      return { name, status: 'skipped', reason: 'refused the options' };
    }
    transcript.note(`failed to start: ${message(error)}`);
    return { name, status: 'failed', reason: `start: ${message(error)}` };
  }
  try {
    const info = session.client.getServerVersion();
    const tools = [...session.tools.keys()];
    transcript.note(
      `connected to ${info?.name ?? '?'} ${info?.version ?? ''} over stdio`.trimEnd(),
    );
    transcript.note(toolSummary(tools));
    try {
      await plan.run(session);
    } catch (error) {
      transcript.note(`the tour stopped: ${message(error)}`);
      return { name, status: 'failed', reason: message(error) };
    }
    if (session.problems.length > 0) {
      return { name, status: 'failed', reason: session.problems.join('; ') };
    }
    return { name, status: 'ran', exchanges: session.exchanges };
  } finally {
    await session.close();
  }
}

/** Runs the tour and returns the exit code: 0 unless a built server failed. */
export async function runDemo(options: DemoOptions): Promise<number> {
  const { write } = options;
  const available = options.showcases ?? allShowcases;
  const only = options.only ?? [];
  const unknown = only.filter((name) => !available.some((showcase) => showcase.name === name));
  if (unknown.length > 0) {
    write(
      `Unknown showcase: ${unknown.join(', ')}. Choose from: ${available.map((s) => s.name).join(', ')}.`,
    );
    return 2;
  }
  const selected =
    only.length === 0 ? available : available.filter((showcase) => only.includes(showcase.name));
  write('Plugboard demo: real MCP sessions over stdio with the servers that need no credentials,');
  write(
    'driven by the official MCP TypeScript SDK client. Everything happens in a temp directory.',
  );
  write('  → request sent   ← result   ✗ error or refusal   ⋯ sent by the server during the call');

  const workRoot = options.workRoot ?? (await mkdtemp(join(tmpdir(), 'plugboard-demo-')));
  const outcomes: Outcome[] = [];
  try {
    for (const showcase of selected) outcomes.push(await tour(showcase, workRoot, options));
  } finally {
    if (options.workRoot === undefined) await rm(workRoot, { recursive: true, force: true });
  }

  write('');
  write(`━━ summary ${'━'.repeat(61)}`);
  for (const outcome of outcomes) {
    if (outcome.status === 'ran') write(`  ✓ ${outcome.name}: ${outcome.exchanges} requests`);
    else if (outcome.status === 'skipped')
      write(`  - ${outcome.name}: skipped (${outcome.reason})`);
    else write(`  ✗ ${outcome.name}: ${abbreviate(outcome.reason, { maxLines: 3 })}`);
  }
  const failed = outcomes.filter((outcome) => outcome.status === 'failed').length;
  const ran = outcomes.filter((outcome) => outcome.status === 'ran').length;
  if (ran === 0 && failed === 0)
    write('  No server is built yet: run `pnpm build`, then the demo again.');
  return failed === 0 ? 0 : 1;
}
