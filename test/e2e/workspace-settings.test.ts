import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, api, startApiServer } from '../support/api-server';
import { type ExtensionBrowser, launchExtension, screenshot } from '../support/browser';
import { SidePanel } from '../support/side-panel';

let server: ApiServer;
let browser: ExtensionBrowser | undefined;

beforeAll(async () => {
  server = await startApiServer();
});
afterAll(async () => {
  await browser?.dispose();
  await server?.dispose();
});

describe("the workspace's currency and close reasons, on the dashboard", () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    it(`a manager changes them; a bad currency is said next to its field (${colorScheme})`, async () => {
      await browser?.dispose();
      browser = await launchExtension({ colorScheme });
      const panel = new SidePanel(await browser.openSidePanel());
      await panel.configure(server.url, server.token);
      await panel.page.close();
      const page = await browser.context.newPage();
      await page.setViewportSize({ width: 1200, height: 900 });
      await page.goto(`chrome-extension://${browser.extensionId}/dashboard.html`);
      const section = page.getByTestId('workspace-settings');
      await section.waitFor();

      await section.getByLabel('Currency (ISO 4217)').fill('EURO');
      await section.getByRole('button', { name: 'Save settings' }).click();
      await expect.poll(() => section.getByRole('alert').textContent()).toContain('ISO 4217');
      expect((await api<{ currency: string }>(server, 'GET', '/api/settings/workspace')).body.currency).toBe(
        colorScheme === 'light' ? 'USD' : 'EUR',
      );
      await screenshot(page, `dashboard-settings-error-${colorScheme}`);

      await section.getByLabel('Currency (ISO 4217)').fill('eur');
      await section.getByLabel('Reasons a deal is lost (one a line)').fill('Price\n\nWent with a partner\n');
      await section.getByRole('button', { name: 'Save settings' }).click();
      await section.getByRole('status').getByText('Saved.').waitFor();
      const saved = await api<{ currency: string; closeReasons: { lost: string[] } }>(
        server,
        'GET',
        '/api/settings/workspace',
      );
      expect(saved.body.currency).toBe('EUR');
      expect(saved.body.closeReasons.lost).toEqual(['Price', 'Went with a partner']);
      await screenshot(page, `dashboard-settings-saved-${colorScheme}`);
      await page.close();
    });
  }

  it('is not shown to a rep', async () => {
    const rep = await api<{ token: string }>(server, 'POST', '/api/tokens', {
      name: 'Rita Rep',
      role: 'rep',
    });
    await browser?.dispose();
    browser = await launchExtension();
    const panel = new SidePanel(await browser.openSidePanel());
    await panel.configure(server.url, rep.body.token);
    await panel.page.close();
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/dashboard.html`);
    await page.getByRole('heading', { name: 'Leadline dashboard' }).waitFor();
    await page.getByText('No leads yet').waitFor();
    expect(await page.getByTestId('workspace-settings').count()).toBe(0);
  });
});
