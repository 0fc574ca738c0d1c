import { readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, api, BUILT_SERVER, startApiServer } from '../support/api-server';

let server: ApiServer;

beforeAll(async () => {
  server = await startApiServer({ built: true });
});

afterAll(async () => {
  await server?.dispose();
});

describe('the server built to plain JavaScript', () => {
  it('is one ESM file with no TypeScript left and only the native libSQL client outside it', () => {
    const code = readFileSync(BUILT_SERVER, 'utf8');
    const imports = new Set([...code.matchAll(/^import .* from ['"]([^'"]+)['"]/gm)].map((m) => m[1]));
    // Node's own modules, with or without `node:` (csv-parse imports `stream`), stay outside.
    expect([...imports].filter((specifier) => !isBuiltin(specifier!))).toEqual(['@libsql/client']);
    expect(code).not.toMatch(/from ['"]tsx|@leadline\/shared/);
  });

  it('starts under plain node from another folder, migrates its database and answers /health', async () => {
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', database: 'ok' });
    expect(server.output()).toContain('Leadline API listening on');
  });

  it('serves the API: a lead created is listed, scored by the shared model', async () => {
    const created = await api<{ id: string; score: number }>(server, 'POST', '/api/leads', {
      fullName: 'Ines Carvalho',
      email: 'ines.carvalho@tejo-freight.example',
      title: 'VP Sales',
      company: 'Tejo Freight',
      companySize: 120,
    });
    expect(created.status).toBe(201);
    expect(created.body.score).toBe(33);
    const listed = await api<{ items: { id: string }[] }>(server, 'GET', '/api/leads');
    expect(listed.body.items.map((lead) => lead.id)).toEqual([created.body.id]);
  });
});
