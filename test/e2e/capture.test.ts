import { readFileSync } from 'node:fs';
import type { Lead } from '@leadline/shared';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath, fixtures } from '../fixtures/index';
import { type ApiServer, api, startApiServer } from '../support/api-server';
import { type ExtensionBrowser, launchExtension, screenshot, screenshotBoth } from '../support/browser';
import { SidePanel } from '../support/side-panel';

/** A fixture page with the URL it pretends to live at. */
function fixturePage(file: string) {
  const fixture = fixtures.find((f) => f.file === file);
  if (!fixture) throw new Error(`No fixture ${file} in test/fixtures/index.ts`);
  return { url: fixture.url, html: readFileSync(fixturePath(file), 'utf8') };
}

const LINKEDIN = fixturePage('linkedin/profile-2024.html');
const GMAIL = fixturePage('mail/gmail-thread-quoted.html');
const JONAS_LINKEDIN = fixturePage('linkedin/profile-public-en.html');
const JONAS_GMAIL = fixturePage('mail/gmail-thread-intro.html');
const TEAM = {
  ...fixturePage('web/team-jsonld.html'),
  url: 'https://www.northwind-analytics.com/about/team?utm_source=newsletter&utm_medium=email&utm_campaign=spring-webinar',
};
const HOSTILE = fixturePage('hostile/script-names.html');
const NOBODY = {
  url: 'https://www.harbour-bakery.example/menu',
  html: '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Menu · Harbour Bakery</title></head><body><main><h1>Our menu</h1><ul><li>Sourdough loaf</li><li>Cinnamon bun</li><li>Flat white</li></ul><p>Open daily from 7 am.</p></main></body></html>',
};

let server: ApiServer;
let browser: ExtensionBrowser;

beforeAll(async () => {
  server = await startApiServer();
  browser = await launchExtension();
  // Nothing leaves the machine: pages are answered from fixtures, everything else on the web fails.
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

/**
 * Opens a page at its real address in a new tab, the tab the rep is on. The page is served for
 * its path and below (Gmail threads differ only after `#`, so the newest route answers).
 */
async function visit(target: { url: string; html: string }): Promise<Page> {
  await browser.servePage(target.url.replace(/[?#].*$/, '**'), target.html);
  const page = await browser.context.newPage();
  await page.goto(target.url);
  return page;
}

/** Waits until the background holds a capture of `url` (content scripts report ~600 ms after load). */
async function capturedAt(url: string) {
  await expect
    .poll(async () => Object.values(await browser.captures()).some((c) => c.result.source.url === url), {
      timeout: 15_000,
    })
    .toBe(true);
}

/** The side panel beside the page: the page stays the active tab, whose capture the panel shows. */
async function openPanel() {
  const panel = new SidePanel(await browser.openSidePanel({ beside: true }));
  await panel.page.getByRole('heading', { name: 'This page', exact: true }).waitFor();
  return panel;
}

async function leadsNamed(q: string) {
  const found = await api<{ items: Lead[] }>(server, 'GET', `/api/leads?q=${encodeURIComponent(q)}`);
  expect(found.status).toBe(200);
  return found.body.items;
}

describe('capture from the page the rep is on', () => {
  it('LinkedIn profile: prefilled from the current position, saved with its source, then known', async () => {
    const page = await visit(LINKEDIN);
    await capturedAt(LINKEDIN.url);
    const panel = await openPanel();
    await expect.poll(() => panel.field('Full name').inputValue()).toBe('Anna-Lena Müller');
    expect(await panel.field('Title').inputValue()).toBe('Head of Growth');
    expect(await panel.field('Company').inputValue()).toBe('Acme GmbH');
    expect(await panel.field('LinkedIn URL').inputValue()).toBe(
      'https://www.linkedin.com/in/anna-lena-mueller',
    );
    expect(await panel.field('E-mail').inputValue()).toBe('');
    await screenshot(panel.page, 'capture-linkedin-light');

    // The score before Save, under the workspace's model, follows the fields as the rep edits them.
    const preview = panel.page.getByTestId('preview-score');
    await preview.waitFor();
    const asCaptured = Number(await preview.textContent());
    await panel.field('Phone').fill('+49 30 1234567');
    await expect.poll(async () => Number(await preview.textContent())).toBeGreaterThan(asCaptured);
    await panel.page
      .getByRole('region', { name: 'Score if saved' })
      .getByRole('button', { name: 'Why' })
      .click();
    expect(await panel.page.getByTestId('why-sum').textContent()).toMatch(
      /^0\.5 × fit \d+ \+ 0\.5 × engagement 0 \(0 points\) = \d+$/,
    );
    expect(await panel.page.getByTestId('why').textContent()).toContain('Has phone (Phone): +5');
    await screenshotBoth(panel.page, 'capture-preview-score');
    const previewed = Number(await preview.textContent());

    await panel.saveLead();
    await panel.knownLead().getByText('Saved.').waitFor();
    const [lead, ...others] = await leadsNamed('Anna-Lena');
    expect(others).toEqual([]);
    expect(lead?.score).toBe(previewed);
    expect(lead).toMatchObject({
      fullName: 'Anna-Lena Müller',
      title: 'Head of Growth',
      company: 'Acme GmbH',
      linkedinUrl: 'https://www.linkedin.com/in/anna-lena-mueller',
      source: { channel: 'linkedin', url: LINKEDIN.url },
    });
    await panel.page.close();

    // Back on the profile another day: the panel knows her.
    await page.bringToFront();
    const before = await browser.captures();
    await page.reload();
    await expect
      .poll(async () =>
        Object.values(await browser.captures()).some(
          (c) =>
            c.result.source.url === LINKEDIN.url &&
            !Object.values(before).some((b) => b.capturedAt === c.capturedAt),
        ),
      )
      .toBe(true);
    const again = await openPanel();
    await again.knownLead().getByText('Already saved').waitFor();
    expect(await again.knownLead().getByRole('heading').textContent()).toBe('Anna-Lena Müller');
    expect(await again.page.getByRole('button', { name: 'Save lead' }).count()).toBe(0);
    // A certain match (same LinkedIn URL): the known lead at once, no question, no Save form.
    expect(await again.page.getByRole('group', { name: 'Possible match' }).count()).toBe(0);
    await screenshotBoth(again.page, 'capture-known');
    await again.page.close();
    await page.close();
  });

  it('Gmail thread: the external sender is prefilled, never the signed-in rep, and saved as e-mail', async () => {
    const page = await visit(GMAIL);
    await capturedAt(GMAIL.url);
    const panel = await openPanel();
    // Anna Müller at Acme looks like Anna-Lena Müller at Acme (saved above): only a fuzzy match, so
    // the panel asks, and the Save form comes once the rep says it is someone else.
    const question = panel.page.getByRole('group', { name: 'Possible match' });
    await question.getByRole('button', { name: 'No, a different person' }).click();
    await expect.poll(() => panel.field('E-mail').inputValue()).toBe('anna.mueller@acme.de');
    expect(await panel.field('Full name').inputValue()).toBe('Anna Müller');
    expect(await panel.field('Title').inputValue()).toBe('Head of Growth');
    expect(await panel.field('Company').inputValue()).toBe('Acme GmbH');
    expect(await panel.candidates().count()).toBe(0);
    expect(await panel.page.getByText('max.rep@ourco.com').count()).toBe(0);

    await panel.saveLead();
    await panel.knownLead().getByText('Saved.').waitFor();
    const found = await api<{ items: Lead[] }>(server, 'GET', '/api/leads?q=anna.mueller%40acme.de');
    expect(found.body.items).toHaveLength(1);
    expect(found.body.items[0]).toMatchObject({
      fullName: 'Anna Müller',
      email: 'anna.mueller@acme.de',
      phone: '+493012345678',
      companyDomain: 'acme.de',
      source: { channel: 'email', url: GMAIL.url },
    });
    expect(await leadsNamed('max.rep')).toEqual([]);
    await panel.page.close();
    await page.close();
  });

  it('the same person from LinkedIn, then from an e-mail, ends as one lead with both', async () => {
    const profile = await visit(JONAS_LINKEDIN);
    await capturedAt(JONAS_LINKEDIN.url);
    const first = await openPanel();
    await expect.poll(() => first.field('Full name').inputValue()).toBe('Jonas Okafor');
    await first.saveLead();
    await first.knownLead().getByText('Saved.').waitFor();
    await first.page.close();
    await profile.close();

    const mail = await visit(JONAS_GMAIL);
    await capturedAt(JONAS_GMAIL.url);
    const panel = await openPanel();
    const question = panel.page.getByRole('group', { name: 'Possible match' });
    await question.waitFor();
    expect(await question.textContent()).toContain(
      'Is this Jonas Okafor at Brightwave Labs, already a lead?',
    );
    // A fuzzy match asks first: no Save form until the rep says it is a different person.
    expect(await panel.page.getByRole('button', { name: 'Save lead' }).count()).toBe(0);
    await screenshotBoth(panel.page, 'capture-same-person');
    await question.getByRole('button', { name: 'Yes, same person' }).click();

    await panel.knownLead().getByText('Already saved').waitFor();
    // E-mail and phone are new; the newer title would overwrite one, so it is offered unticked.
    await panel.page.getByRole('button', { name: 'Update from this page (3)' }).click();
    const update = panel.page.getByRole('group', { name: 'Update from this page' });
    expect(await update.getByRole('checkbox', { name: /E-mail/ }).isChecked()).toBe(true);
    expect(await update.getByRole('checkbox', { name: /Phone/ }).isChecked()).toBe(true);
    expect(await update.getByRole('checkbox', { name: /Title/ }).isChecked()).toBe(false);
    await update.getByRole('button', { name: 'Apply 2 changes' }).click();
    await update.waitFor({ state: 'detached' });

    const jonas = await leadsNamed('Okafor');
    expect(jonas).toHaveLength(1);
    expect(jonas[0]).toMatchObject({
      fullName: 'Jonas Okafor',
      linkedinUrl: 'https://www.linkedin.com/in/jonas-okafor-3b7c1d',
      email: 'jonas.okafor@brightwave.io',
      phone: '+442079460418',
      title: 'Head of Revenue Operations',
      companyDomain: 'brightwave.io',
      source: { channel: 'linkedin' },
    });
    await panel.page.close();
    await mail.close();
  });

  it('an ordinary page, read through the toolbar button: several people, the second one saved with UTM tags', async () => {
    const page = await visit(TEAM);
    const waiting = await openPanel();
    await waiting.page.getByText('Nothing captured yet').waitFor();
    await waiting.page.close();

    await browser.triggerAction(page);
    await capturedAt(TEAM.url);
    const panel = await openPanel();
    await expect
      .poll(() => panel.candidates().allTextContents())
      .toEqual(['Northwind Analytics Inc.', 'Dana Whitfield', "Marcus O'Neil", 'Aiko Tanaka', 'Sam Rivera']);
    await panel.candidates().nth(1).click();
    expect(await panel.candidates().nth(1).getByRole('radio').isChecked()).toBe(true);
    await expect.poll(() => panel.field('Full name').inputValue()).toBe('Dana Whitfield');
    expect(await panel.field('Title').inputValue()).toBe('Chief Executive Officer');
    await panel.saveLead();
    await panel.knownLead().getByText('Saved.').waitFor();

    const [dana, ...others] = await leadsNamed('Whitfield');
    expect(others).toEqual([]);
    expect(dana).toMatchObject({
      fullName: 'Dana Whitfield',
      email: 'dana@northwind-analytics.com',
      source: {
        channel: 'web',
        url: TEAM.url,
        utm: { source: 'newsletter', medium: 'email', campaign: 'spring-webinar' },
      },
    });
    await panel.page.close();
    await page.close();
  });

  it('"Capture this page" on an ordinary page needs the toolbar click first, then reads it again', async () => {
    const page = await visit(NOBODY);
    const panel = await openPanel();
    await panel.page.getByRole('button', { name: 'Capture this page' }).click();
    await expect
      .poll(() => panel.page.getByRole('alert').textContent())
      .toContain('click the Leadline button in the toolbar');
    const alert = await panel.page.getByRole('alert').textContent();
    expect(alert).toContain('Alt+Shift+L');
    expect(alert).not.toMatch(/Cannot access|manifest|permission to access/i);
    await screenshotBoth(panel.page, 'capture-no-access');

    await browser.triggerAction(page);
    await panel.nobodyFound().waitFor();
    await panel.page.getByRole('button', { name: 'Read again' }).click();
    await panel.nobodyFound().waitFor();
    expect(await panel.page.getByRole('alert').count()).toBe(0);
    await panel.page.close();
    await page.close();
  });

  it('a hostile page: names arrive cleaned, markup in a capture shows as text, and nothing runs', async () => {
    const page = await visit(HOSTILE);
    await browser.triggerAction(page);
    await capturedAt(HOSTILE.url);
    const panel = await openPanel();
    const dialogs: string[] = [];
    panel.page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const requests: string[] = [];
    panel.page.on('request', (request) => requests.push(request.url()));

    await expect.poll(() => panel.candidates().count()).toBeGreaterThan(3);
    await expect.poll(() => panel.field('Full name').inputValue()).toBe('Eve Mallory');
    expect(await panel.field('Title').inputValue()).toBe('Head of Security');
    expect(await panel.field('Company').inputValue()).toBe('Contoso Security & Co');
    for (const chip of await panel.candidates().allTextContents()) expect(chip).not.toMatch(/[<>]/);
    await panel.candidates().filter({ hasText: 'Trent Walker' }).click();
    await expect.poll(() => panel.field('Full name').inputValue()).toBe('Trent Walker');

    // The extractor strips markup; should any slip through, the panel must still show it as text.
    const [stored] = Object.values(await browser.captures()).filter(
      (c) => c.result.source.url === HOSTILE.url,
    );
    if (!stored) throw new Error('no capture of the hostile page');
    const hostileName = `<img src=x onerror="document.title='pwned'">Eve<script>window.pwned=1</script>`;
    const [first, ...rest] = stored.result.leads;
    if (!first) throw new Error('no lead on the hostile page');
    await browser.putCapture({
      ...stored,
      capturedAt: Date.now(),
      result: {
        ...stored.result,
        leads: [{ ...first, fullName: hostileName, title: '<b onmouseover=alert(1)>Boss</b>' }, ...rest],
      },
    });
    await expect.poll(() => panel.field('Full name').inputValue()).toBe(hostileName);
    expect(await panel.field('Title').inputValue()).toBe('<b onmouseover=alert(1)>Boss</b>');
    expect(await panel.candidates().first().textContent()).toBe(hostileName);

    expect(await panel.page.title()).toBe('Leadline');
    expect(await panel.page.locator('img, svg[onload], script:not([src])').count()).toBe(0);
    expect(await panel.page.evaluate(() => Object.keys(window).filter((k) => /pwn|evil/i.test(k)))).toEqual(
      [],
    );
    expect(dialogs).toEqual([]);
    expect(requests.filter((url) => url.includes('evil.example'))).toEqual([]);
    await panel.page.close();
    await page.close();
  });

  it('a page with nobody on it says so', async () => {
    const page = await visit(NOBODY);
    await browser.triggerAction(page);
    await capturedAt(NOBODY.url);
    const panel = await openPanel();
    await panel.nobodyFound().waitFor();
    expect(await panel.nobodyFound().textContent()).toContain('Nobody found on this page');
    expect(await panel.page.getByRole('button', { name: 'Save lead' }).count()).toBe(0);
    await panel.page.close();
    await page.close();
  });
});

describe('capture in the dark theme', () => {
  let dark: ExtensionBrowser;

  afterAll(async () => {
    await dark?.dispose();
  });

  it('shows the people of a page and the preview legibly in dark mode', async () => {
    dark = await launchExtension({ colorScheme: 'dark' });
    await dark.context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) =>
      route.abort('internetdisconnected'),
    );
    await dark.servePage(TEAM.url.replace(/\?.*$/, '**'), TEAM.html);
    const setup = new SidePanel(await dark.openSidePanel());
    await setup.configure(server.url, server.token);
    await setup.page.close();

    const page = await dark.context.newPage();
    await page.goto(TEAM.url);
    await dark.triggerAction(page);
    await expect
      .poll(async () => Object.values(await dark.captures()).length, { timeout: 15_000 })
      .toBeGreaterThan(0);
    const panel = new SidePanel(await dark.openSidePanel({ beside: true }));
    await expect.poll(() => panel.candidates().count()).toBe(5);
    await expect.poll(() => panel.field('Company').inputValue()).toBe('Northwind Analytics Inc.');
    expect(await panel.page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(true);
    await screenshot(panel.page, 'capture-dark');
  });
});
