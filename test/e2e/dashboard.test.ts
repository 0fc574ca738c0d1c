import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrap } from '@leadline/server/bootstrap';
import { openDatabase } from '@leadline/server/db';
import { seedDemo } from '@leadline/server/demo';
import {
  type Attribution,
  CHANNEL_LABELS,
  type Funnel,
  type LeadVelocity,
  type SourceChannel,
  type Sources,
} from '@leadline/shared';
import type { RoutingAnalytics } from '@leadline/shared/routing';
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, api, startApiServer } from '../support/api-server';
import { type ExtensionBrowser, launchExtension, screenshot } from '../support/browser';
import { connect, Dashboard } from '../support/dashboard';
import { ARTIFACTS_DIR } from '../support/paths';
import { SidePanel } from '../support/side-panel';

const HOSTILE = '<img src=x onerror="document.title=\'pwned\'">';

let server: ApiServer;
let empty: ApiServer;
let browser: ExtensionBrowser | undefined;
let rep: { id: string; name: string; token: string };

/** The dashboard's opening range: the last twelve whole months up to today (UTC). */
function defaultRange(today = new Date()) {
  const from = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 11, 1));
  return `from=${from.toISOString().slice(0, 10)}&to=${today.toISOString().slice(0, 10)}`;
}
const count = (value: number) => new Intl.NumberFormat('en-US').format(value);
const shot = (locator: Locator, name: string) =>
  locator.screenshot({ path: join(ARTIFACTS_DIR, `${name}.png`) });
const admin = () => ({ url: server.url, token: server.token });

beforeAll(async () => {
  [server, empty] = await Promise.all([startApiServer(), startApiServer()]);
  // The demo team and a year of history, written straight into the running server's database.
  const handle = await openDatabase(server.databaseUrl);
  await bootstrap(handle.db, server.token);
  await seedDemo(handle.db, { leads: 1500, seed: 11 });
  handle.close();

  // A rep whose name is markup logs a touchpoint: the dashboard must show the name as text.
  const hostile = await api<{ token: string }>(server, 'POST', '/api/tokens', { name: HOSTILE, role: 'rep' });
  expect(hostile.status).toBe(201);
  const asHostile = { url: server.url, token: hostile.body.token };
  const lead = await api<{ id: string }>(asHostile, 'POST', '/api/leads', { fullName: 'Hostile Test Lead' });
  expect(lead.status).toBe(201);
  const touch = await api(asHostile, 'POST', `/api/leads/${lead.body.id}/touchpoints`, {
    type: 'call_attempted',
  });
  expect(touch.status).toBe(201);

  // One of the demo's reps signs in with a token of their own.
  const users = await api<{ items: { id: string; name: string; role: string }[] }>(
    server,
    'GET',
    '/api/users',
  );
  const demoRep = users.body.items.find((user) => user.role === 'rep' && user.name !== HOSTILE)!;
  const token = await api<{ token: string }>(server, 'POST', '/api/tokens', { userId: demoRep.id });
  expect(token.status).toBe(201);
  rep = { ...demoRep, token: token.body.token };
});

afterAll(async () => {
  await browser?.dispose();
  await Promise.all([server?.dispose(), empty?.dispose()]);
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

    const { page } = await Dashboard.open(browser!);
    expect(await page.locator('canvas').count()).toBeGreaterThanOrEqual(6);

    const range = defaultRange();
    const funnel = (await api<Funnel>(server, 'GET', `/api/analytics/funnel?${range}`)).body;
    expect(funnel.steps[0]!.reached).toBeGreaterThan(1000);
    const funnelRows = page.getByTestId('funnel-table').locator('tbody tr');
    expect(await funnelRows.count()).toBe(5);
    for (const [i, step] of funnel.steps.entries()) {
      expect(await funnelRows.nth(i).locator('td').first().textContent()).toBe(count(step.reached));
    }
    // The funnel's won is a cohort's, the cards' won is by close date: each says which it is.
    expect(await funnelRows.last().locator('th').textContent()).toBe('Won (of leads created)');
    await page.getByText('Won in the period', { exact: true }).waitFor();

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

    // Markup in a rep's name is text, never markup; touchpoint types read as words.
    const activity = page.getByTestId('activity-table');
    await expect.poll(() => activity.textContent()).toContain(HOSTILE);
    expect(await activity.locator('img').count()).toBe(0);
    const headers = await activity.locator('thead th').allTextContents();
    expect(headers).toContain('Call attempted');
    expect(headers.join(' ')).not.toMatch(/_|call attempted/);
    expect(await page.title()).toBe('Leadline dashboard');

    await screenshot(page, 'dashboard-light');
    await page.close();
  });

  it('redraws its charts for a switch to dark without loading its figures again', async () => {
    const loads: string[] = [];
    const onRequest = (request: { url(): string }) => {
      if (request.url().includes('/api/analytics/')) loads.push(request.url());
    };
    browser!.context.on('request', onRequest);
    const { page } = await Dashboard.open(browser!);
    expect(loads.length).toBeGreaterThan(6);
    loads.length = 0;
    const charts = page.locator('canvas');
    const drawn = await charts.count();
    await charts.evaluateAll((canvases) => {
      for (const canvas of canvases) canvas.setAttribute('data-drawn', 'light');
    });
    await page.emulateMedia({ colorScheme: 'dark' });
    // Every chart is a new one (its canvas has lost the mark); no section shows its loading state.
    await expect.poll(() => page.locator('canvas[data-drawn]').count()).toBe(0);
    expect(await charts.count()).toBe(drawn);
    expect(await page.locator('.skeleton, [aria-busy="true"]').count()).toBe(0);
    expect(loads).toEqual([]);
    browser!.context.off('request', onRequest);
    await page.close();
  });

  it("shows routing by rep: a team rule's lead on the rep's row, as the API counts it", async () => {
    const team = await api<{ id: string }>(server, 'POST', '/api/teams', {
      name: 'E2E inbound',
      members: [{ userId: rep.id }],
    });
    expect(team.status).toBe(201);
    const routing = await api(server, 'PUT', '/api/routing', {
      accountOwnershipFirst: false,
      rules: [
        {
          id: 'e2e',
          name: 'E2E inbound',
          action: { type: 'team', teamId: team.body.id },
          sla: { minutes: 60, onBreach: 'reassign' },
        },
      ],
    });
    expect(routing.status).toBe(200);
    const lead = await api<{ ownerId: string }>(server, 'POST', '/api/leads', {
      fullName: 'Routed E2E Lead',
    });
    expect(lead.body.ownerId).toBe(rep.id);
    const figures = (await api<RoutingAnalytics>(server, 'GET', `/api/analytics/routing?${defaultRange()}`))
      .body;
    const row = figures.reps.find((r) => r.userId === rep.id)!;
    expect(row).toMatchObject({ assigned: 1, share: 1, overShare: 0 });

    const { page } = await Dashboard.open(browser!);
    const repRow = page.getByTestId('routing-table').locator('tbody tr').filter({ hasText: rep.name });
    const cells = () => repRow.locator('td').allTextContents();
    await expect.poll(async () => (await cells()).slice(0, 2)).toEqual([count(row.assigned), '1']);
    expect((await cells())[3]).toBe(count(row.assignedAny));
    await shot(page.getByTestId('section-routing-results'), 'dashboard-routing');
    await page.close();
  });

  it('switches the attribution model and downloads a table as CSV', async () => {
    const { page } = await Dashboard.open(browser!);
    const range = defaultRange();
    const first = (
      await api<Attribution>(server, 'GET', `/api/analytics/attribution?${range}&model=first_touch`)
    ).body;
    await page.getByLabel('Model').selectOption('first_touch');
    const table = page.getByTestId('attribution-table');
    await expect.poll(() => table.locator('caption').textContent()).toContain('First touch');
    const firstRow = table.locator('tbody tr').first();
    expect(await firstRow.locator('th').textContent()).toBe(
      CHANNEL_LABELS[first.channels[0]!.channel as SourceChannel],
    );

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download Funnel by stage as CSV' }).click();
    const csv = readFileSync((await (await download).path())!, 'utf8');
    expect(csv.replace(/^\ufeff/, '').split('\r\n')[0]).toBe(
      'Stage,Reached,From previous,From new,Median hours in stage',
    );
    await page.close();
  });

  it('marks the current month as partial and gives it no growth rate', async () => {
    const { page } = await Dashboard.open(browser!);
    const thisMonth = new Date().toISOString().slice(0, 7);
    const velocity = (await api<LeadVelocity>(server, 'GET', `/api/analytics/velocity?${defaultRange()}`))
      .body;
    expect(velocity.months.at(-1)).toMatchObject({ month: thisMonth, partial: true, lvr: null });
    expect(velocity.months.filter((month) => month.partial)).toHaveLength(1);

    const last = page.getByTestId('velocity-table').locator('tbody tr').last();
    expect(await last.locator('th').textContent()).toBe(`${thisMonth} (partial)`);
    expect(await last.locator('td').last().textContent()).toBe('–');
    expect(await page.getByTestId('velocity-note').textContent()).toContain(`${thisMonth} is partial`);
    await page.getByText('By creation month').click();
    const cohort = page.getByTestId('cohorts-table').locator('tbody tr').last();
    expect(await cohort.locator('th').textContent()).toBe(`${thisMonth} (partial)`);
    await shot(page.getByTestId('section-velocity'), 'dashboard-velocity-partial-light');
    await page.close();
  });

  it('keeps the first column of a wide table in view when it scrolls sideways', async () => {
    const dashboard = await Dashboard.open(browser!);
    await dashboard.page.setViewportSize({ width: 760, height: 1000 });
    const section = dashboard.section('activity');
    const scroller = section.locator('.table-scroll');
    await scroller.scrollIntoViewIfNeeded();
    const scrolled = await scroller.evaluate((element) => {
      element.scrollLeft = 600;
      return element.scrollLeft;
    });
    expect(scrolled).toBeGreaterThan(100);
    const edge = (await scroller.boundingBox())!.x;
    const firstCell = section.locator('tbody tr').first().locator('th');
    expect(Math.abs((await firstCell.boundingBox())!.x - edge)).toBeLessThan(1);
    const header = section.locator('thead th').first();
    expect(Math.abs((await header.boundingBox())!.x - edge)).toBeLessThan(1);
    // The cell is opaque: the numbers scrolled under it do not show through.
    const background = await firstCell.evaluate((cell) => getComputedStyle(cell).backgroundColor);
    expect(background).not.toBe('rgba(0, 0, 0, 0)');
    await shot(section, 'dashboard-sticky-column-light');
    await dashboard.page.close();
  });

  it('opens the leads behind a funnel bar, as many as the bar shows, and exports them as CSV', async () => {
    const dashboard = await Dashboard.open(browser!);
    const funnel = (await api<Funnel>(server, 'GET', `/api/analytics/funnel?${defaultRange()}`)).body;
    const sql = funnel.steps[2]!;
    expect(sql.stage).toBe('sql');

    const list = await dashboard.clickFunnelBar(2);
    expect(await list.total()).toBe(`${count(sql.reached)} leads`);
    const url = new URL(list.page.url());
    expect(url.pathname).toBe('/leads.html');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      figure: 'funnel',
      stage: 'sql',
      ...Object.fromEntries(new URLSearchParams(defaultRange())),
    });
    expect(await list.title().textContent()).toContain('that reached SQL');
    expect(await list.rows().count()).toBe(Math.min(100, sql.reached));

    const csv = readFileSync(await list.exportCsv(), 'utf8')
      .replace(/^\ufeff/, '')
      .split('\r\n');
    expect(csv[0]).toBe(
      'Lead id,Name,Company,Title,Email,Stage,Owner,Channel,UTM campaign,Deal value,Created',
    );
    expect(csv.filter(Boolean)).toHaveLength(sql.reached + 1);
    expect(
      new Set(
        csv
          .slice(1)
          .filter(Boolean)
          .map((line) => line.split(',')[0]),
      ).size,
    ).toBe(sql.reached);
    await screenshot(list.page, 'leads-funnel-sql-light');
    await list.page.close();

    // A table row opens its leads too: the "LinkedIn" row of the sources table.
    const channel = 'linkedin' satisfies SourceChannel;
    const opened = dashboard.page.context().waitForEvent('page');
    await dashboard.page
      .getByTestId('sources-table')
      .getByRole('link', { name: CHANNEL_LABELS[channel], exact: true })
      .click();
    const sources = (await api<Sources>(server, 'GET', `/api/analytics/sources?${defaultRange()}`)).body;
    const row = sources.channels.find((r) => r.channel === channel)!;
    const page = await opened;
    await page
      .getByTestId('leads-total')
      .filter({ hasText: `${count(row.leads)} leads` })
      .waitFor();
    await page.close();
    await dashboard.page.close();
  });

  it("shows a rep their own figures by default, with the team's one choice away", async () => {
    await connect(browser!, { url: server.url, token: rep.token });
    const dashboard = await Dashboard.open(browser!);
    expect(await dashboard.ownerFilter().inputValue()).toBe(rep.id);
    await dashboard.page.getByTestId('own-figures').waitFor();
    const range = defaultRange();
    const own = (await api<Funnel>(server, 'GET', `/api/analytics/funnel?${range}&owner=${rep.id}`)).body;
    const team = (await api<Funnel>(server, 'GET', `/api/analytics/funnel?${range}`)).body;
    expect(own.steps[0]!.reached).toBeLessThan(team.steps[0]!.reached);
    const firstCell = () =>
      dashboard.page.getByTestId('funnel-table').locator('tbody tr td').first().textContent();
    await expect.poll(firstCell).toBe(count(own.steps[0]!.reached));
    await screenshot(dashboard.page, 'dashboard-rep-own-light');

    await dashboard.ownerFilter().selectOption('');
    await expect.poll(firstCell).toBe(count(team.steps[0]!.reached));
    await dashboard.page.close();
    await connect(browser!, admin());
  });

  it('shows an empty workspace a clear empty state with the demo hint, not empty charts', async () => {
    await connect(browser!, { url: empty.url, token: empty.token });
    const { page } = await Dashboard.open(browser!, { empty: true });
    const text = await page.getByTestId('dashboard-empty').textContent();
    expect(text).toContain('No leads yet');
    expect(text).toContain('pnpm demo');
    expect(await page.locator('canvas').count()).toBe(0);
    await screenshot(page, 'dashboard-empty-light');
    await page.close();
    await connect(browser!, admin());
  });

  it('follows a dark system theme, in every new state', async () => {
    const userDataDir = browser!.userDataDir;
    await browser!.close();
    browser = await launchExtension({ userDataDir, colorScheme: 'dark' });
    const dashboard = await Dashboard.open(browser);
    const background = await dashboard.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(16, 19, 23)');
    await screenshot(dashboard.page, 'dashboard-dark');
    await shot(dashboard.section('velocity'), 'dashboard-velocity-partial-dark');

    await dashboard.page.setViewportSize({ width: 760, height: 1000 });
    const scroller = dashboard.section('activity').locator('.table-scroll');
    await scroller.scrollIntoViewIfNeeded();
    await scroller.evaluate((element) => {
      element.scrollLeft = 600;
    });
    const cell = dashboard.section('activity').locator('tbody th').first();
    expect(await cell.evaluate((th) => getComputedStyle(th).backgroundColor)).toBe('rgb(24, 28, 34)');
    await shot(dashboard.section('activity'), 'dashboard-sticky-column-dark');
    await dashboard.page.setViewportSize({ width: 1360, height: 1000 });

    const list = await dashboard.clickFunnelBar(2);
    await list.total();
    await screenshot(list.page, 'leads-funnel-sql-dark');
    await list.page.close();
    await dashboard.page.close();

    await connect(browser, { url: server.url, token: rep.token });
    const repView = await Dashboard.open(browser);
    await repView.page.getByTestId('own-figures').waitFor();
    await screenshot(repView.page, 'dashboard-rep-own-dark');
    await repView.page.close();

    await connect(browser, { url: empty.url, token: empty.token });
    const emptyView = await Dashboard.open(browser, { empty: true });
    await screenshot(emptyView.page, 'dashboard-empty-dark');
    await emptyView.page.close();
    await connect(browser, admin());
  });
});
