import { openDatabase } from '@leadline/server/db';
import { runSlaPass } from '@leadline/server/routing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, api, startApiServer } from '../support/api-server';
import { type ExtensionBrowser, launchExtension, screenshot } from '../support/browser';
import { connect } from '../support/dashboard';
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

interface Person {
  id: string;
  name: string;
  role: string;
  awayUntil: string | null;
  deactivatedAt: string | null;
}
const people = async () => (await api<{ items: Person[] }>(server, 'GET', '/api/team/people')).body.items;

describe('the Team page', () => {
  it('an admin invites a rep, puts them in a team; the rep connects with the setup line and sets away; the admin deactivates them', async () => {
    await connect(browser, { url: server.url, token: server.token });
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`chrome-extension://${browser.extensionId}/dashboard.html#team`);
    const peopleSection = page.getByTestId('people');
    await peopleSection.getByRole('rowheader', { name: /Admin/ }).waitFor();

    // Invite: the token is shown once, inside a setup line to copy.
    const invite = page.getByTestId('invite');
    await invite.getByLabel('Name').fill('Rita <b>Rep</b>');
    await invite.getByLabel('E-mail (optional)').fill('rita@example.com');
    await invite.getByRole('button', { name: 'Invite' }).click();
    const setupLine = await page.getByLabel('Setup line').inputValue();
    expect(setupLine).toMatch(/^leadline:connect\?api=.+&token=ll_/);
    await peopleSection.getByRole('rowheader', { name: /Rita <b>Rep<\/b>/ }).waitFor();
    const rita = (await people()).find((p) => p.name === 'Rita <b>Rep</b>')!;
    expect(rita.role).toBe('rep');

    // A team with Rita at weight 3 and a daily cap.
    const teams = page.getByTestId('teams');
    await teams.getByRole('button', { name: 'New team' }).click();
    await teams.getByLabel('Team name').fill('DACH');
    await teams.getByLabel('Add a member').selectOption({ label: 'Rita <b>Rep</b>' });
    await teams.getByLabel('Weight of Rita <b>Rep</b>').fill('0');
    await teams.getByRole('button', { name: 'Save team' }).click();
    await teams.getByText('a weight above 0').waitFor();
    await teams.getByLabel('Weight of Rita <b>Rep</b>').fill('3');
    await teams.getByLabel('Daily cap of Rita <b>Rep</b>').fill('25');
    await teams.getByRole('button', { name: 'Save team' }).click();
    await page.getByTestId('team-DACH').waitFor();
    const saved = await api<{ items: { name: string; members: unknown[] }[] }>(server, 'GET', '/api/teams');
    expect(saved.body.items).toEqual([
      expect.objectContaining({
        name: 'DACH',
        members: [{ userId: rita.id, weight: 3, capPerDay: 25, capOpen: null }],
      }),
    ]);
    await screenshot(page, 'team-page-invited');

    // The rep pastes the line into the side panel's settings and sets themselves away.
    const panel = new SidePanel(await browser.openSidePanel());
    await panel.page.getByRole('button', { name: 'Settings' }).click();
    await panel.page.getByLabel('Setup line (from your admin’s Team page)').fill(setupLine);
    expect(await panel.page.getByLabel('API URL').inputValue()).toBe(server.url);
    await panel.page.getByRole('button', { name: 'Save' }).click();
    await panel.page.getByRole('heading', { name: 'This page', exact: true }).waitFor();
    await panel.page.getByRole('button', { name: 'Set away…' }).click();
    await panel.page.getByLabel('Away until (last day)').fill('2099-12-31');
    await panel.page.getByRole('button', { name: 'Set away' }).click();
    await panel.page.getByTestId('away-status').waitFor();
    expect((await people()).find((p) => p.id === rita.id)?.awayUntil).toMatch(/^2099-12-31|^2100-01-01/);
    await screenshot(panel.page, 'team-panel-away');

    // The admin deactivates Rita: her open lead goes to the queue, her token stops working.
    const lead = await api<{ id: string }>(server, 'POST', '/api/leads', {
      fullName: 'Olaf Open',
      ownerId: rita.id,
    });
    await connect(browser, { url: server.url, token: server.token });
    await page.reload();
    await peopleSection.getByRole('button', { name: 'Deactivate Rita <b>Rep</b>' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('To the unassigned queue (reps claim them)').check();
    await screenshot(page, 'team-deactivate-dialog');
    await dialog.getByRole('button', { name: 'Deactivate' }).click();
    await peopleSection.getByText(/1 open lead\(s\) moved to the unassigned queue/).waitFor();
    expect((await people()).find((p) => p.id === rita.id)?.deactivatedAt).toEqual(expect.any(String));
    expect(
      (await api<{ ownerId: string | null }>(server, 'GET', `/api/leads/${lead.body.id}`)).body.ownerId,
    ).toBeNull();
    const token = new URLSearchParams(setupLine.slice(setupLine.indexOf('?') + 1)).get('token')!;
    expect((await api({ url: server.url, token }, 'GET', '/api/me')).status).toBe(401);
    await screenshot(page, 'team-page-deactivated');
  });

  it('a lead created through the API is routed to the rep: the panel shows "1 new for you" and the why line', async () => {
    const rep = await api<{ person: { id: string }; token: string }>(server, 'POST', '/api/team/people', {
      name: 'Rafa Routed',
    });
    const pool = await api<{ id: string }>(server, 'POST', '/api/teams', {
      name: 'Inbound',
      members: [{ userId: rep.body.person.id, weight: 2 }],
    });
    const routing = await api(server, 'PUT', '/api/routing', {
      rules: [
        {
          id: 'inbound',
          name: 'Inbound pool',
          when: [{ field: 'source.channel', op: 'equals', value: 'web' }],
          action: { type: 'team', teamId: pool.body.id },
        },
      ],
      fallback: { type: 'queue' },
    });
    expect(routing.status).toBe(200);
    await connect(browser, { url: server.url, token: rep.body.token });
    const panel = new SidePanel(await browser.openSidePanel());
    await panel.page.getByRole('heading', { name: 'This page', exact: true }).waitFor();
    // The stream is open once the panel has read who it is.
    await panel.page.getByRole('button', { name: 'Set away…' }).waitFor();
    await new Promise((resolve) => setTimeout(resolve, 500));

    const startedAt = Date.now();
    const created = await api<{ id: string; ownerId: string }>(server, 'POST', '/api/leads', {
      fullName: 'Wendy Web',
      source: { channel: 'web' },
    });
    expect(created.body.ownerId).toBe(rep.body.person.id);
    const badge = panel.page.getByTestId('assigned-badge');
    await badge.waitFor();
    console.log(`the badge showed ${Date.now() - startedAt} ms after the API created the lead`);
    expect(await badge.textContent()).toBe('1 new for you');
    await screenshot(panel.page, 'routing-panel-badge');
    await badge.click();
    await panel.page
      .getByRole('button', { name: 'Assigned to me, not yet touched', pressed: true })
      .waitFor();
    await panel.leadList().getByText('Wendy Web').click();
    const why = panel.page.getByTestId('why-owner');
    await why.getByText('Yours: Inbound pool, round robin (furthest below your share)').waitFor();
    await screenshot(panel.page, 'routing-panel-why');

    // The manager's side: the rules on the Team page, a bad edit named by its path, and "Try a lead".
    await connect(browser, { url: server.url, token: server.token });
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`chrome-extension://${browser.extensionId}/dashboard.html#team`);
    const section = page.getByTestId('routing');
    await section.getByRole('heading', { name: 'Routing rules (version 1)' }).waitFor();
    const rules = section.getByLabel('Rules (JSON)');
    await rules.fill((await rules.inputValue()).replace('"source.channel"', '"shoeSize"'));
    await section.getByRole('button', { name: 'Save rules' }).click();
    await section
      .getByRole('alert')
      .getByText(/^rules\.0\.when\.0\.field: Unknown lead field "shoeSize"/)
      .waitFor();
    const tryLead = page.getByTestId('try-a-lead');
    await tryLead.getByLabel('Name').fill('Tom Try');
    await tryLead.getByRole('button', { name: 'Who gets it?' }).click();
    await page
      .getByTestId('try-result')
      .getByText('Rafa Routed: Inbound pool, round robin (furthest below their share)')
      .waitFor();
    await screenshot(page, 'routing-try-a-lead');
    expect((await api<{ version: number }>(server, 'GET', '/api/routing')).body.version).toBe(1);
  });

  it("an SLA breach routes the lead to a colleague: their panel's why line says who missed it", async () => {
    const always = Object.fromEntries(
      ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [
        day,
        [{ start: '00:00', end: '24:00' }],
      ]),
    );
    const reps: { id: string; token: string; name: string }[] = [];
    for (const name of ['Sol Slow', 'Nia Next']) {
      const invited = await api<{ person: { id: string }; token: string }>(
        server,
        'POST',
        '/api/team/people',
        {
          name,
        },
      );
      const hours = await api(server, 'PATCH', `/api/team/people/${invited.body.person.id}`, {
        timeZone: 'UTC',
        workingHours: always,
      });
      expect(hours.status).toBe(200);
      reps.push({ id: invited.body.person.id, token: invited.body.token, name });
    }
    const pool = await api<{ id: string }>(server, 'POST', '/api/teams', {
      name: 'SLA pool',
      members: reps.map((rep) => ({ userId: rep.id })),
    });
    const routing = await api(server, 'PUT', '/api/routing', {
      accountOwnershipFirst: false,
      rules: [
        {
          id: 'sla-pool',
          name: 'SLA pool',
          action: { type: 'team', teamId: pool.body.id },
          sla: { minutes: 30, onBreach: 'reassign' },
        },
      ],
    });
    expect(routing.status).toBe(200);
    const created = await api<{ id: string; ownerId: string }>(server, 'POST', '/api/leads', {
      fullName: 'Sam Slowly',
    });
    const missed = reps.find((rep) => rep.id === created.body.ownerId)!;
    const next = reps.find((rep) => rep.id !== created.body.ownerId)!;

    // The sweep 31 minutes on, on the server's database (its own sweep runs on today's clock).
    const handle = await openDatabase(server.databaseUrl);
    try {
      expect(await runSlaPass(handle.db, new Date(Date.now() + 31 * 60_000))).toMatchObject({
        reassigned: 1,
      });
    } finally {
      handle.close();
    }
    const lead = await api<{ ownerId: string }>(server, 'GET', `/api/leads/${created.body.id}`);
    expect(lead.body.ownerId).toBe(next.id);

    await connect(browser, { url: server.url, token: next.token });
    const panel = new SidePanel(await browser.openSidePanel());
    await panel.showHotLeads();
    await panel.page.getByRole('button', { name: 'Assigned to me, not yet touched' }).click();
    await panel.leadList().getByText('Sam Slowly').click();
    const why = panel.page.getByTestId('why-owner');
    await why
      .getByTestId('why-owner-breach')
      .getByText(`Reassigned: no touch within 30 working minutes by ${missed.name} (due `)
      .waitFor();
    await why.getByText('Yours: SLA pool, round robin (furthest below your share)').waitFor();
    await screenshot(panel.page, 'routing-panel-sla-breach');
  });
});
