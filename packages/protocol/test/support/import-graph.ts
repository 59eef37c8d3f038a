/**
 * @module
 * The static import graph of the package's sources, read from the files themselves: every
 * `import`/`export ... from` specifier, type-only ones included (a cycle of types is still a
 * cycle of concepts). Dynamic `import()` calls are kept apart: they load later, on demand.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export interface ModuleNode {
  /** Relative specifiers this module imports statically, resolved to source paths. */
  readonly imports: string[];
  /** Non-relative specifiers (packages and `node:` builtins) imported statically. */
  readonly packages: string[];
  /** Relative specifiers loaded with `import()`, resolved to source paths. */
  readonly dynamic: string[];
}

const STATIC =
  /^\s*(?:import|export)\s[^'";]*?\bfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

function toSource(from: string, specifier: string): string {
  return resolve(dirname(from), specifier).replace(/\.js$/, '.ts');
}

/** Every non-test module under `root`, keyed by its path relative to `root`. */
export function importGraph(root: string): Map<string, ModuleNode> {
  const graph = new Map<string, ModuleNode>();
  for (const file of sourceFiles(root)) {
    const text = readFileSync(file, 'utf8');
    const node: ModuleNode = { imports: [], packages: [], dynamic: [] };
    for (const match of text.matchAll(STATIC)) {
      const specifier = (match[1] ?? match[2])!;
      if (specifier.startsWith('.')) node.imports.push(relative(root, toSource(file, specifier)));
      else node.packages.push(specifier);
    }
    for (const match of text.matchAll(DYNAMIC)) {
      if (match[1]!.startsWith('.')) node.dynamic.push(relative(root, toSource(file, match[1]!)));
    }
    graph.set(relative(root, file), node);
  }
  return graph;
}

/** Each cycle of static imports, as the list of modules around it (first module repeated last). */
export function cycles(graph: ReadonlyMap<string, ModuleNode>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (module: string): void => {
    state.set(module, 'open');
    stack.push(module);
    for (const next of graph.get(module)?.imports ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(module, 'done');
  };
  for (const module of [...graph.keys()].sort()) if (!state.has(module)) visit(module);
  return found;
}

/** Every module reachable from `entry` through static imports, `entry` included. */
export function staticClosure(graph: ReadonlyMap<string, ModuleNode>, entry: string): Set<string> {
  const seen = new Set<string>();
  const queue = [entry];
  for (let module = queue.pop(); module !== undefined; module = queue.pop()) {
    if (seen.has(module)) continue;
    seen.add(module);
    queue.push(...(graph.get(module)?.imports ?? []));
  }
  return seen;
}
