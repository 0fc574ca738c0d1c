import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, api, startApiServer } from '../support/api-server';
import { type ExtensionBrowser, launchExtension, screenshot } from '../support/browser';
import { SidePanel } from '../support/side-panel';

const HOSTILE = '=cmd|" /C calc"!A0';

let server: ApiServer;
let browser: ExtensionBrowser;
let panel: SidePanel;

beforeAll(async () => {
  server = await startApiServer();
  for (const body of [
    { fullName: 'Olivia Export', email: 'olivia@export.example', title: HOSTILE, company: 'Export, Inc.' },
    { fullName: 'Victor Vcard', email: 'victor@vcard.example', phone: '+44 20 7946 0958' },
  ]) {
    expect((await api(server, 'POST', '/api/leads', body)).status).toBe(201);
  }
  browser = await launchExtension();
  panel = new SidePanel(await browser.openSidePanel());
  await panel.configure(server.url, server.token);
}, 60_000);
afterAll(async () => {
  await browser?.dispose();
  await server?.dispose();
});

async function download(page: Page, button: string) {
  const started = page.waitForEvent('download');
  await page.getByRole('button', { name: button }).click();
  const file = await (await started).path();
  return readFileSync(file);
}

describe('exports from the side panel', () => {
  it('exports the hot list as CSV with live scores, and a lead as JSON and vCard next to Forget', async () => {
    await panel.showHotLeads();
    await panel
      .leadList()
      .getByRole('button', { name: /Olivia Export/ })
      .waitFor();
    const rows = parse(await download(panel.page, 'Export CSV'), { bom: true, columns: true }) as Record<
      string,
      string
    >[];
    expect(rows.map((row) => row.fullName).sort()).toEqual(['Olivia Export', 'Victor Vcard']);
    const olivia = rows.find((row) => row.fullName === 'Olivia Export')!;
    expect(olivia.title).toBe(`'${HOSTILE}`);
    expect(olivia.company).toBe('Export, Inc.');
    expect(Number(olivia.score)).toBeGreaterThanOrEqual(0);
    expect(olivia.ownerName).toBe('Admin');
    const vcards = (await download(panel.page, 'Export vCards')).toString('utf8');
    expect(vcards.match(/BEGIN:VCARD/g)).toHaveLength(2);

    await panel.openHotLead('Victor Vcard');
    const exported = JSON.parse((await download(panel.page, 'Download all data (JSON)')).toString('utf8'));
    expect(Object.keys(exported)).toEqual([
      'exportedAt',
      'lead',
      'touchpoints',
      'stageChanges',
      'audit',
      'assignments',
      'tasks',
      'enrolments',
    ]);
    expect(exported.lead).toMatchObject({ fullName: 'Victor Vcard', email: 'victor@vcard.example' });
    const card = (await download(panel.page, 'vCard')).toString('utf8');
    expect(card).toContain('FN:Victor Vcard');
    expect(card).toContain('VERSION:4.0');
    await panel.page.getByRole('button', { name: 'Forget this lead' }).scrollIntoViewIfNeeded();
    await screenshot(panel.page, 'panel-lead-exports');
  }, 90_000);
});
