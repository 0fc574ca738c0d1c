import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { ARTIFACTS_DIR, EXTENSION_DIR } from './paths';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  userDataDir: string;
  openSidePanel(): Promise<Page>;
  /** Closes the browser; the profile (and the extension's storage) stays for `relaunch`. */
  close(): Promise<void>;
  dispose(): Promise<void>;
}

/**
 * Debian's Chromium with the built extension loaded unpacked. Fails loudly when either is missing:
 * `pnpm test` builds the extension first, and `.ci/run` installs Chromium.
 */
export async function launchExtension(
  options: { userDataDir?: string; colorScheme?: 'light' | 'dark' } = {},
) {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) {
    throw new Error(
      `The extension is not built at ${EXTENSION_DIR}: run pnpm --filter @leadline/extension build`,
    );
  }
  const userDataDir = options.userDataDir ?? mkdtempSync(join(tmpdir(), 'leadline-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    colorScheme: options.colorScheme ?? 'light',
    viewport: { width: 420, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
    ],
  });
  const worker =
    context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
  const extensionId = new URL(worker.url()).host;
  const browser: ExtensionBrowser = {
    context,
    extensionId,
    userDataDir,
    async openSidePanel() {
      const page = await context.newPage();
      await page.goto(`chrome-extension://${extensionId}/sidepanel.html`);
      return page;
    },
    close: () => context.close(),
    async dispose() {
      await context.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
  return browser;
}

export async function screenshot(page: Page, name: string) {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS_DIR, `${name}.png`), fullPage: true });
}
