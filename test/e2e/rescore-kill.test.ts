import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrap } from '@leadline/server/bootstrap';
import { openDatabase } from '@leadline/server/db';
import { seedDemo } from '@leadline/server/demo';
import { activeModel, rescoreAll } from '@leadline/server/scoring';
import { DEFAULT_SCORING_MODEL } from '@leadline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, api, startApiServer } from '../support/api-server';

const TOKEN = 'e2e-rescore-kill-token-0123456789';
let dir: string;
let server: ApiServer;

interface ModelState {
  version: number;
  rescoring: { version: number; done: number; total: number } | null;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'leadline-rescore-kill-'));
  const databaseUrl = `file:${join(dir, 'leadline.db')}`;
  const handle = await openDatabase(databaseUrl);
  await bootstrap(handle.db, TOKEN);
  const { workspaceId } = await seedDemo(handle.db, { leads: 20_000, touchpoints: 60_000, seed: 3 });
  // Demo leads arrive unscored: scored as `pnpm demo` scores them.
  const model = await activeModel(handle.db, workspaceId);
  await handle.db.transaction((tx) =>
    rescoreAll(tx, workspaceId, model, model, new Date(), null, {
      rebuildFit: true,
      rebuildEngagement: true,
      autoStage: false,
    }),
  );
  handle.close();
  server = await startApiServer({ databaseUrl, token: TOKEN });
});
afterAll(async () => {
  await server?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('a model change killed mid-way (kill -9)', () => {
  it('leaves the old version in force, and the next start resumes it to the new one, every lead consistent', async () => {
    const put = api(server, 'PUT', '/api/scoring-model', { ...DEFAULT_SCORING_MODEL, halfLifeDays: 9 }).catch(
      (error: unknown) => error,
    );
    let state: ModelState | undefined;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      state = (await api<ModelState>(server, 'GET', '/api/scoring-model')).body;
      if (state.rescoring && state.rescoring.done > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(state?.rescoring?.done).toBeGreaterThan(0);
    expect(state?.rescoring?.done).toBeLessThan(20_000);
    await server.kill();
    expect(await put).toBeInstanceOf(Error);

    await server.start();
    // Until the resumed job switches, the old version stays in force.
    let resumed: ModelState | undefined;
    while (Date.now() < deadline + 60_000) {
      resumed = (await api<ModelState>(server, 'GET', '/api/scoring-model')).body;
      if (!resumed.rescoring) break;
      expect(resumed.version).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(resumed).toEqual(expect.objectContaining({ version: 2, rescoring: null }));

    // Every lead stores what a full recomputation under version 2 gives (rolled back: read only).
    const handle = await openDatabase(server.databaseUrl);
    try {
      const [{ id: workspaceId }] = (await handle.client.execute('select id from workspaces'))
        .rows as unknown as [{ id: string }];
      const model = await activeModel(handle.db, workspaceId);
      expect(model.version).toBe(2);
      let changed = -1;
      await handle.db
        .transaction(async (tx) => {
          ({ changed } = await rescoreAll(tx, workspaceId, model, model, new Date(), null, {
            rebuildFit: true,
            rebuildEngagement: true,
            autoStage: false,
          }));
          throw new Error('roll back');
        })
        .catch(() => {});
      expect(changed).toBe(0);
    } finally {
      handle.close();
    }
  });
});
