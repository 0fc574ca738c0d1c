import { readFileSync } from 'node:fs';
import type { Lead } from '@leadline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath, fixtures } from '../fixtures/index';
import { type ApiServer, api, startApiServer } from '../support/api-server';
import { type ExtensionBrowser, launchExtension, screenshotBoth } from '../support/browser';
import { SidePanel } from '../support/side-panel';

const FILE = 'linkedin/profile-hashed-es.html';
const LUCIA = {
  url: fixtures.find((fixture) => fixture.file === FILE)!.url,
  html: readFileSync(fixturePath(FILE), 'utf8'),
};

let server: ApiServer;
let browser: ExtensionBrowser;

beforeAll(async () => {
  server = await startApiServer();
  browser = await launchExtension();
  await browser.context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) =>
    route.abort('internetdisconnected'),
  );
  const panel = new SidePanel(await browser.openSidePanel());
  await panel.configure(server.url, server.token);
  await panel.page.close();
});

afterAll(async () => {
  await browser?.dispose();
  await server?.dispose();
});

describe('capture while the API is down, and a wrong token', () => {
  it('keeps the person on screen with one notice, queues Save, and sends it within 2 s of the API answering', async () => {
    await server.stop();
    await browser.servePage(LUCIA.url.replace(/[?#].*$/, '**'), LUCIA.html);
    const page = await browser.context.newPage();
    await page.goto(LUCIA.url);
    await expect
      .poll(
        async () => Object.values(await browser.captures()).some((c) => c.result.source.url === LUCIA.url),
        {
          timeout: 15_000,
        },
      )
      .toBe(true);

    const panel = new SidePanel(await browser.openSidePanel({ beside: true }));
    await expect
      .poll(() => panel.field('Full name').inputValue(), { timeout: 15_000 })
      .toBe('Lucía Fernández García');
    await panel.page.getByText('The Leadline API is unreachable').first().waitFor({ timeout: 15_000 });
    expect(await panel.page.getByText(/unreachable/i).count()).toBe(1);
    await panel.saveLead();
    await panel.page.getByText('Saved on this device').waitFor();
    await expect.poll(() => panel.outboxWaiting().textContent()).toMatch(/^1 change waiting/);
    expect(await panel.field('Full name').inputValue()).toBe('Lucía Fernández García');
    await screenshotBoth(panel.page, 'capture-offline-queued');

    // Long enough for the backoff to have grown past the probe's second.
    await panel.page.waitForTimeout(6000);
    await server.start();
    const back = Date.now();
    await panel.knownLead().getByText('Saved.').waitFor({ timeout: 2500 });
    expect(Date.now() - back).toBeLessThan(2500);
    const found = await api<{ items: Lead[] }>(server, 'GET', '/api/leads?q=Luc%C3%ADa');
    expect(found.body.items.map((lead) => lead.fullName)).toEqual(['Lucía Fernández García']);
    await screenshotBoth(panel.page, 'capture-offline-sent');
    await panel.page.close();
    await page.close();
  });

  it('a wrong saved token: the notice’s Open Settings is a button that opens them', async () => {
    // A token that worked when saved, then revoked: what the panel holds is now wrong.
    const issued = await api<{ id: string; token: string }>(server, 'POST', '/api/tokens', {
      name: 'Tara Temp',
    });
    expect(issued.status).toBe(201);
    const panel = new SidePanel(await browser.openSidePanel());
    await panel.page.getByRole('button', { name: 'Settings', exact: true }).click();
    await panel.configure(server.url, issued.body.token);
    expect((await api(server, 'DELETE', `/api/tokens/${issued.body.id}`)).status).toBe(204);
    await panel.showHotLeads();
    const notice = panel.page.getByRole('alert').filter({ hasText: 'Your token was rejected' });
    await notice.waitFor();
    await screenshotBoth(panel.page, 'panel-wrong-token');
    await notice.getByRole('button', { name: 'Open Settings' }).click();
    await panel.page.getByLabel('API token').waitFor();
    await panel.configure(server.url, server.token);
    await panel.page.close();
  });
});
