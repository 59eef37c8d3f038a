import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cycles, importGraph, staticClosure } from './support/import-graph.js';

const SRC = fileURLToPath(new URL('../src', import.meta.url));
const graph = importGraph(SRC);

describe('the import graph of src/', () => {
  it('is read from the sources (the walker sees the modules it checks)', () => {
    expect(graph.get('index.ts')?.imports).toContain('mcp/server.ts');
    expect(graph.get('mcp/server.ts')?.imports).toContain('mcp/session.ts');
    expect(graph.get('transport/stdio.ts')?.packages).toContain('node:stream');
  });

  it('has no import cycles, type-only imports included', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('finds a cycle when there is one (the check can fail)', () => {
    const looped = new Map([
      ['a.ts', { imports: ['b.ts'], packages: [], dynamic: [] }],
      ['b.ts', { imports: ['c.ts'], packages: [], dynamic: [] }],
      ['c.ts', { imports: ['a.ts'], packages: [], dynamic: [] }],
    ]);
    expect(cycles(looped)).toEqual([['a.ts', 'b.ts', 'c.ts', 'a.ts']]);
  });

  it('keeps each era, the features and each extension in its own folder', () => {
    const into = (from: string, to: string): string[] =>
      [...graph]
        .filter(([module]) => module.startsWith(from))
        .flatMap(([module, node]) =>
          [...node.imports, ...node.dynamic]
            .filter((target) => target.startsWith(to))
            .map((target) => `${module} -> ${target}`),
        );
    // Shared features know neither era; the eras do not know each other.
    expect(into('mcp/features/', 'mcp/eras/')).toEqual([]);
    expect(into('mcp/eras/handshake/', 'mcp/eras/modern/')).toEqual([]);
    expect(into('mcp/eras/modern/', 'mcp/eras/handshake/')).toEqual([]);
  });

  it('keeps the root entry runtime-neutral: no node: module or Node-only file is loaded by it', () => {
    const loaded = staticClosure(graph, 'index.ts');
    const nodeOnly = [...loaded].flatMap((module) =>
      graph
        .get(module)!
        .packages.filter(
          (specifier) => specifier.startsWith('node:') || !['zod'].includes(specifier),
        )
        .map((specifier) => `${module} imports ${specifier}`),
    );
    expect(nodeOnly).toEqual([]);
    expect(
      [...loaded].filter((module) => module.startsWith('transport/') || module.startsWith('cli/')),
    ).toEqual([]);
  });

  it('loads jose only with sign-in: the HTTP entry reaches it through a dynamic import alone', () => {
    const loaded = staticClosure(graph, 'transport/http/index.ts');
    expect([...loaded].filter((module) => graph.get(module)!.packages.includes('jose'))).toEqual(
      [],
    );
    expect(graph.get('transport/http/index.ts')?.dynamic).toContain(
      'transport/http/auth/authenticate.ts',
    );
    expect(graph.get('transport/http/auth/jwt.ts')?.packages).toContain('jose');
  });
});
