import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

// One ESM file that plain `node` runs: the server and the parts of @leadline/shared it imports are
// compiled from TypeScript; only @libsql/client and libsql stay outside: they load a native binary.
rmSync(`${root}dist`, { recursive: true, force: true });
const result = await build({
  entryPoints: [`${root}src/index.ts`],
  outfile: `${root}dist/index.js`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  external: ['@libsql/client', 'libsql'],
  sourcemap: true,
  metafile: true,
  legalComments: 'none',
  // Bundled CommonJS dependencies call require(); ESM has none unless one is made. Aliased, so a
  // bundled module that imports createRequire itself does not declare it twice.
  banner: {
    js: "import { createRequire as __leadlineCreateRequire } from 'node:module'; const require = __leadlineCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
// The database's worker thread (src/db/sqlite-worker.js), found beside the bundle at run time.
await build({
  entryPoints: [`${root}src/db/sqlite-worker.js`],
  outfile: `${root}dist/sqlite-worker.js`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  external: ['libsql'],
  legalComments: 'none',
  logLevel: 'warning',
});
// The thread import rows are normalised on (src/imports/prepare-worker.ts), also beside the bundle.
const worker = await build({
  entryPoints: [`${root}src/imports/prepare-worker.ts`],
  outfile: `${root}dist/prepare-worker.js`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  metafile: true,
  legalComments: 'none',
  banner: {
    js: "import { createRequire as __leadlineCreateRequire } from 'node:module'; const require = __leadlineCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
const workerBytes = Object.values(worker.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
console.log(`server/dist/prepare-worker.js: ${(workerBytes / 1024).toFixed(0)} KiB`);
const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
console.log(`server/dist/index.js: ${(bytes / 1024).toFixed(0)} KiB (with its source map)`);
