import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lead, Touchpoint } from '@leadline/shared';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath, fixtures } from '../fixtures/index';
import { type ApiServer, api, startApiServer } from '../support/api-server';
import {
  FIREFOX_EXTENSION,
  type FirefoxExtension,
  FirefoxPanel,
  launchFirefox,
  setViewport,
} from '../support/firefox';

const PROFILE = (() => {
  const file = 'linkedin/profile-2024.html';
  const fixture = fixtures.find((f) => f.file === file);
  if (!fixture) throw new Error(`No fixture ${file} in test/fixtures/index.ts`);
  return { url: fixture.url, html: readFileSync(fixturePath(file), 'utf8') };
})();
/** A LinkedIn page with nobody on it: where the panel is opened to configure it. */
const FEED = {
  url: 'https://www.linkedin.com/feed/',
  html: '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Feed | LinkedIn</title></head><body><main><h1>Your feed</h1></main></body></html>',
};
/** Firefox's sidebar is narrower than Chrome's side panel: about 300 px unless the rep drags it. */
const SIDEBAR_WIDTH = 300;

let server: ApiServer;
let firefox: FirefoxExtension;
let feed: Page;

async function touchpointsOf(id: string) {
  const list = await api<{ items: Touchpoint[] }>(server, 'GET', `/api/leads/${id}/touchpoints`);
  expect(list.status).toBe(200);
  return list.body.items;
}

async function leadNamed(q: string) {
  const found = await api<{ items: Lead[] }>(server, 'GET', `/api/leads?q=${encodeURIComponent(q)}`);
  expect(found.status).toBe(200);
  expect(found.body.items).toHaveLength(1);
  return found.body.items[0]!;
}

async function openPanel(via: Page = feed, beside = false) {
  return new FirefoxPanel(await firefox.openSidePanel(via, { beside }));
}

beforeAll(async () => {
  server = await startApiServer();
  firefox = await launchFirefox();
  feed = await firefox.visit(FEED.url, FEED.html);
});

afterAll(async () => {
  await firefox?.dispose();
  await server?.dispose();
});

describe('the Firefox build in Firefox ESR', () => {
  it('is the shipped build: an MV2 sidebar, the gecko id, no harness and no host permissions', () => {
    const manifest = JSON.parse(readFileSync(join(FIREFOX_EXTENSION, 'manifest.json'), 'utf8'));
    expect(manifest.manifest_version).toBe(2);
    expect(manifest.browser_specific_settings.gecko.id).toBe('leadline@leadline.dev');
    expect(manifest.sidebar_action.default_panel).toBe('sidepanel.html');
    expect(manifest.permissions).toEqual(['storage', 'alarms', 'activeTab', 'scripting']);
    expect(manifest.background.scripts).toEqual(['background.js']);
    expect(JSON.stringify(manifest)).not.toContain('e2e');
  });

  it('welcomes the rep and connects to the API', async () => {
    const panel = await openPanel();
    await panel.waitForText('Welcome to Leadline');
    await panel.screenshot('firefox-welcome');
    await panel.configure(server.url, server.token);
    await panel.page.close();
  });

  let anna: Lead;

  it('captures a LinkedIn profile at its real URL, prefilled, and saves it with its source', async () => {
    const profile = await firefox.visit(PROFILE.url, PROFILE.html);
    const panel = await openPanel(profile, true);
    await expect
      .poll(async () => Object.values(await firefox.captures(panel.page)).map((c) => c.result.source.url), {
        timeout: 15_000,
      })
      .toContain(PROFILE.url);
    await expect.poll(() => panel.fieldValue('Full name')).toBe('Anna-Lena Müller');
    expect(await panel.fieldValue('Title')).toBe('Head of Growth');
    expect(await panel.fieldValue('Company')).toBe('Acme GmbH');
    expect(await panel.fieldValue('LinkedIn URL')).toBe('https://www.linkedin.com/in/anna-lena-mueller');
    await panel.screenshot('firefox-capture-linkedin');

    await panel.click('Save lead');
    await panel.waitForText('Saved.');
    anna = await leadNamed('Anna-Lena');
    expect(anna).toMatchObject({
      fullName: 'Anna-Lena Müller',
      title: 'Head of Growth',
      company: 'Acme GmbH',
      linkedinUrl: 'https://www.linkedin.com/in/anna-lena-mueller',
      source: { channel: 'linkedin', url: PROFILE.url },
    });
    await panel.page.close();
    await profile.close();
  });

  it('logs a touchpoint in one click and shows the score the API computes', async () => {
    const panel = await openPanel();
    await panel.openHotLead('Anna-Lena Müller');
    expect(await panel.scoreValue()).toBe(
      (await api<Lead>(server, 'GET', `/api/leads/${anna.id}`)).body.score,
    );

    await panel.click('Meeting booked');
    await expect
      .poll(async () => (await touchpointsOf(anna.id)).map((t) => t.type))
      .toEqual(['meeting_booked']);
    const after = (await api<Lead>(server, 'GET', `/api/leads/${anna.id}`)).body.score;
    expect(after).toBeGreaterThan(anna.score);
    await expect.poll(() => panel.scoreValue()).toBe(after);
    await expect.poll(() => panel.testId('timeline')).toContain('Meeting booked');
    await panel.screenshot('firefox-lead');
    await panel.page.close();
  });

  it('keeps a touchpoint clicked while the API is down and sends it once when it is back', async () => {
    const panel = await openPanel();
    await panel.openHotLead('Anna-Lena Müller');
    await server.stop();
    try {
      await panel.waitForText('The Leadline API is unreachable');
      await panel.click('Call connected');
      await expect.poll(() => panel.testId('pending-count')).toMatch(/^1 touchpoint waiting/);
      await expect.poll(() => panel.testId('outbox-waiting')).toMatch(/^1 change waiting/);
      await panel.screenshot('firefox-offline');
    } finally {
      await server.start();
    }
    await expect
      .poll(async () => (await touchpointsOf(anna.id)).map((t) => t.type).sort(), { timeout: 60_000 })
      .toEqual(['call_connected', 'meeting_booked']);
    await expect.poll(() => panel.testId('outbox-waiting'), { timeout: 15_000 }).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await touchpointsOf(anna.id)).toHaveLength(2);
    await panel.page.close();
  });

  it(`fits the sidebar's ${SIDEBAR_WIDTH} px: nothing sticks out sideways`, async () => {
    const panel = await openPanel();
    await setViewport(panel.page, { width: SIDEBAR_WIDTH, height: 900 });
    await panel.openHotLead('Anna-Lena Müller');
    expect(await panel.overflowX('html')).toBeNull();
    expect(await panel.overflowX('header:has([data-testid="lead-score"])')).toBeNull();
    await panel.screenshot('firefox-sidebar-lead');
    await panel.showTab('Hot leads');
    expect(await panel.overflowX('html')).toBeNull();
    await panel.screenshot('firefox-sidebar-hot-leads');
    await panel.page.close();
  });
});
