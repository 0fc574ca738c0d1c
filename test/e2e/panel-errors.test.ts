import type { Lead, LeadDetail, Touchpoint } from '@leadline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, api, startApiServer } from '../support/api-server';
import { type ExtensionBrowser, launchExtension, screenshot } from '../support/browser';
import { SidePanel } from '../support/side-panel';

let server: ApiServer;
let browser: ExtensionBrowser;

async function openPanel() {
  const panel = new SidePanel(await browser.openSidePanel());
  await panel.page.getByRole('tab', { name: 'Hot leads' }).waitFor();
  return panel;
}

async function createLead(fullName: string, email: string) {
  const created = await api<Lead>(server, 'POST', '/api/leads', { fullName, email, title: 'VP Sales' });
  expect(created.status).toBe(201);
  return created.body;
}

async function touchpointsOf(id: string) {
  return (await api<{ items: Touchpoint[] }>(server, 'GET', `/api/leads/${id}/touchpoints`)).body.items;
}

async function timelineMonthsOf(id: string) {
  return (await api<LeadDetail>(server, 'GET', `/api/leads/${id}`)).body.bant.timelineMonths ?? null;
}

beforeAll(async () => {
  server = await startApiServer();
  browser = await launchExtension();
  const panel = new SidePanel(await browser.openSidePanel());
  await panel.configure(server.url, server.token);
  await panel.page.close();
});

afterAll(async () => {
  await browser?.dispose();
  await server?.dispose();
});

describe('the lead view says what the API refused', () => {
  it('shows why Undo failed when the touchpoint is already gone', async () => {
    const lead = await createLead('Wen Zhao', 'wen.zhao@lanternworks.example');
    const panel = await openPanel();
    await panel.openHotLead('Wen Zhao');
    await panel.touchpoint('Email sent').click();
    await expect.poll(async () => (await touchpointsOf(lead.id)).length).toBe(1);
    // A colleague removes it first: the panel's Undo is now refused with a 404.
    const [sent] = await touchpointsOf(lead.id);
    expect((await api(server, 'DELETE', `/api/leads/${lead.id}/touchpoints/${sent!.id}`)).status).toBe(204);
    await panel.undo();
    const notice = panel.page.getByTestId('action-error').getByRole('alert');
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(/not found/i);
    await screenshot(panel.page, 'panel-undo-refused-light');
    await panel.page.close();
  });

  it('shows why "Forget this lead" failed', async () => {
    const lead = await createLead('Ines Duarte', 'ines.duarte@corkline.example');
    const panel = await openPanel();
    await panel.openHotLead('Ines Duarte');
    expect((await api(server, 'DELETE', `/api/leads/${lead.id}`)).status).toBe(204);
    panel.page.once('dialog', (dialog) => void dialog.accept());
    await panel.page.getByRole('button', { name: 'Forget this lead' }).click();
    const notice = panel.page.getByTestId('action-error').getByRole('alert');
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(/not found/i);
    await panel.page.close();
  });
});

describe('a page the extractor broke on', () => {
  it('says the page could not be read, not that nobody is on it', async () => {
    const url = 'https://www.harbour-bakery.example/team';
    await browser.servePage(
      url,
      '<!DOCTYPE html><html lang="en"><head><title>Team</title></head><body></body></html>',
    );
    const page = await browser.context.newPage();
    await page.goto(url);
    await browser.triggerAction(page);
    await expect
      .poll(async () => Object.values(await browser.captures()).find((c) => c.result.source.url === url))
      .toBeTruthy();
    const [stored] = Object.values(await browser.captures()).filter((c) => c.result.source.url === url);
    // What the background stores when the content script's or the injected extractor throws.
    await browser.putCapture({
      ...stored!,
      capturedAt: Date.now(),
      unreadable: "Cannot read properties of null (reading 'textContent')",
    });
    const panel = new SidePanel(await browser.openSidePanel({ beside: true }));
    await panel.pageUnreadable().waitFor();
    expect(await panel.pageUnreadable().textContent()).toContain('could not read this page');
    expect(await panel.pageUnreadable().textContent()).toContain("reading 'textContent'");
    expect(await panel.nobodyFound().count()).toBe(0);
    await screenshot(panel.page, 'panel-page-unreadable-light');
    await panel.page.close();
    await page.close();
  });
});

describe('the BANT timeline field', () => {
  it("follows a colleague's change after the rep's own, and leaving it untouched writes nothing over it", async () => {
    const lead = await createLead('Kofi Mensah', 'kofi.mensah@goldcoast-freight.example');
    const panel = await openPanel();
    await panel.openHotLead('Kofi Mensah');
    const field = panel.page.getByLabel('Timeline (months)');
    expect(await field.inputValue()).toBe('');
    // The rep answers first...
    await field.fill('3');
    await panel.blur();
    await expect.poll(() => timelineMonthsOf(lead.id)).toBe(3);

    // ...then a colleague changes it, and the open lead reloads on the event.
    const patched = await api(server, 'PATCH', `/api/leads/${lead.id}`, { bant: { timelineMonths: 6 } });
    expect(patched.status).toBe(200);
    await expect.poll(() => field.inputValue(), { timeout: 10_000 }).toBe('6');

    // Passing through the field changes nothing.
    await field.focus();
    await panel.blur();
    await panel.page.waitForTimeout(1000);
    expect(await timelineMonthsOf(lead.id)).toBe(6);
    await panel.page.close();
  });

  it('keeps what the rep is typing while the lead reloads, and writes it on leaving', async () => {
    const lead = await createLead('Mara Jovic', 'mara.jovic@adriatic-cargo.example');
    const panel = await openPanel();
    await panel.openHotLead('Mara Jovic');
    const field = panel.page.getByLabel('Timeline (months)');
    await field.fill('3');
    // A colleague's touchpoint reloads the lead while the rep is still in the field.
    await api(server, 'POST', `/api/leads/${lead.id}/touchpoints`, { type: 'call_connected' });
    await panel.timeline().getByText('Call connected', { exact: true }).waitFor();
    expect(await field.inputValue()).toBe('3');
    await panel.blur();
    await expect.poll(() => timelineMonthsOf(lead.id)).toBe(3);
    expect(await field.inputValue()).toBe('3');
    await panel.page.close();
  });
});
