#!/usr/bin/env node
/**
 * @module
 * `plugboard-build`: the build of every executable package (the servers, the conformance fixture).
 *
 * 1. `tsc -p tsconfig.build.json` type-checks and emits to `build/`.
 * 2. When `build/tools/index.js` exists, its tool descriptors are written to `dist/tools.json`,
 *    and what each tool declares of its availability (`toolset`, `requires`) and approval
 *    (`actionClass`) to
 *    `dist/availability.json`, so the server selects and lists tools at start-up without
 *    importing them (see `loadTools` and `exposeTools` in `@plugboard/kit/tools`).
 * 3. The repository's LICENSE is copied beside package.json (`plugboard-license`).
 * 4. esbuild bundles `build/main.js` into `dist/main.js`, splitting at dynamic imports, and
 *    Rollup re-chunks its output so start-up loads a few files, not twenty (see below).
 *    `PLUGBOARD_PACKAGE_VERSION` becomes the package.json version (the code has no literal).
 *    `@plugboard/*` code is inlined; every npm dependency of the package stays external and is
 *    installed by npm as usual (a CommonJS module inlined with the kit gets `require` from a
 *    banner, in the chunks that look for one). A `@plugboard/*` subpath that starts worker threads names their
 *    entry files in its package.json; when the package imports that subpath, each is bundled
 *    too, as `dist/<name>.js`, beside `main.js` where its starter looks for it.
 *
 * Why bundle at all: Node 20's ESM loader costs about 0.25 MB of memory and half a millisecond
 * per module, and a server is some forty small modules. Bundled and re-chunked, a server loads
 * four to seven files before `tools/list` (the figures against the floor are in bench/README.md).
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { copyLicense } from './copy-license.js';
import { rollup } from 'rollup';

const root = process.cwd();
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const require = createRequire(join(root, 'package.json'));

rmSync(join(root, 'build'), { recursive: true, force: true });
rmSync(join(root, 'dist'), { recursive: true, force: true });
execFileSync(
  process.execPath,
  [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
mkdirSync(join(root, 'dist'), { recursive: true });
copyLicense(root);

// What esbuild writes into the bundle below; the unbundled tool modules read it as a global.
globalThis.PLUGBOARD_PACKAGE_VERSION = pkg.version;
const toolsModule = join(root, 'build', 'tools', 'index.js');
if (existsSync(toolsModule)) {
  const { tools } = await import(pathToFileURL(toolsModule).href);
  if (!Array.isArray(tools)) throw new Error('build/tools/index.js must export a `tools` array');
  const manifest = tools.map((tool) => tool.descriptor());
  writeFileSync(join(root, 'dist', 'tools.json'), `${JSON.stringify(manifest)}\n`);
  // One entry per tool, so `loadTools` can tell a stale build from a tool that declares nothing.
  const availability = Object.fromEntries(
    tools.map(({ name, toolset, requires, actionClass }) => [
      name,
      { toolset, requires, actionClass },
    ]),
  );
  writeFileSync(join(root, 'dist', 'availability.json'), `${JSON.stringify(availability)}\n`);
}

const external = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies }).filter(
  (name) => !name.startsWith('@plugboard/'),
);
/** Every `.js` file under `dir`. */
function scripts(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/**
 * Worker entry points, by output name, of the `@plugboard/*` subpaths this package's code
 * imports (declared as `"plugboard": { "workers": { "<subpath>": { "<name>": "<file>" } } }`).
 */
function workerEntries() {
  const code = scripts(join(root, 'build')).map((file) => readFileSync(file, 'utf8'));
  const entries = {};
  const names = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies });
  for (const name of names.filter((dependency) => dependency.startsWith('@plugboard/'))) {
    const dir = join(root, 'node_modules', name);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    for (const [subpath, workers] of Object.entries(manifest.plugboard?.workers ?? {})) {
      const specifier = `${name}${subpath.slice(1)}`;
      if (!code.some((text) => text.includes(`'${specifier}'`) || text.includes(`"${specifier}"`)))
        continue;
      for (const [output, file] of Object.entries(workers)) entries[output] = resolve(dir, file);
    }
  }
  return entries;
}

// A CommonJS dependency the kit inlines (the Redis client behind --store) calls require() for
// Node's own modules; ESM has none, so the chunk holding esbuild's `__require` shim (and any
// chunk of UMD code that looks for `require`) gets one. Only those: every other chunk would load
// `node:module` and make a `require` for nothing, a cost each cold start pays per chunk.
const REQUIRE_BANNER =
  "import { createRequire as __plugboardCreateRequire } from 'node:module'; const require = __plugboardCreateRequire(import.meta.url);\n";

const entries = { main: resolve(root, 'build', 'main.js'), ...workerEntries() };
const { outputFiles } = await build({
  entryPoints: entries,
  outdir: join(root, 'dist'),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: [...external, ...external.map((name) => `${name}/*`)],
  define: { PLUGBOARD_PACKAGE_VERSION: JSON.stringify(pkg.version) },
  logLevel: 'warning',
  legalComments: 'none',
  write: false,
});

/**
 * esbuild gives the code shared between `main.js` and each dynamic import a chunk of its own,
 * even code `main.js` has already loaded by then, and each file costs a cold start about half a
 * millisecond (20 or so before `tools/list`). Rollup, run over esbuild's chunks in memory, groups
 * the code by the entries that load it, counting what an importer has already loaded as loaded,
 * and merges chunks under 100 KB into another one wherever that runs no module's top-level code
 * earlier or elsewhere than before. What is loaded lazily stays lazy: the server module and the
 * tools (never for `--help`), each tool module, the Redis client, the HTTP transport. Rollup
 * takes the code as it is (no tree-shaking of its own); imports outside the bundle stay as
 * written.
 */
const chunks = new Map(outputFiles.map(({ path, text }) => [path, text]));
const bundle = await rollup({
  input: Object.fromEntries(
    Object.keys(entries).map((name) => [name, join(root, 'dist', `${name}.js`)]),
  ),
  treeshake: false,
  logLevel: 'warn',
  plugins: [
    {
      name: 'esbuild-chunks',
      resolveId(source, importer) {
        if (importer === undefined) return source;
        if (!source.startsWith('.')) return { id: source, external: true };
        return resolve(dirname(importer), source);
      },
      load(id) {
        const text = chunks.get(id);
        if (text === undefined) throw new Error(`esbuild wrote no ${id}`);
        return text;
      },
    },
  ],
});
const { output } = await bundle.generate({
  format: 'es',
  entryFileNames: '[name].js',
  // esbuild's name without its hash (`server-FLWXI3GK` becomes `server-<rollup's hash>.js`).
  chunkFileNames: ({ name }) => `${name.replace(/-[A-Z0-9]{8}$/, '')}-[hash].js`,
  experimentalMinChunkSize: 100_000,
});
await bundle.close();

/** `text` with the `require` banner after its hashbang line (main.js has one), if it needs it. */
function withRequire(text) {
  if (!/\btypeof require\b/.test(text)) return text;
  const hashbang = text.startsWith('#!') ? text.slice(0, text.indexOf('\n') + 1) : '';
  return hashbang + REQUIRE_BANNER + text.slice(hashbang.length);
}
for (const chunk of output) {
  const path = join(root, 'dist', chunk.fileName);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, withRequire(chunk.type === 'chunk' ? chunk.code : chunk.source));
}
chmodSync(join(root, 'dist', 'main.js'), 0o755);
