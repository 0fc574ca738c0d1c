import type { Me } from '@leadline/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bootstrap } from '../bootstrap';
import { createTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../test-utils';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

describe('tokens and /api/me', () => {
  it('tells the admin who they are', async () => {
    const me = (await (await t.get('/api/me')).json()) as Me;
    expect(me.user).toMatchObject({ id: t.adminUserId, role: 'admin' });
    expect(me.workspace.id).toBe(t.workspaceId);
  });

  it('lets an admin make a rep with a token that works once shown and stops after revoking', async () => {
    const res = await t.post('/api/tokens', {
      name: 'Rita Rep',
      email: 'rita@team.io',
      role: 'rep',
      label: 'laptop',
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; token: string; userId: string };
    expect(created.token).toMatch(/^ll_/);

    const me = (await (await t.get('/api/me', created.token)).json()) as Me;
    expect(me.user).toMatchObject({ name: 'Rita Rep', role: 'rep', email: 'rita@team.io' });

    const stored = await t.client.execute('select token_hash from api_tokens');
    expect(stored.rows.map((row) => row.token_hash)).not.toContain(created.token);

    expect((await t.del(`/api/tokens/${created.id}`)).status).toBe(204);
    expect((await t.get('/api/me', created.token)).status).toBe(401);
  });

  it('keeps token management to admins', async () => {
    const rep = (await (await t.post('/api/tokens', { name: 'Rep' })).json()) as { token: string };
    const res = await t.request('POST', '/api/tokens', {
      token: rep.token,
      body: { name: 'Sneaky', role: 'admin' },
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { type: string }).type).toBe('/problems/forbidden');
    expect((await t.get('/api/tokens', rep.token)).status).toBe(403);
  });

  it('answers bad token requests with 4xx problems', async () => {
    expect((await t.post('/api/tokens', {})).status).toBe(422);
    expect((await t.post('/api/tokens', { name: 'X', role: 'boss' })).status).toBe(422);
    expect((await t.post('/api/tokens', { userId: 'ghost' })).status).toBe(404);
    expect((await t.del('/api/tokens/ghost')).status).toBe(404);
  });

  it('lists tokens without their secrets', async () => {
    const res = await t.get('/api/tokens');
    const body = (await res.json()) as { items: Record<string, unknown>[] };
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({ label: 'ADMIN_TOKEN', role: 'admin' });
    expect(JSON.stringify(body)).not.toContain(TEST_ADMIN_TOKEN);
  });
});

describe('bootstrap', () => {
  it('is idempotent and makes a first token only when none exists and no ADMIN_TOKEN is set', async () => {
    const again = await bootstrap(t.db, TEST_ADMIN_TOKEN);
    expect(again).toEqual({
      workspaceId: t.workspaceId,
      adminUserId: t.adminUserId,
      createdAdminToken: null,
    });
    const withoutEnv = await bootstrap(t.db);
    expect(withoutEnv.createdAdminToken).toBeNull();
    await t.client.execute('delete from api_tokens');
    const fresh = await bootstrap(t.db);
    expect(fresh.createdAdminToken).toMatch(/^ll_/);
    expect((await t.get('/api/me', fresh.createdAdminToken)).status).toBe(200);
    expect((await t.get('/api/me', TEST_ADMIN_TOKEN)).status).toBe(401);
  });
});
