import type { Lead, Touchpoint } from '@leadline/shared';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, api, startApiServer } from '../support/api-server';
import { type ExtensionBrowser, launchExtension, screenshot } from '../support/browser';
import { SidePanel } from '../support/side-panel';

let server: ApiServer;
let browser: ExtensionBrowser;
/** Every browser started here, so `afterAll` closes them whatever failed. */
const browsers: ExtensionBrowser[] = [];

async function launch(options: Parameters<typeof launchExtension>[0] = {}) {
  const launched = await launchExtension(options);
  browsers.push(launched);
  return launched;
}

/** A panel opened fresh on the browser, already configured by `beforeAll`. */
async function openPanel(on: ExtensionBrowser = browser) {
  const panel = new SidePanel(await on.openSidePanel());
  await panel.page.getByRole('tab', { name: 'Hot leads' }).waitFor();
  return panel;
}

/** A fit lead: a senior title, a business e-mail and a mid-market company (fit 65, score 33). */
async function createLead(fullName: string, email: string) {
  const created = await api<Lead>(server, 'POST', '/api/leads', {
    fullName,
    email,
    title: 'VP Sales',
    company: 'Northwind Logistics',
    companySize: 120,
  });
  expect(created.status).toBe(201);
  return created.body;
}

async function apiScore(id: string) {
  const lead = await api<Lead>(server, 'GET', `/api/leads/${id}`);
  expect(lead.status).toBe(200);
  return lead.body.score;
}

async function touchpointsOf(id: string) {
  const list = await api<{ items: Touchpoint[] }>(server, 'GET', `/api/leads/${id}/touchpoints`);
  expect(list.status).toBe(200);
  return list.body.items;
}

/** The panel's score equals the API's (both read live: the panel ticks decay between reads). */
async function expectScoreLikeApi(panel: SidePanel, id: string, timeout = 10_000) {
  await expect.poll(async () => (await panel.scoreValue()) - (await apiScore(id)), { timeout }).toBe(0);
}

/**
 * What sticks out sideways from the element (content wider than its box, cut off or scrolling),
 * or null when nothing does.
 */
function overflowX(page: Page, selector: string) {
  return page.evaluate((css) => {
    const element = document.querySelector(css);
    if (!element) throw new Error(`Nothing matches ${css}`);
    if (element.scrollWidth <= element.clientWidth) return null;
    const right = element.getBoundingClientRect().right;
    const culprits = Array.from(element.querySelectorAll('*'))
      .filter((child) => child.getBoundingClientRect().right > right + 0.5)
      .map((child) => `<${child.tagName.toLowerCase()} class="${child.className}">`);
    return `${css}: ${element.scrollWidth} > ${element.clientWidth} px (${culprits.join(', ')})`;
  }, selector);
}

beforeAll(async () => {
  server = await startApiServer();
  browser = await launch();
  const panel = new SidePanel(await browser.openSidePanel());
  await panel.configure(server.url, server.token);
  await panel.page.close();
});

afterAll(async () => {
  for (const launched of browsers) await launched.dispose();
  await server?.dispose();
});

describe('the side panel on a lead, against the real API', () => {
  it('says so when there are no leads yet', async () => {
    const panel = await openPanel();
    await panel.showHotLeads();
    await panel.page.getByText('No leads yet').waitFor();
    expect(await panel.page.getByTestId('lead-list').count()).toBe(0);
    await panel.page.close();
  });

  let priya: Lead;

  it('shows the API score, logs touchpoints by click and by key, and takes one back with Undo', async () => {
    priya = await createLead('Priya Raman', 'priya.raman@northwind-logistics.com');
    await createLead('Tomás Ortega', 'tomas.ortega@harbourfreight.example');
    const panel = await openPanel();
    await panel.openHotLead('Priya Raman');
    expect(await panel.scoreValue()).toBe(await apiScore(priya.id));
    expect(await panel.scoreValue()).toBe(33);

    await panel.touchpoint('Meeting booked').click();
    await panel.timeline().getByText('Meeting booked').waitFor();
    await panel.blur();
    await panel.page.keyboard.press('1');
    await panel.timeline().getByText('Call connected', { exact: true }).waitFor();
    await expect
      .poll(async () => (await touchpointsOf(priya.id)).map((t) => t.type).sort())
      .toEqual(['call_connected', 'meeting_booked']);
    await expectScoreLikeApi(panel, priya.id);
    expect(await panel.scoreValue()).toBe(52); // 32.5 + 0.5 * 100 * (1 - 2^(-35 / 50))

    // "Email sent", then Undo in the toast: the API forgets it again.
    await panel.touchpoint('Email sent').click();
    await expect.poll(async () => (await touchpointsOf(priya.id)).length).toBe(3);
    await panel.undo();
    await expect
      .poll(async () => (await touchpointsOf(priya.id)).map((t) => t.type).sort())
      .toEqual(['call_connected', 'meeting_booked']);
    await expect.poll(() => panel.timeline().getByText('Email sent').count()).toBe(0);
    await expectScoreLikeApi(panel, priya.id);

    await screenshot(panel.page, 'panel-lead-light');
    await panel.page.getByRole('button', { name: 'Why this score' }).click();
    const why = panel.page.getByTestId('why');
    await why.waitFor();
    expect(await why.textContent()).toContain('Senior title');
    expect(await why.textContent()).toContain('Meeting booked');
    await screenshot(panel.page, 'panel-why-light');

    await panel.page.getByRole('button', { name: '← Back' }).click();
    await expect
      .poll(async () =>
        // Each row starts with its score column, then the name.
        (await panel.leadList().getByRole('listitem').allTextContents()).map((t) =>
          t.replace(/^\d+/, '').slice(0, 11),
        ),
      )
      .toEqual(['Priya Raman', 'Tomás Orteg']);
    await screenshot(panel.page, 'panel-hot-leads-light');
    await panel.page.close();
  });

  it('counts a double click as one touchpoint, and two clicks a second apart as two', async () => {
    const lead = await createLead('Dana Whitfield', 'dana.whitfield@quayside-analytics.example');
    const panel = await openPanel();
    await panel.openHotLead('Dana Whitfield');
    await panel.touchpoint('Email replied').dblclick();
    await panel.timeline().getByText('Email replied').waitFor();
    // Anything a second click would have sent has gone out by now.
    await panel.page.waitForTimeout(1500);
    expect((await touchpointsOf(lead.id)).map((t) => t.type)).toEqual(['email_replied']);
    expect(await panel.timeline().getByText('Email replied').count()).toBe(1);

    await panel.touchpoint('LinkedIn reply').click();
    await panel.page.waitForTimeout(1100);
    await panel.touchpoint('LinkedIn reply').click();
    await expect
      .poll(
        async () =>
          (await touchpointsOf(lead.id)).filter((t) => t.type === 'linkedin_message_replied').length,
      )
      .toBe(2);
    await expect.poll(() => panel.timeline().getByText('LinkedIn reply').count()).toBe(2);
    await panel.page.close();
  });

  it("shows another rep's touchpoint on the open lead within seconds, without a reload", async () => {
    const rep = await api<{ token: string }>(server, 'POST', '/api/tokens', {
      name: 'Sam Rep',
      email: 'sam.rep@leadline.example',
      role: 'rep',
    });
    expect(rep.status).toBe(201);
    const panel = await openPanel();
    await panel.openHotLead('Priya Raman');
    const before = await panel.scoreValue();
    expect(before).toBe(52);
    await panel.page.evaluate(() => {
      (window as unknown as { notReloaded: boolean }).notReloaded = true;
    });

    // The other rep prefers the dark theme: the dark screenshot comes from their panel.
    const other = await launch({ colorScheme: 'dark' });
    const theirs = new SidePanel(await other.openSidePanel());
    await theirs.configure(server.url, rep.body.token);
    await theirs.openHotLead('Priya Raman');
    const started = Date.now();
    await theirs.touchpoint('Meeting held').click();
    await expect.poll(async () => (await touchpointsOf(priya.id)).length).toBe(3);

    await expect.poll(() => panel.scoreValue(), { timeout: 5000 }).toBe(62); // 65 points: 32.5 + 29.7
    const seenAfterMs = Date.now() - started;
    expect(seenAfterMs).toBeLessThan(5000);
    await expectScoreLikeApi(panel, priya.id);
    await panel.timeline().getByText('Meeting held').waitFor();
    expect(
      await panel.page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded),
    ).toBe(true);

    await theirs.timeline().getByText('Meeting held').waitFor();
    await expectScoreLikeApi(theirs, priya.id);
    await screenshot(theirs.page, 'panel-lead-dark');
    await other.dispose();
    await panel.page.close();
  });

  it('shows in the timeline who changed a field, from what to what', async () => {
    const panel = await openPanel();
    await panel.openHotLead('Priya Raman');
    const changed = await api<Lead>(server, 'PATCH', `/api/leads/${priya.id}`, {
      title: 'Chief Revenue Officer',
    });
    expect(changed.status).toBe(200);
    // The panel reads the lead again on the lead.updated event: no reload.
    await panel
      .timeline()
      .getByText(/^Title: VP Sales → Chief Revenue Officer, by \S/)
      .waitFor({ timeout: 5000 });
    await screenshot(panel.page, 'panel-lead-audit');
    await panel.page.close();
  });

  it('keeps touchpoints clicked offline across a browser restart and sends them once, in order', async () => {
    const lead = await createLead('Oskar Lindqvist', 'oskar.lindqvist@fjordline-shipping.example');
    let panel = await openPanel();
    await panel.openHotLead('Oskar Lindqvist');

    await server.stop();
    await panel.page.getByText('The Leadline API is unreachable').waitFor({ timeout: 15_000 });
    const clicked = [
      ['Email sent', 'email_sent'],
      ['Call connected', 'call_connected'],
      ['Meeting booked', 'meeting_booked'],
    ] as const;
    for (const [label] of clicked) {
      await panel.touchpoint(label).click();
      await panel.page.waitForTimeout(50);
    }
    await expect.poll(() => panel.pendingCount().textContent()).toMatch(/^3 touchpoints waiting/);
    await expect.poll(() => panel.outboxWaiting().textContent()).toMatch(/^3 changes waiting/);
    // Shown as if sent: fit 65 and engagement 35 make 52 (32.5 + 0.5 * 38.4).
    expect(await panel.scoreValue()).toBe(52);
    await screenshot(panel.page, 'panel-offline-light');

    // The browser closes with the API still down; the outbox lives in chrome.storage.local.
    await browser.close();
    browser = await launch({ userDataDir: browser.userDataDir });
    panel = await openPanel();
    await expect.poll(() => panel.outboxWaiting().textContent()).toMatch(/^3 changes waiting/);

    await server.start();
    await expect.poll(async () => (await touchpointsOf(lead.id)).length, { timeout: 60_000 }).toBe(3);
    await panel.outboxWaiting().waitFor({ state: 'detached', timeout: 15_000 });
    const stored = (await touchpointsOf(lead.id)).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    expect(stored.map((t) => t.type)).toEqual(clicked.map(([, type]) => type));
    // Nothing goes twice, even after more drains.
    await panel.page.waitForTimeout(1500);
    expect(await touchpointsOf(lead.id)).toHaveLength(3);
    await panel.openHotLead('Oskar Lindqvist');
    await expectScoreLikeApi(panel, lead.id);
    await panel.page.close();
  });

  it('says the token was rejected, in settings and when a saved token stops working', async () => {
    const panel = await openPanel();
    await panel.page.getByRole('button', { name: 'Settings', exact: true }).click();
    await panel.page.getByLabel('API token').fill('not-a-token');
    await panel.page.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => panel.status().textContent()).toContain('rejected');

    const temporary = await api<{ id: string; token: string }>(server, 'POST', '/api/tokens', {
      name: 'Temp Rep',
      role: 'rep',
    });
    await panel.configure(server.url, temporary.body.token);
    expect((await api(server, 'DELETE', `/api/tokens/${temporary.body.id}`)).status).toBe(204);
    await panel.showHotLeads();
    await panel.page.getByRole('alert').getByText('Your token was rejected').waitFor();
    // Opened again with the dead token: rejected, which is not the same as unreachable.
    await panel.page.reload();
    await panel.showHotLeads();
    await panel.page.getByRole('alert').getByText('Your token was rejected').waitFor();
    await panel.page.waitForTimeout(1500);
    expect(await panel.page.getByText('The Leadline API is unreachable').count()).toBe(0);
    await screenshot(panel.page, 'panel-token-rejected-light');

    await panel.page.getByRole('button', { name: 'Settings', exact: true }).click();
    await panel.configure(server.url, server.token);
    await panel.showHotLeads();
    await panel.leadList().waitFor();
    await panel.page.close();
  });

  it('says the API is unreachable while it is down', async () => {
    const panel = await openPanel();
    await panel.showHotLeads();
    await panel.leadList().waitFor();
    await server.stop();
    try {
      await panel.page.getByText('The Leadline API is unreachable').first().waitFor({ timeout: 15_000 });
      await panel.page.getByRole('tab', { name: 'Add' }).click();
      await panel.showHotLeads();
      await panel.page.getByRole('alert').getByText('The Leadline API is unreachable').waitFor();
    } finally {
      await server.start();
    }
    await panel.page.getByRole('alert').getByRole('button', { name: 'Try again' }).click();
    await panel.leadList().waitFor();
    await expect
      .poll(() => panel.page.getByText('The Leadline API is unreachable').count(), { timeout: 15_000 })
      .toBe(0);
    await panel.page.close();
  });

  it('reaches the touchpoint buttons with Tab, and they log with Enter', async () => {
    const panel = await openPanel();
    await panel.openHotLead('Tomás Ortega');
    const lead = (await api<{ items: Lead[] }>(server, 'GET', '/api/leads?q=ortega')).body.items[0]!;
    await panel.blur();
    let reached: string | null = null;
    for (let presses = 0; presses < 40 && !reached; presses++) {
      await panel.page.keyboard.press('Tab');
      reached = await panel.page.evaluate(
        () => document.activeElement?.getAttribute('aria-keyshortcuts') ?? null,
      );
    }
    expect(reached).toBe('1');
    expect(await panel.page.evaluate(() => document.activeElement?.textContent)).toContain('Call');
    await panel.page.keyboard.press('Enter');
    await expect
      .poll(async () => (await touchpointsOf(lead.id)).map((t) => t.type))
      .toEqual(['call_connected']);
    await panel.page.close();
  });

  it('keeps the score card readable at 200% zoom', async () => {
    const panel = await openPanel();
    await panel.openHotLead('Priya Raman');
    // 200% zoom of a 420 px panel leaves 210 CSS pixels.
    await panel.page.setViewportSize({ width: 210, height: 900 });
    const card = 'header:has([data-testid="lead-score"])';
    expect(await overflowX(panel.page, card)).toBeNull();
    expect(await overflowX(panel.page, 'html')).toBeNull();
    expect(await panel.score().isVisible()).toBe(true);
    const box = await panel.score().boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 210).toBe(true);
    await screenshot(panel.page, 'panel-zoom-light');

    // The same with CSS zoom on the body at the panel's usual width.
    await panel.page.setViewportSize({ width: 420, height: 900 });
    await panel.page.evaluate(() => {
      document.body.style.setProperty('zoom', '2');
    });
    expect(await overflowX(panel.page, card)).toBeNull();
    await panel.page.close();
  });
});
