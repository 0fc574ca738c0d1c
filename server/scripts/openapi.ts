import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createApp } from '../src/app';
import { openDatabase } from '../src/db/client';

// The document exactly as GET /openapi.json serves it, written to a file for linters and generators.
const out = fileURLToPath(new URL('../dist/openapi.json', import.meta.url));
const { db, close } = await openDatabase('file::memory:');
const res = await createApp(db).request('/openapi.json');
if (!res.ok) throw new Error(`GET /openapi.json answered ${res.status}`);
mkdirSync(fileURLToPath(new URL('../dist', import.meta.url)), { recursive: true });
writeFileSync(out, `${JSON.stringify(await res.json(), null, 2)}\n`);
close();
console.log(`wrote ${out}`);
