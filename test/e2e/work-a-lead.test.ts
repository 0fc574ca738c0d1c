import type { Lead, LeadDetail } from '@leadline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, api, startApiServer } from '../support/api-server';
import { type ExtensionBrowser, launchExtension, screenshotBoth } from '../support/browser';
import { SidePanel } from '../support/side-panel';

let server: ApiServer;
let browser: ExtensionBrowser;

async function openPanel() {
  const panel = new SidePanel(await browser.openSidePanel());
  await panel.page.getByRole('tab', { name: 'Hot leads' }).waitFor();
  return panel;
}

async function createLead(fullName: string, extra: Record<string, unknown> = {}) {
  const created = await api<Lead>(server, 'POST', '/api/leads', {
    fullName,
    title: 'VP Sales',
    company: 'Northwind Logistics',
    companySize: 120,
    ...extra,
  });
  expect(created.status).toBe(201);
  return created.body;
}

const leadOf = async (id: string) => (await api<LeadDetail>(server, 'GET', `/api/leads/${id}`)).body;

beforeAll(async () => {
  server = await startApiServer();
  const settings = await api(server, 'PUT', '/api/settings/workspace', {
    currency: 'EUR',
    closeReasons: { won: ['Best fit'], lost: ['Price', 'Chose a competitor'] },
  });
  expect(settings.status).toBe(200);
  browser = await launchExtension();
  const panel = new SidePanel(await browser.openSidePanel());
  await panel.configure(server.url, server.token);
  await panel.page.close();
});

afterAll(async () => {
  await browser?.dispose();
  await server?.dispose();
});

describe('working a lead in the side panel', () => {
  it('edits every field in place, with the API’s 422 next to the field it names', async () => {
    const lead = await createLead('Mara Kovač', { email: 'mara@northwind.example' });
    const panel = await openPanel();
    await panel.openHotLead('Mara Kovač');
    await panel.page.getByRole('button', { name: 'Edit details' }).click();
    const form = panel.page;
    await form.getByLabel('Title', { exact: true }).fill('Chief Revenue Officer');
    await form.getByLabel('Industry', { exact: true }).fill('Logistics');
    await form.getByLabel('Country', { exact: true }).fill('Croatia');
    await screenshotBoth(panel.page, 'lead-edit');
    await form.getByRole('button', { name: 'Save details' }).click();

    const error = form.getByTestId('error-country');
    await error.waitFor();
    expect(await error.textContent()).toContain('ISO 3166-1 alpha-2');
    expect(await form.getByLabel('Country', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await screenshotBoth(panel.page, 'lead-edit-422');
    // Refused as a whole: nothing half-written, and nothing left waiting in the outbox.
    expect((await leadOf(lead.id)).title).toBe('VP Sales');
    expect(await panel.outboxWaiting().count()).toBe(0);

    await form.getByLabel('Country', { exact: true }).fill('HR');
    await form.getByRole('button', { name: 'Save details' }).click();
    await panel.page.getByRole('button', { name: 'Save details' }).waitFor({ state: 'detached' });
    await expect.poll(async () => (await leadOf(lead.id)).title).toBe('Chief Revenue Officer');
    expect(await leadOf(lead.id)).toMatchObject({ industry: 'Logistics', country: 'HR' });
    await panel.page
      .getByRole('region', { name: 'Details' })
      .getByText('Logistics', { exact: true })
      .waitFor();
    await panel.page.close();
  });

  it('shows the deal in the workspace currency, closes it as Lost with a reason, and the hot list leaves it out', async () => {
    const lead = await createLead('Lukas Brandt', { dealValue: 48000 });
    await createLead('Olivia Open');
    const panel = await openPanel();
    await panel.openHotLead('Lukas Brandt');
    const summary = panel.page.getByTestId('deal-summary');
    await expect.poll(() => summary.textContent()).toContain('€48,000');

    await panel.page.getByLabel('Expected close').fill('2026-09-30');
    await panel.page.getByRole('button', { name: 'Save deal' }).click();
    await expect.poll(async () => (await leadOf(lead.id)).expectedCloseDate).toBe('2026-09-30');
    await expect.poll(() => summary.textContent()).toContain('expected to close');

    await panel.page.getByRole('button', { name: 'Close as Lost' }).click();
    const close = panel.page.getByRole('form', { name: 'Close as Lost' });
    await close.waitFor();
    expect(await close.locator('option').allTextContents()).toEqual([
      'Pick a reason',
      'Price',
      'Chose a competitor',
      'Other…',
    ]);
    await close.getByLabel('Why was it lost?').selectOption('Other');
    await close.getByLabel('In your words').fill('Built it in-house');
    await screenshotBoth(panel.page, 'lead-close-lost');
    await close.getByRole('button', { name: 'Close as Lost' }).click();
    await expect
      .poll(async () => {
        const stored = await leadOf(lead.id);
        return [stored.stage, stored.closeReason];
      })
      .toEqual(['lost', 'Other: Built it in-house']);
    await expect
      .poll(() => panel.page.getByTestId('close-outcome').textContent())
      .toBe('Lost: Other: Built it in-house');
    await screenshotBoth(panel.page, 'lead-closed');

    await panel.page.getByRole('button', { name: '← Back' }).click();
    await panel.leadList().getByRole('button', { name: 'Olivia Open' }).waitFor();
    expect(await panel.leadList().getByRole('button', { name: 'Lukas Brandt' }).count()).toBe(0);
    const row = panel.leadList().getByRole('listitem').filter({ hasText: 'Olivia Open' });
    expect(await row.getByTestId('hot-facts').textContent()).toMatch(/^(Owner .+|No owner) · never touched$/);
    expect(await row.getByTestId('hot-next-step').textContent()).toMatch(/^Next: /);
    await screenshotBoth(panel.page, 'hot-leads-open');
    await panel.page.getByLabel('Stage').selectOption('all');
    await panel.leadList().getByRole('button', { name: 'Lukas Brandt' }).waitFor();
    await panel.page.close();
  });

  it('lets an admin change the owner, and shows why the score is what it is', async () => {
    const lead = await createLead('Sana Iqbal', { email: 'sana@northwind.example' });
    const rep = await api<{ userId: string }>(server, 'POST', '/api/tokens', {
      name: 'Rita Rep',
    });
    expect(rep.status).toBe(201);
    const panel = await openPanel();
    await panel.openHotLead('Sana Iqbal');
    await panel.page.getByLabel('Owner', { exact: true }).selectOption({ label: 'Rita Rep' });
    await expect.poll(async () => (await leadOf(lead.id)).ownerId).toBe(rep.body.userId);
    await panel.page.getByRole('button', { name: 'Why this score' }).click();
    const sum = await panel.page.getByTestId('why-sum').textContent();
    expect(sum).toMatch(/^0\.5 × fit 65 \+ 0\.5 × engagement 0 \(0 points\) = 33$/);
    await screenshotBoth(panel.page, 'lead-why-score');
    await panel.page.close();
  });
});
