import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, api, startApiServer } from '../support/api-server';

const OPENAPI_DIR = fileURLToPath(new URL('../openapi/', import.meta.url));
const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/**
 * The client as this test uses it. It is typed by the generated types, which exist only once this
 * test has written them, so it is loaded at run time and checked by its own tsc run.
 */
interface LeadlineClient {
  listLeads(q?: string): Promise<{ id: string; score: number }[]>;
  createLead(fullName: string, email: string): Promise<{ id: string; score: number }>;
  logTouchpoint(leadId: string, type: 'meeting_booked', note?: string): Promise<unknown>;
  logUnknownTouchpoint(leadId: string): Promise<{ status: number }>;
}
async function loadClient(url: string, token: string): Promise<LeadlineClient> {
  const client = `${OPENAPI_DIR}client.ts`;
  const { createLeadlineClient } = (await import(client)) as {
    createLeadlineClient(url: string, token: string): LeadlineClient;
  };
  return createLeadlineClient(url, token);
}

let server: ApiServer;

beforeAll(async () => {
  server = await startApiServer();
});

afterAll(async () => {
  await server?.dispose();
});

describe('a client generated from the served OpenAPI document', () => {
  it('generates types with openapi-typescript, and the small client typechecks against them', async () => {
    const document = await (await fetch(`${server.url}/openapi.json`)).json();
    const types = astToString(await openapiTS(document));
    mkdirSync(`${OPENAPI_DIR}generated`, { recursive: true });
    writeFileSync(`${OPENAPI_DIR}generated/leadline-api.ts`, types);
    for (const operationId of ['listLeads', 'createLead', 'createTouchpoint']) {
      expect(types).toContain(`${operationId}: {`);
    }

    // Asynchronously: a blocked event loop would keep a kept-alive socket the API has since closed.
    const tsc = await promisify(execFile)(process.execPath, [TSC, '-p', `${OPENAPI_DIR}tsconfig.json`]).catch(
      (error: { stdout: string; stderr: string }) => error,
    );
    expect(tsc.stdout + tsc.stderr).toBe('');
  });

  it('lists leads, creates a lead and logs a touchpoint on the real API', async () => {
    const client = await loadClient(server.url, server.token);
    expect(await client.listLeads()).toEqual([]);

    const lead = await client.createLead('Wanjiru Kamau', 'wanjiru.kamau@kestrel-freight.example');
    expect(lead).toMatchObject({ fullName: 'Wanjiru Kamau', stage: 'new', score: 33 });
    const again = await client.createLead('Wanjiru Kamau', 'wanjiru.kamau@kestrel-freight.example');
    expect(again.id).toBe(lead.id);

    const touchpoint = await client.logTouchpoint(lead.id, 'meeting_booked', 'Demo on Thursday');
    expect(touchpoint).toMatchObject({ leadId: lead.id, type: 'meeting_booked', note: 'Demo on Thursday' });
    expect(await client.logUnknownTouchpoint(lead.id)).toMatchObject({ status: 422 });

    const [listed, ...others] = await client.listLeads('Kamau');
    expect(others).toEqual([]);
    expect(listed?.id).toBe(lead.id);
    expect(listed?.score).toBeGreaterThan(lead.score);
    const stored = await api<{ items: { type: string }[] }>(
      server,
      'GET',
      `/api/leads/${lead.id}/touchpoints`,
    );
    expect(stored.body.items.map((t) => t.type)).toEqual(['meeting_booked']);
  });
});
