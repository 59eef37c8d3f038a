import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = (path: string): string => fileURLToPath(new URL(`../dist/${path}`, import.meta.url));

/**
 * A module-resolution hook, registered before the entry loads, that records every builtin the
 * entry (or anything it imports) asks for. Runs in a fresh Node process, so nothing the test
 * runner loaded counts.
 */
const HOOK = `
  const { register } = await import('node:module');
  const { MessageChannel } = await import('node:worker_threads');
  const { port1, port2 } = new MessageChannel();
  globalThis.builtins = [];
  port1.on('message', (name) => globalThis.builtins.push(name));
  port1.unref();
  register('data:text/javascript,' + encodeURIComponent(\`
    let port;
    export function initialize(data) { port = data.port; }
    export async function resolve(specifier, context, next) {
      const resolved = await next(specifier, context);
      if (resolved.url.startsWith('node:')) port.postMessage(resolved.url);
      return resolved;
    }\`), { data: { port: port2 }, transferList: [port2] });
`;

function builtinsLoadedBy(entry: string): string[] {
  const script = `${HOOK}
    const entry = await import(${JSON.stringify(entry)});
    await new Promise((resolve) => setTimeout(resolve, 50));
    process.stdout.write(JSON.stringify({ exports: Object.keys(entry).length, builtins: globalThis.builtins }));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  const { exports, builtins } = JSON.parse(out) as { exports: number; builtins: string[] };
  expect(exports).toBeGreaterThan(0);
  return builtins;
}

describe('the root entry', () => {
  it('is built (this test reads dist/, which the test task builds first)', () => {
    expect(existsSync(dist('index.js'))).toBe(true);
  });

  it('loads no Node-only module', () => {
    expect(builtinsLoadedBy(dist('index.js'))).toEqual([]);
  });

  it('is told apart from an entry that does load one (the hook sees builtins)', () => {
    expect(builtinsLoadedBy(dist('transport/http/index.js'))).toContain('node:http');
  });
});
