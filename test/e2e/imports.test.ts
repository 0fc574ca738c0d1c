import { readFileSync } from 'node:fs';
import type { Import } from '@leadline/shared';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../fixtures';
import { type ApiServer, api, startApiServer } from '../support/api-server';
import { type ExtensionBrowser, launchExtension, screenshotBoth } from '../support/browser';
import { connect } from '../support/dashboard';

let server: ApiServer;
let browser: ExtensionBrowser;

beforeAll(async () => {
  server = await startApiServer();
  browser = await launchExtension();
  await connect(browser, { url: server.url, token: server.token });
}, 60_000);
afterAll(async () => {
  await browser?.dispose();
  await server?.dispose();
});

describe('the import page', () => {
  it('uploads a HubSpot export, shows the dry run, runs it to done, downloads the errors and undoes it', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1200, height: 900 });
    await page.goto(`chrome-extension://${browser.extensionId}/dashboard.html`);
    const opened = page.context().waitForEvent('page');
    await page.getByRole('link', { name: 'Import' }).click();
    const imports = await opened;
    await imports.setViewportSize({ width: 1200, height: 900 });
    await imports.getByRole('heading', { name: 'Import leads', level: 1 }).waitFor();

    await imports.getByTestId('import-file').setInputFiles(fixturePath('imports/hubspot-contacts.csv'));
    await imports.getByRole('button', { name: 'Upload and check' }).click();
    const review = imports.getByTestId('import-review');
    await review.waitFor();
    expect(await imports.getByTestId('import-detected').textContent()).toContain('UTF-8');
    expect(await imports.getByTestId('import-detected').textContent()).toContain('Comma');
    const counts = imports.getByTestId('dry-run-counts');
    expect(await counts.textContent()).toMatch(/3New leads.*0Match.*1Refused/);
    expect(await review.textContent()).toContain('"not-an-email" is not an e-mail address');
    // The mapping is the user's to change: the dry run is computed again.
    await review.getByLabel('Map Lifecycle Stage').selectOption('skip');
    await expect.poll(() => review.getByLabel('Map Lifecycle Stage').inputValue()).toBe('skip');
    await review.getByLabel('Fill their empty fields').check();
    await screenshotBoth(imports, 'imports-dry-run');

    await review.getByRole('button', { name: 'Start the import' }).click();
    const status = imports.getByTestId('import-status');
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toBe('Done');
    const figures = (await imports.getByTestId('import-figures').textContent()) ?? '';
    expect(figures).toContain('4 of 4 rows');
    expect(figures).toContain('3 created');
    expect(figures).toContain('1 refused');
    expect(await imports.locator('progress').getAttribute('value')).toBe('4');
    await screenshotBoth(imports, 'imports-done');

    const download = imports.waitForEvent('download');
    await imports.getByRole('button', { name: 'Download errors' }).click();
    const errors = parse(readFileSync(await (await download).path()), { bom: true, columns: true }) as Record<
      string,
      string
    >[];
    expect(errors).toEqual([
      expect.objectContaining({
        Email: 'not-an-email',
        Row: '4',
        Error: '"not-an-email" is not an e-mail address',
      }),
    ]);

    imports.once('dialog', (dialog) => void dialog.accept());
    await imports.getByRole('button', { name: 'Undo this import' }).click();
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toBe('Undone');
    await screenshotBoth(imports, 'imports-undone');
    const id = decodeURIComponent(new URL(imports.url()).hash.slice(1));
    const job = await api<Import>(server, 'GET', `/api/imports/${id}`);
    expect(job.body).toMatchObject({ status: 'undone', fileName: 'hubspot-contacts.csv' });
    const leads = await api<{ items: unknown[] }>(server, 'GET', '/api/leads?limit=10');
    expect(leads.body.items).toEqual([]);
  }, 120_000);
});
