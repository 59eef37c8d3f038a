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
 * 4. esbuild bundles `build/main.js` into `dist/main.js`, splitting at dynamic imports.
 *    `PLUGBOARD_PACKAGE_VERSION` becomes the package.json version (the code has no literal).
 *    `@plugboard/*` code is inlined; every npm dependency of the package stays external and is
 *    installed by npm as usual (a CommonJS module inlined with the kit gets `require` from a
 *    banner, in the chunks that look for one). A `@plugboard/*` subpath that starts worker threads names their
 *    entry files in its package.json; when the package imports that subpath, each is bundled
 *    too, as `dist/<name>.js`, beside `main.js` where its starter looks for it.
 *
 * Why bundle at all: Node 20's ESM loader costs about 0.25 MB of memory and half a millisecond
 * per module, and a server is some forty small modules. Bundled, a server loads about twenty
 * files before `tools/list` (the figures against the floor are in bench/README.md).
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

const { outputFiles } = await build({
  entryPoints: { main: resolve(root, 'build', 'main.js'), ...workerEntries() },
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

/** `text` with the `require` banner after its hashbang line (main.js has one), if it needs it. */
function withRequire(text) {
  if (!/\btypeof require\b/.test(text)) return text;
  const hashbang = text.startsWith('#!') ? text.slice(0, text.indexOf('\n') + 1) : '';
  return hashbang + REQUIRE_BANNER + text.slice(hashbang.length);
}
for (const { path, text } of outputFiles) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, withRequire(text));
}
chmodSync(join(root, 'dist', 'main.js'), 0o755);
