import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { checkImports, checkTree, importsOf } from './deps-check';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const tree = mkdtempSync(join(tmpdir(), 'leadline-deps-'));
afterAll(() => rmSync(tree, { recursive: true, force: true }));

function write(files: Record<string, string>) {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(tree, path)), { recursive: true });
    writeFileSync(join(tree, path), text);
  }
}

write({
  'server/src/scoring/ranking.ts':
    "import { leadFilters } from '../leads/leads.service';\nimport { x } from '../db/lead-row';\n",
  'server/src/scoring/ok.ts':
    "import { LeadRow } from '../db/lead-row';\nimport { evaluateFit } from '@leadline/shared';\n",
  'server/src/leads/leads.service.ts': "import { rescoreLead } from '../scoring/lead-scoring';\n",
  'shared/src/bad.ts': "import { Hono } from 'hono';\nexport { sql } from 'drizzle-orm/sqlite-core';\n",
  'shared/src/lazy.ts': "export const load = () => import('wxt/browser');\n",
  'shared/src/ok.ts': "import { z } from 'zod';\n",
  'extension/utils/api.ts':
    "import type { AppType } from '@leadline/server';\nimport { hc } from 'hono/client';\n",
  'extension/components/bad.tsx': "import { createApp } from '@leadline/server';\n",
  'extension/components/bad-type.tsx': "import type { Principal } from '@leadline/server/lib/types';\n",
  'extension/components/mixed.tsx': "import { type AppType, MAX_BODY_BYTES } from '@leadline/server';\n",
  'extension/utils/relative.ts': "import { leads } from '../../server/src/db/schema';\n",
  'extension/utils/api.test.ts': "import { createTestApp } from '@leadline/server/testing';\n",
});

describe('deps:check', () => {
  it('reads every kind of import, and which are type-only', () => {
    const facts = importsOf(
      'x.ts',
      [
        "import a, { b } from 'one';",
        "import type { C } from 'two';",
        "import { type D } from 'three';",
        "export * from 'four';",
        "const e = await import('five');",
        "type F = import('six').F;",
      ].join('\n'),
    );
    expect(facts.map(({ specifier, typeOnly, names }) => [specifier, typeOnly, names])).toEqual([
      ['one', false, ['a', 'b']],
      ['two', true, ['C']],
      ['three', true, ['D']],
      ['four', false, []],
      ['five', false, []],
      ['six', true, []],
    ]);
  });

  it('finds each kind of violation in a tree, and nothing else', () => {
    const found = checkTree(tree).map(({ file, specifier }) => `${file} ${specifier}`);
    expect(found).toEqual([
      'extension/components/bad-type.tsx @leadline/server/lib/types',
      'extension/components/bad.tsx @leadline/server',
      'extension/components/mixed.tsx @leadline/server',
      'extension/utils/relative.ts ../../server/src/db/schema',
      'server/src/scoring/ranking.ts ../leads/leads.service',
      'shared/src/bad.ts hono',
      'shared/src/bad.ts drizzle-orm/sqlite-core',
      'shared/src/lazy.ts wxt/browser',
    ]);
  });

  it('checks a list of imports as well as files', () => {
    const violations = checkImports([
      {
        file: 'server/src/scoring/a.ts',
        specifier: '../leads/leads.mapper',
        typeOnly: true,
        names: ['LeadRow'],
      },
      { file: 'server/src/scoring/b.ts', specifier: './ranking', typeOnly: false, names: ['x'] },
    ]);
    expect(violations.map((violation) => violation.file)).toEqual(['server/src/scoring/a.ts']);
  });

  it('fails the command on a violation, and passes on this repository', () => {
    const run = (root: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/deps-check.ts'), root], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 60_000,
      });
    const bad = run(tree);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('server/src/scoring/ranking.ts');
    const good = run(ROOT);
    expect(good.stderr).toBe('');
    expect(good.status).toBe(0);
  }, 120_000);
});
