import type { Lead, LeadDetail, Task, TaskList, Touchpoint } from '@leadline/shared';
import { createClient } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, api, startApiServer } from '../support/api-server';
import { type ExtensionBrowser, launchExtension, screenshotBoth } from '../support/browser';
import { Dashboard } from '../support/dashboard';
import { SidePanel } from '../support/side-panel';

let server: ApiServer;
let browser: ExtensionBrowser;
let lead: Lead;
let cadenceId: string;

/** Every hour of every day: a step's delay is exactly its days, whatever day the test runs. */
const ALWAYS = JSON.stringify(
  Object.fromEntries(
    ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [{ start: '00:00', end: '24:00' }]]),
  ),
);

async function sql(statement: string, args: (string | number)[] = []) {
  // Another client of the API's own database file, as an admin's script would be.
  const client = createClient({ url: server.databaseUrl });
  try {
    return await client.execute({ sql: statement, args });
  } finally {
    client.close();
  }
}

async function openPanel() {
  const panel = new SidePanel(await browser.openSidePanel());
  await panel.page.getByRole('tab', { name: 'Hot leads' }).waitFor();
  return panel;
}

beforeAll(async () => {
  // The engine looks for due steps every 300 ms here (30 s by default).
  server = await startApiServer({ env: { CADENCE_INTERVAL_MS: '300' } });
  await sql('update users set working_hours = ?', [ALWAYS]);
  const cadence = await api<{ id: string }>(server, 'POST', '/api/cadences', {
    name: 'Outbound A',
    steps: [
      { type: 'call', delayDays: 1, note: 'Intro call: ask about their Q3 plans' },
      { type: 'email', delayDays: 2, note: 'Send the case study' },
    ],
  });
  expect(cadence.status).toBe(201);
  cadenceId = cadence.body.id;
  const created = await api<Lead>(server, 'POST', '/api/leads', {
    fullName: 'Lena Lindqvist',
    email: 'lena@northwind.example',
    title: 'VP Sales',
    company: 'Northwind Logistics',
    companySize: 120,
  });
  expect(created.status).toBe(201);
  lead = created.body;
  browser = await launchExtension();
  const panel = new SidePanel(await browser.openSidePanel());
  await panel.configure(server.url, server.token);
  await panel.page.close();
});

afterAll(async () => {
  await browser?.dispose();
  await server?.dispose();
});

describe('follow-ups and cadences in Chromium', () => {
  it('enrols from the panel; Today shows the due task once the day has passed; doing it logs the touchpoint; a reply from another client pauses it and the panel says why', async () => {
    const panel = await openPanel();
    await panel.openHotLead('Lena Lindqvist');
    const page = panel.page;
    await page.getByLabel('Cadence', { exact: true }).selectOption({ label: 'Outbound A (2 steps)' });
    await page.getByRole('button', { name: 'Enrol', exact: true }).click();
    const enrolment = page.getByTestId('enrolment-state');
    await expect.poll(() => enrolment.textContent()).toMatch(/^Running · step 1 of 2 on /);
    await screenshotBoth(page, 'lead-cadence-enrolled');

    await page.getByRole('tab', { name: 'Today' }).click();
    await page.getByTestId('today-empty').waitFor();

    // The API runs on the real clock: a day passing leaves the enrolment's next step due now, which
    // is what moving its due time back a day does. The engine (every 300 ms) then creates the task.
    await sql('update enrolments set next_due_at = next_due_at - 86400000 where lead_id = ?', [lead.id]);
    const row = page.getByTestId('task-row');
    await row.waitFor({ timeout: 10_000 });
    await expect.poll(() => row.textContent()).toContain('Intro call: ask about their Q3 plans');
    expect(await row.textContent()).toContain('Lena Lindqvist');
    await expect.poll(() => page.getByTestId('today-count').textContent()).toBe('1');
    await expect.poll(() => browser.badgeText(), { timeout: 10_000 }).toBe('1');
    await screenshotBoth(page, 'today');

    const before = (await api<LeadDetail>(server, 'GET', `/api/leads/${lead.id}`)).body.score;
    // Keys: d asks what happened with the call, 1 is "Connected".
    await page.locator('body').press('d');
    await page.getByRole('group', { name: 'What happened: Call' }).waitFor();
    await screenshotBoth(page, 'today-outcome');
    await page.locator('body').press('1');
    await page.getByTestId('today-empty').waitFor();
    const touches = await api<{ items: Touchpoint[] }>(server, 'GET', `/api/leads/${lead.id}/touchpoints`);
    expect(touches.body.items.map((touch) => [touch.type, touch.note])).toEqual([
      ['call_connected', 'Intro call: ask about their Q3 plans'],
    ]);
    const after = (await api<LeadDetail>(server, 'GET', `/api/leads/${lead.id}`)).body.score;
    expect(after).toBeGreaterThan(before);
    const done = await api<TaskList>(server, 'GET', `/api/tasks?assignee=any&leadId=${lead.id}&state=all`);
    expect(done.body.items.map((task: Task) => [task.state, task.outcome])).toEqual([['done', 'connected']]);
    await expect.poll(() => browser.badgeText(), { timeout: 10_000 }).toBe('');

    // Another client logs the lead's reply: the open panel shows the enrolment paused, and why.
    await panel.openHotLead('Lena Lindqvist');
    await expect.poll(() => page.getByTestId('lead-score').textContent()).toBe(String(after));
    const reply = await api(server, 'POST', `/api/leads/${lead.id}/touchpoints`, { type: 'email_replied' });
    expect(reply.status).toBe(201);
    await expect.poll(() => enrolment.textContent(), { timeout: 5000 }).toBe('Paused: Replied by e-mail');
    await page.getByRole('button', { name: 'Resume' }).waitFor();
    const history = page.getByTestId('enrolment').locator('details');
    await history.locator('summary').click();
    await expect
      .poll(() => history.locator('li').allTextContents())
      .toEqual([
        expect.stringMatching(/Enrolled$/),
        expect.stringMatching(/Step 1 created$/),
        expect.stringMatching(/Step 1 done: connected$/),
        expect.stringMatching(/Paused: Replied by e-mail$/),
      ]);
    await screenshotBoth(page, 'lead-cadence-paused');
    // Nothing more is created while it is paused, however late it gets.
    await sql("update enrolments set next_due_at = 0 where lead_id = ? and state = 'paused'", [lead.id]);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const still = await api<TaskList>(server, 'GET', `/api/tasks?assignee=any&leadId=${lead.id}&state=all`);
    expect(still.body.total).toBe(1);
    await page.close();
  });

  it('plans a follow-up from the lead with a preset, and "Done" on a next step asks what happened', async () => {
    const created = await api<Lead>(server, 'POST', '/api/leads', {
      fullName: 'Piet <b>Preset</b>',
      email: 'piet@initech.example',
      phone: '+31 20 123 4567',
    });
    const panel = await openPanel();
    await panel.openHotLead('Piet <b>Preset</b>');
    const page = panel.page;
    await page.getByLabel('Follow-up note').fill('Send <script>alert(1)</script> pricing');
    await page.getByRole('button', { name: 'Follow up in 3 days' }).click();
    const upcoming = page.getByRole('list', { name: 'Upcoming tasks' }).getByTestId('task-row');
    await expect.poll(() => upcoming.textContent()).toContain('Send <script>alert(1)</script> pricing');
    const tasks = await api<TaskList>(server, 'GET', `/api/tasks?assignee=any&leadId=${created.body.id}`);
    const due = Date.parse(tasks.body.items[0]!.dueAt);
    expect(due - Date.now()).toBeGreaterThan(2.9 * 86_400_000);
    expect(due - Date.now()).toBeLessThan(3.1 * 86_400_000);

    const steps = page.getByRole('region', { name: 'Next steps' });
    await steps.getByRole('button', { name: /^Done: Make first contact/ }).click();
    await steps.getByRole('group', { name: /What happened: Make first contact/ }).waitFor();
    await screenshotBoth(page, 'next-step-what-happened');
    await steps.getByRole('button', { name: 'Left a voicemail' }).click();
    await expect
      .poll(async () =>
        (
          await api<{ items: Touchpoint[] }>(server, 'GET', `/api/leads/${created.body.id}/touchpoints`)
        ).body.items.map((t) => [t.type, t.note]),
      )
      .toEqual([['call_attempted', 'Left a voicemail']]);
    await page.close();
  });

  it('lets a manager build a cadence on the dashboard, with the error next to the step it names', async () => {
    const dashboard = await Dashboard.open(browser);
    const page = dashboard.page;
    const section = page.getByTestId('cadences');
    await section.getByRole('button', { name: 'New cadence' }).click();
    const form = section.getByRole('form', { name: 'New cadence' });
    await form.getByLabel('Name').fill('Nurture <i>A</i>');
    await form.getByRole('button', { name: 'Add step' }).click();
    await form.getByLabel('Days after the previous step').fill('120');
    await form.getByRole('button', { name: 'Save cadence' }).click();
    await form.getByRole('alert').filter({ hasText: /90/ }).waitFor();
    await form.getByLabel('Days after the previous step').fill('4');
    await form.getByLabel('Nurture: ends when the lead reaches SQL').check();
    await form.getByLabel('Enrol leads by themselves').check();
    // The rule's conditions in rows: a region that does not exist is named on its row.
    await form.getByRole('button', { name: 'Add condition' }).click();
    await form.getByLabel('Field of condition 1').selectOption('region');
    await form.getByLabel('Value of condition 1').fill('Atlantis');
    await form.getByRole('button', { name: 'Save cadence' }).click();
    await form
      .getByTestId('condition')
      .getByRole('alert')
      .filter({ hasText: 'region is one of DACH' })
      .waitFor();
    await form.getByLabel('Value of condition 1').fill('DACH');
    await form.getByRole('button', { name: 'Add condition' }).click();
    await form.getByLabel('Field of condition 2').selectOption('score');
    await form.getByLabel('Operator of condition 2').selectOption({ label: 'is at least' });
    await form.getByLabel('Value of condition 2').fill('40');
    await form.getByRole('group', { name: 'and matches' }).scrollIntoViewIfNeeded();
    await screenshotBoth(page, 'dashboard-cadence-rule');
    await form.getByRole('button', { name: 'Save cadence' }).click();
    const row = section.getByTestId('cadence-row').filter({ hasText: 'Nurture <i>A</i>' });
    await row.waitFor();
    expect(await row.textContent()).toContain('Enrols a lead that reaches MQL, not owned by anyone');
    await section.scrollIntoViewIfNeeded();
    await screenshotBoth(page, 'dashboard-cadences');
    const list = await api<{ items: { name: string; nurture: boolean; steps: unknown[]; rule: unknown }[] }>(
      server,
      'GET',
      '/api/cadences',
    );
    expect(list.body.items.find((c) => c.name === 'Nurture <i>A</i>')).toMatchObject({
      nurture: true,
      steps: [
        { type: 'call', delayDays: 0 },
        { type: 'email', delayDays: 4 },
      ],
      rule: {
        stage: 'mql',
        owner: 'unowned',
        conditions: [
          { field: 'region', op: 'equals', value: 'DACH' },
          { field: 'score', op: 'gte', value: 40 },
        ],
      },
    });
    expect(cadenceId).toBeTruthy();

    // The results: Outbound A enrolled one lead, its reply paused it during the call step.
    const results = page.getByTestId('section-cadences-results');
    const outbound = results.getByTestId('cadences-table').locator('tbody tr', { hasText: 'Outbound A' });
    await expect
      .poll(() => outbound.locator('td, th').allTextContents())
      .toEqual(['Outbound A', '1', '0', '1', '0', '1', '0', '0.0 d']);
    const callStep = results
      .getByTestId('cadence-steps-table')
      .locator('tbody tr', { hasText: '1. Call' })
      .first();
    await expect
      .poll(() => callStep.locator('td, th').allTextContents())
      .toEqual(['Outbound A', '1. Call', '1', '1', '100%', '0', '0%']);
    await results.scrollIntoViewIfNeeded();
    await screenshotBoth(page, 'dashboard-cadence-results');
    await page.close();
  });
});
