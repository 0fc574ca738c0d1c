import type { Locator, Page } from 'playwright-core';
import type { ExtensionBrowser } from './browser';

export const DASHBOARD_SECTIONS = [
  'kpis',
  'funnel',
  'velocity',
  'speed',
  'sources',
  'attribution',
  'activity',
];

/** Points the extension at an API as the side panel's settings would, without the panel. */
export async function connect(browser: ExtensionBrowser, settings: { url: string; token: string }) {
  const worker = browser.context.serviceWorkers().find((w) => w.url().includes(browser.extensionId));
  if (!worker) throw new Error('The extension has no running service worker');
  await worker.evaluate(async ({ url, token }) => {
    type Area = { set(items: Record<string, unknown>): Promise<void> };
    const area = (globalThis as unknown as { chrome: { storage: { local: Area } } }).chrome.storage.local;
    await area.set({ settings: { apiUrl: url, token } });
  }, settings);
}

/** The dashboard page as a manager reads it: by roles, labels and test ids. */
export class Dashboard {
  private constructor(readonly page: Page) {}

  /** Opens the dashboard and waits for every section (or the empty state) to load. */
  static async open(browser: ExtensionBrowser, { empty = false } = {}) {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1360, height: 1000 });
    await page.goto(`chrome-extension://${browser.extensionId}/dashboard.html`);
    const dashboard = new Dashboard(page);
    if (empty) await page.getByTestId('dashboard-empty').waitFor({ timeout: 30_000 });
    else {
      for (const id of DASHBOARD_SECTIONS) {
        await dashboard.section(id).and(page.locator('[aria-busy="false"]')).waitFor({ timeout: 30_000 });
      }
    }
    return dashboard;
  }

  section(id: string): Locator {
    return this.page.getByTestId(`section-${id}`);
  }

  ownerFilter(): Locator {
    return this.page.getByLabel('Owner');
  }

  /**
   * Clicks the funnel chart on the row of stage `index` (0 new .. 4 won) and returns the lead list
   * page it opens. The chart picks the stage nearest the click along the stage axis.
   */
  async clickFunnelBar(index: number): Promise<LeadList> {
    const canvas = this.page.getByTestId('funnel-chart');
    await canvas.scrollIntoViewIfNeeded();
    const box = await canvas.boundingBox();
    if (!box) throw new Error('The funnel chart is not on screen');
    // The stage rows share the plot's height above the value axis (about 30 px of labels).
    const plot = box.height - 30;
    const opened = this.page.context().waitForEvent('page');
    await canvas.click({ position: { x: box.width / 2, y: (plot / 5) * (index + 0.5) } });
    const page = await opened;
    await page.waitForLoadState();
    await page.setViewportSize({ width: 1360, height: 900 });
    return new LeadList(page);
  }
}

/** The leads behind one figure (leads.html). */
export class LeadList {
  constructor(readonly page: Page) {}

  /** "1,234 leads", once loaded. */
  async total(): Promise<string> {
    const heading = this.page.getByTestId('leads-total');
    await heading.filter({ hasText: /\d/ }).waitFor({ timeout: 30_000 });
    return (await heading.textContent()) ?? '';
  }

  title(): Locator {
    return this.page.getByRole('heading', { level: 1 });
  }

  rows(): Locator {
    return this.page.getByTestId('leads-table').locator('tbody tr');
  }

  /** Exports the whole list and returns the CSV file's path. */
  async exportCsv(): Promise<string> {
    const download = this.page.waitForEvent('download');
    await this.page.getByRole('button', { name: 'Export CSV' }).click();
    const path = await (await download).path();
    if (!path) throw new Error('The CSV download has no file');
    return path;
  }
}
