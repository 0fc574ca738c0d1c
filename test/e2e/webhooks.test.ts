import { startWebhookReceiver, type WebhookReceiver } from '@leadline/server/testing';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, api, startApiServer } from '../support/api-server';
import { type ExtensionBrowser, launchExtension, screenshotBoth } from '../support/browser';
import { connect } from '../support/dashboard';

let server: ApiServer;
let browser: ExtensionBrowser;
let receiver: WebhookReceiver;

beforeAll(async () => {
  server = await startApiServer();
  // The first two tries are refused (the next would be 5 min later): "Send again" delivers it now.
  receiver = await startWebhookReceiver((_, index) => ({ status: index < 2 ? 500 : 200 }));
  browser = await launchExtension();
  await connect(browser, { url: server.url, token: server.token });
});
afterAll(async () => {
  await browser?.dispose();
  await receiver?.close();
  await server?.dispose();
});

describe('the webhooks page', () => {
  it('an admin adds an endpoint, sees its secret once, a failed delivery in the log, and sends it again', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1200, height: 900 });
    await page.goto(`chrome-extension://${browser.extensionId}/dashboard.html`);
    const opened = page.context().waitForEvent('page');
    await page.getByRole('link', { name: 'Webhooks' }).click();
    const hooks = await opened;
    await hooks.setViewportSize({ width: 1200, height: 900 });
    await hooks.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();

    // A loopback address is refused until the admin allows it, with the reason by the field.
    await hooks.getByLabel('Endpoint URL').fill(receiver.url);
    await hooks.getByRole('button', { name: 'Add endpoint' }).click();
    await expect.poll(() => hooks.getByRole('alert').first().textContent()).toContain('loopback or private');
    await hooks.getByLabel(/Allow a loopback or private address/).check();
    await hooks.getByRole('button', { name: 'Add endpoint' }).click();
    const secretBox = hooks.getByTestId('webhook-secret');
    await secretBox.waitFor();
    const secret = (await secretBox.locator('code').textContent()) ?? '';
    expect(secret).toMatch(/^whsec_/);
    await hooks.getByTestId('webhook-endpoint').getByText(receiver.url).waitFor();
    await screenshotBoth(hooks, 'webhooks-secret');

    const lead = await api<{ id: string }>(server, 'POST', '/api/leads', { fullName: 'Wendy Webhook' });
    expect(lead.status).toBe(201);
    await receiver.waitFor(1);
    await hooks.getByRole('button', { name: 'I have copied it' }).click();
    await hooks.getByRole('button', { name: 'Deliveries' }).click();
    const row = hooks.getByTestId('delivery-row');
    await row.getByText('500').waitFor();
    await expect.poll(() => row.locator('td').first().textContent()).toBe('Retrying');
    await receiver.waitFor(2);
    await expect.poll(() => row.locator('td').nth(1).textContent(), { timeout: 10_000 }).toBe('500, 500');
    await screenshotBoth(hooks, 'webhooks-retrying');

    await row.getByRole('button', { name: 'Send again' }).click();
    await receiver.waitFor(3);
    await expect.poll(() => row.locator('td').first().textContent(), { timeout: 10_000 }).toBe('Delivered');
    expect(await row.locator('td').nth(1).textContent()).toBe('200, 500, 500');
    await screenshotBoth(hooks, 'webhooks-delivery-log');

    // The secret the page showed verifies what the receiver got, by an independent implementation.
    const [first, , third] = receiver.received;
    expect(third!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
    const payload = new Webhook(secret).verify(third!.body, third!.headers as Record<string, string>);
    expect(payload).toMatchObject({ type: 'lead.created', data: { leadId: lead.body.id } });
  }, 90_000);
});
