import type { Lead } from '@leadline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, api, startApiServer } from '../support/api-server';
import { type ExtensionBrowser, launchExtension, screenshot } from '../support/browser';
import { SidePanel } from '../support/side-panel';

let server: ApiServer;
let browser: ExtensionBrowser;

beforeAll(async () => {
  server = await startApiServer();
  browser = await launchExtension();
});

afterAll(async () => {
  await browser?.dispose();
  await server?.dispose();
});

describe('the built extension in Chromium against the real API', () => {
  it('loads as an MV3 extension with a service worker', () => {
    expect(browser.extensionId).toMatch(/^[a-p]{32}$/);
  });

  it('refuses a wrong token on "Test connection", then saves working settings', async () => {
    const panel = new SidePanel(await browser.openSidePanel());
    await panel.page.getByRole('heading', { name: 'Welcome to Leadline' }).waitFor();
    await screenshot(panel.page, 'first-run-light');

    await panel.page.getByLabel('API URL').fill(server.url);
    await panel.page.getByLabel('API token').fill('not-the-token');
    await panel.page.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => panel.status().textContent()).toContain('rejected');

    await panel.page.getByLabel('API URL').fill('http://127.0.0.1:9');
    await panel.page.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => panel.status().textContent()).toContain('Cannot reach');

    await panel.configure(`${server.url}/`, server.token);
    await panel.showHotLeads();
    await panel.page.getByText('No leads yet').waitFor();
    await panel.page.close();
  });

  it('adds a lead by hand that the API then knows, and shows it in the list', async () => {
    const panel = new SidePanel(await browser.openSidePanel());
    await panel.addLead({
      'Full name': 'Margaret Hamilton',
      'E-mail': 'Margaret@Apollo.example',
      Title: 'Director of Software Engineering',
      Company: 'MIT Instrumentation Lab',
    });
    await panel.page.getByRole('heading', { name: 'Margaret Hamilton' }).waitFor();

    const found = await api<{ items: Lead[] }>(server, 'GET', '/api/leads?q=hamilton');
    expect(found.status).toBe(200);
    expect(found.body.items).toHaveLength(1);
    expect(found.body.items[0]).toMatchObject({
      fullName: 'Margaret Hamilton',
      email: 'margaret@apollo.example',
      title: 'Director of Software Engineering',
      source: { channel: 'manual' },
    });

    await panel.page.getByRole('button', { name: '← Back' }).click();
    await expect.poll(() => panel.leadList().textContent()).toContain('Margaret Hamilton');
    // One click away from an e-mail to the lead.
    const mail = panel.page.getByRole('link', { name: 'E-mail Margaret Hamilton' });
    expect(await mail.getAttribute('href')).toBe('mailto:margaret@apollo.example');
    await screenshot(panel.page, 'lead-list-light');
    await panel.page.close();
  });

  it('shows the API refusal next to the field, and nothing is stored', async () => {
    const panel = new SidePanel(await browser.openSidePanel());
    await panel.addLead({ 'Full name': 'Bad Mail', 'E-mail': 'not-an-address' });
    // The form's own alert (the outbox banner may flash the refusal too before the form takes it back).
    const formAlert = panel.page.locator('form').getByRole('alert');
    await formAlert.waitFor();
    expect(await formAlert.textContent()).toContain('Validation failed');
    const emailInput = panel.page.getByLabel('E-mail', { exact: true });
    await expect.poll(() => emailInput.getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => panel.page.getByRole('alert').count()).toBe(1);
    const describedBy = await emailInput.getAttribute('aria-describedby');
    expect(await panel.page.locator(`[id="${describedBy}"]`).textContent()).toBe('Invalid email address');
    const found = await api<{ items: Lead[] }>(server, 'GET', '/api/leads?q=bad');
    expect(found.body.items).toHaveLength(0);
    await panel.page.close();
  });

  it('shows hostile text as text', async () => {
    const hostile = '<img src=x onerror="document.title=\'pwned\'">Eve';
    const created = await api<Lead>(server, 'POST', '/api/leads', {
      fullName: hostile,
      company: '<script>alert(1)</script>',
    });
    expect(created.status).toBe(201);
    const panel = new SidePanel(await browser.openSidePanel());
    await panel.showHotLeads();
    await expect.poll(() => panel.leadList().textContent()).toContain(hostile);
    expect(await panel.page.title()).toBe('Leadline');
    expect(await panel.page.locator('img').count()).toBe(0);
    await panel.page.close();
  });

  it('keeps the data across an API restart', async () => {
    await server.stop();
    await server.start();
    const found = await api<{ items: Lead[] }>(server, 'GET', '/api/leads?q=hamilton');
    expect(found.body.items.map((lead) => lead.fullName)).toEqual(['Margaret Hamilton']);
  });
});
