import { readFileSync } from 'node:fs';
import { bootstrap } from '@leadline/server/bootstrap';
import { openDatabase } from '@leadline/server/db';
import { seedDemo } from '@leadline/server/demo';
import type { Attribution, Funnel, Sources } from '@leadline/shared';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, api, startApiServer } from '../support/api-server';
import { type ExtensionBrowser, launchExtension, screenshot } from '../support/browser';
import { SidePanel } from '../support/side-panel';

const HOSTILE = '<img src=x onerror="document.title=\'pwned\'">';
const SECTIONS = ['kpis', 'funnel', 'velocity', 'speed', 'sources', 'attribution', 'activity'];

let server: ApiServer;
let browser: ExtensionBrowser | undefined;

/** The dashboard's opening range: the last twelve whole months up to today (UTC). */
function defaultRange(today = new Date()) {
  const from = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 11, 1));
  return `from=${from.toISOString().slice(0, 10)}&to=${today.toISOString().slice(0, 10)}`;
}
const count = (value: number) => new Intl.NumberFormat('en-US').format(value);

async function openDashboard(extension: ExtensionBrowser): Promise<Page> {
  const page = await extension.context.newPage();
  await page.setViewportSize({ width: 1360, height: 1000 });
  await page.goto(`chrome-extension://${extension.extensionId}/dashboard.html`);
  for (const id of SECTIONS) {
    await page.locator(`[data-testid="section-${id}"][aria-busy="false"]`).waitFor({ timeout: 30_000 });
  }
  return page;
}

beforeAll(async () => {
  server = await startApiServer();
  // The demo team and a year of history, written straight into the running server's database.
  const handle = await openDatabase(server.databaseUrl);
  await bootstrap(handle.db, server.token);
  await seedDemo(handle.db, { leads: 1500, seed: 11 });
  handle.close();

  // A rep whose name is markup logs a touchpoint: the dashboard must show the name as text.
  const rep = await api<{ token: string }>(server, 'POST', '/api/tokens', { name: HOSTILE, role: 'rep' });
  expect(rep.status).toBe(201);
  const asRep = { url: server.url, token: rep.body.token };
  const lead = await api<{ id: string }>(asRep, 'POST', '/api/leads', { fullName: 'Hostile Test Lead' });
  expect(lead.status).toBe(201);
  const touch = await api(asRep, 'POST', `/api/leads/${lead.body.id}/touchpoints`, {
    type: 'call_attempted',
  });
  expect(touch.status).toBe(201);
});

afterAll(async () => {
  await browser?.dispose();
  await server?.dispose();
});

describe('the dashboard on demo data', () => {
  it('asks to connect first when the extension has no settings', async () => {
    browser = await launchExtension();
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/dashboard.html`);
    await page.getByText('Not connected yet.').waitFor();
    await page.close();
  });

  it('draws every chart, and its tables agree with the API (light)', async () => {
    const panel = new SidePanel(await browser!.openSidePanel());
    await panel.configure(server.url, server.token);
    await panel.page.getByRole('button', { name: 'Dashboard' }).waitFor();
    await panel.page.close();

    const page = await openDashboard(browser!);
    expect(await page.locator('canvas').count()).toBeGreaterThanOrEqual(6);

    const range = defaultRange();
    const funnel = (await api<Funnel>(server, 'GET', `/api/analytics/funnel?${range}`)).body;
    expect(funnel.steps[0]!.reached).toBeGreaterThan(1000);
    const funnelRows = page.getByTestId('funnel-table').locator('tbody tr');
    expect(await funnelRows.count()).toBe(5);
    for (const [i, step] of funnel.steps.entries()) {
      expect(await funnelRows.nth(i).locator('td').first().textContent()).toBe(count(step.reached));
    }

    const sources = (await api<Sources>(server, 'GET', `/api/analytics/sources?${range}`)).body;
    const total = page.getByTestId('sources-table').locator('tbody tr').last();
    expect(await total.locator('th').textContent()).toBe('Total');
    expect(await total.locator('td').first().textContent()).toBe(count(sources.total.leads));

    const attribution = (
      await api<Attribution>(server, 'GET', `/api/analytics/attribution?${range}&model=w_shaped`)
    ).body;
    expect(attribution.wonDeals).toBeGreaterThan(0);
    expect(await page.getByTestId('attribution-table').locator('tbody tr').count()).toBe(
      attribution.channels.length,
    );

    // Markup in a rep's name is text, never markup.
    const activity = page.getByTestId('activity-table');
    await expect.poll(() => activity.textContent()).toContain(HOSTILE);
    expect(await activity.locator('img').count()).toBe(0);
    expect(await page.title()).toBe('Leadline dashboard');

    await screenshot(page, 'dashboard-light');
  });

  it('switches the attribution model and downloads a table as CSV', async () => {
    const page = await openDashboard(browser!);
    const range = defaultRange();
    const first = (
      await api<Attribution>(server, 'GET', `/api/analytics/attribution?${range}&model=first_touch`)
    ).body;
    await page.getByLabel('Model').selectOption('first_touch');
    const table = page.getByTestId('attribution-table');
    await expect.poll(() => table.locator('caption').textContent()).toContain('First touch');
    const firstRow = table.locator('tbody tr').first();
    expect(await firstRow.locator('th').textContent()).toBe(first.channels[0]!.channel);

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download Funnel by stage as CSV' }).click();
    const csv = readFileSync((await (await download).path())!, 'utf8');
    expect(csv.replace(/^\ufeff/, '').split('\r\n')[0]).toBe(
      'Stage,Reached,From previous,From new,Median hours in stage',
    );
    await page.close();
  });

  it('follows a dark system theme', async () => {
    const userDataDir = browser!.userDataDir;
    await browser!.close();
    browser = await launchExtension({ userDataDir, colorScheme: 'dark' });
    const page = await openDashboard(browser);
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(16, 19, 23)');
    await screenshot(page, 'dashboard-dark');
  });
});
