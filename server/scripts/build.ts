import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

/** One ESM file that plain `node` runs, from `entry` (under src/) to `out` (under dist/). */
async function bundle(entry: string, out: string, options: BuildOptions = {}) {
  const result = await build({
    entryPoints: [`${root}src/${entry}`],
    outfile: `${root}dist/${out}`,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    legalComments: 'none',
    logLevel: 'warning',
    ...options,
    metafile: true,
  });
  return Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
}

// Bundled CommonJS dependencies call require(); ESM has none unless one is made. Aliased, so a
// bundled module that imports createRequire itself does not declare it twice.
const withRequire = {
  js: "import { createRequire as __leadlineCreateRequire } from 'node:module'; const require = __leadlineCreateRequire(import.meta.url);",
};

rmSync(`${root}dist`, { recursive: true, force: true });
// The server and the parts of @leadline/shared it imports are compiled from TypeScript; only
// @libsql/client and libsql stay outside: they load a native binary.
const bytes = await bundle('index.ts', 'index.js', {
  external: ['@libsql/client', 'libsql'],
  sourcemap: true,
  banner: withRequire,
});
// The database's worker thread (src/db/sqlite-worker.js), found beside the bundle at run time.
await bundle('db/sqlite-worker.js', 'sqlite-worker.js', { external: ['libsql'] });
// The thread import rows are normalised on (src/imports/prepare-worker.ts), also beside the bundle.
const workerBytes = await bundle('imports/prepare-worker.ts', 'prepare-worker.js', { banner: withRequire });
console.log(`server/dist/prepare-worker.js: ${(workerBytes / 1024).toFixed(0)} KiB`);
console.log(`server/dist/index.js: ${(bytes / 1024).toFixed(0)} KiB (with its source map)`);
