import { createServer, type Server } from 'node:http';
import type { Form, Lead, Touchpoint } from '@leadline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, api, freePort, startApiServer } from '../support/api-server';
import { type ExtensionBrowser, launchExtension, screenshot } from '../support/browser';
import { connect } from '../support/dashboard';
import { SidePanel } from '../support/side-panel';

let server: ApiServer;
let browser: ExtensionBrowser;
let site: Server;
let siteOrigin: string;
/** The pages the team's website serves, by path; the test pastes the snippet into them. */
const pages = new Map<string, string>();

/** The team's own website: another origin (another port) than the API. */
async function startSite() {
  const port = await freePort();
  site = createServer((req, res) => {
    const html = pages.get(new URL(req.url ?? '/', 'http://site').pathname);
    res.writeHead(html ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html ?? 'Not found');
  });
  await new Promise<void>((resolve) => site.listen(port, '127.0.0.1', resolve));
  siteOrigin = `http://127.0.0.1:${port}`;
}

const sitePage = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;

beforeAll(async () => {
  server = await startApiServer();
  await startSite();
  pages.set('/thanks', sitePage('Thanks for getting in touch', '<p>We will call you back.</p>'));
  const manager = await api<{ token: string }>(server, 'POST', '/api/tokens', {
    name: 'Mia Manager',
    role: 'manager',
  });
  expect(manager.status).toBe(201);
  browser = await launchExtension();
  await connect(browser, { url: server.url, token: manager.body.token });
});
afterAll(async () => {
  await browser?.dispose();
  await new Promise((resolve) => site?.close(resolve));
  await server?.dispose();
});

async function leadByEmail(email: string) {
  const list = await api<{ items: Lead[] }>(server, 'GET', `/api/leads?q=${encodeURIComponent(email)}`);
  return list.body.items.find((lead) => lead.email === email);
}

describe('website forms', () => {
  it('a manager makes a form on the dashboard; its snippet on another site turns submissions into hot leads', async () => {
    // The manager adds the form on the dashboard's Forms page.
    const dashboard = await browser.context.newPage();
    await dashboard.setViewportSize({ width: 1200, height: 1000 });
    await dashboard.goto(`chrome-extension://${browser.extensionId}/dashboard.html`);
    await dashboard.getByRole('link', { name: 'Forms' }).click();
    await dashboard.getByRole('heading', { name: 'Add a form' }).waitFor();
    await dashboard.getByLabel('Form name').fill('Talk to sales');
    await dashboard.getByLabel(/Allowed site origins/).fill(`${siteOrigin}/contact`);
    await dashboard.getByRole('button', { name: 'Add form' }).click();
    // An origin with a path is refused by its field, before anything is sent.
    await expect
      .poll(() => dashboard.getByRole('alert').first().textContent())
      .toContain('an origin such as');
    await dashboard.getByLabel(/Allowed site origins/).fill(siteOrigin);
    await dashboard.getByLabel(/Thank-you page/).fill(`${siteOrigin}/thanks`);
    await dashboard.getByLabel(/Campaign/).fill('website');
    await dashboard.getByRole('button', { name: 'Add form' }).click();
    const item = dashboard.getByTestId('form-item');
    await item.getByText('Talk to sales').waitFor();
    const html = (await item.getByTestId('snippet-html').textContent()) ?? '';
    const script = (await item.getByTestId('snippet-script').textContent()) ?? '';
    expect(html).toContain(`${server.url}/f/frm_`);
    expect(html + script).not.toContain(server.token);
    await screenshot(dashboard, 'forms-dashboard');

    // The plain HTML form, pasted as it is, posts and lands on the thank-you page.
    pages.set('/contact', sitePage('Talk to sales', html));
    const visitor = await browser.context.newPage();
    await visitor.goto(`${siteOrigin}/contact`);
    await visitor.getByLabel('Name').fill('Paula Plain');
    await visitor.getByLabel('E-mail').fill('paula@plainworks.com');
    await visitor.getByLabel('Company').fill('Plainworks');
    await visitor.getByLabel('Message').fill('Please send a quote for 20 seats.');
    await screenshot(visitor, 'forms-site-plain');
    await visitor.getByRole('button', { name: 'Send' }).click();
    await visitor.waitForURL(`${siteOrigin}/thanks`);
    await visitor.getByRole('heading', { name: 'Thanks for getting in touch' }).waitFor();

    // The fetch snippet on a campaign landing page sends JSON (a CORS preflight) with the page's URL.
    pages.set('/launch', sitePage('Our launch offer', html + script));
    await visitor.goto(`${siteOrigin}/launch?utm_source=newsletter&utm_medium=email&utm_campaign=launch`);
    await visitor.getByLabel('Name').fill('Felix Fetch');
    await visitor.getByLabel('E-mail').fill('felix@fetchcorp.io');
    await visitor.getByLabel('Job title').fill('Head of Sales');
    // A person takes a few seconds; the script tells the API when the page showed the form.
    await visitor.waitForTimeout(2500);
    await visitor.getByRole('button', { name: 'Send' }).click();
    await visitor.waitForURL(`${siteOrigin}/thanks`);
    await screenshot(visitor, 'forms-site-thanks');

    const paula = await leadByEmail('paula@plainworks.com');
    expect(paula).toMatchObject({
      fullName: 'Paula Plain',
      company: 'Plainworks',
      source: { channel: 'web', utm: { campaign: 'website' } },
    });
    const felix = await leadByEmail('felix@fetchcorp.io');
    expect(felix).toMatchObject({
      fullName: 'Felix Fetch',
      title: 'Head of Sales',
      source: {
        channel: 'web',
        url: `${siteOrigin}/launch?utm_source=newsletter&utm_medium=email&utm_campaign=launch`,
        utm: { source: 'newsletter', medium: 'email', campaign: 'launch' },
      },
    });
    const touchpoints = await api<{ items: Touchpoint[] }>(
      server,
      'GET',
      `/api/leads/${paula!.id}/touchpoints`,
    );
    expect(touchpoints.body.items.map((touch) => [touch.type, touch.note?.endsWith('20 seats.')])).toEqual([
      ['form_submitted', true],
    ]);

    // Both are in the side panel's Hot leads.
    const panel = new SidePanel(await browser.openSidePanel());
    await panel.showHotLeads();
    await panel.leadList().getByText('Paula Plain').waitFor();
    await panel.leadList().getByText('Felix Fetch').waitFor();
    await screenshot(panel.page, 'forms-panel-hot-leads');

    // The dashboard counts the two submissions.
    await dashboard.reload();
    await expect.poll(() => dashboard.getByTestId('form-stats').textContent()).toContain('2 submissions');
    await screenshot(dashboard, 'forms-dashboard-counted');
    const forms = await api<{ items: Form[] }>(server, 'GET', '/api/forms');
    expect(forms.body.items[0]?.submissionCount).toBe(2);
  }, 120_000);
});
