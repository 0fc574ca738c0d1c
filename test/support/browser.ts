import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExtractResult } from '@leadline/shared';
import { type BrowserContext, type CDPSession, chromium, type Page } from 'playwright-core';
import { ARTIFACTS_DIR, EXTENSION_DIR } from './paths';

/** What the background stores per tab (the extension's `PageCapture`). */
export interface TabCapture {
  tabId: number;
  result: ExtractResult;
  capturedAt: number;
  via: 'content-script' | 'on-demand';
  /** The extractor's error when it broke on the page. */
  unreadable?: string;
}

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The built extension; `LEADLINE_EXTENSION_DIR` points at a copy (a build running meanwhile rewrites `.output`). */
export const EXTENSION = process.env.LEADLINE_EXTENSION_DIR ?? EXTENSION_DIR;

export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  userDataDir: string;
  /**
   * The side panel as a page. `beside` opens it in a background tab instead, so the tab the rep is
   * on stays the active one, as with Chrome's real side panel (which is no tab at all).
   */
  openSidePanel(options?: { beside?: boolean }): Promise<Page>;
  /**
   * Clicks Leadline's toolbar button on the tab of `page`, as the rep does: it grants `activeTab`,
   * so the background captures the page (through Chrome DevTools' `Extensions.triggerAction`).
   */
  triggerAction(page: Page): Promise<void>;
  /** Answers every request for `url` (a glob like `https://www.linkedin.com/**`) with this HTML. */
  servePage(url: string, html: string): Promise<void>;
  /** The captures the background keeps per tab (`session:captures`). */
  captures(): Promise<Record<string, TabCapture>>;
  /** Stores a capture as the background would (to show the panel what no extractor would produce). */
  putCapture(capture: TabCapture): Promise<void>;
  /** The text on the toolbar button's badge (the count of tasks due today). */
  badgeText(): Promise<string>;
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
  if (!existsSync(join(EXTENSION, 'manifest.json'))) {
    throw new Error(
      `The extension is not built at ${EXTENSION}: run pnpm --filter @leadline/extension build`,
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
      // Lets the test click the toolbar button through CDP (Extensions.triggerAction).
      '--enable-unsafe-extension-debugging',
      `--disable-extensions-except=${EXTENSION}`,
      `--load-extension=${EXTENSION}`,
    ],
  });
  const worker =
    context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
  const extensionId = new URL(worker.url()).host;
  // The service worker may be stopped and started again: always talk to the current one.
  const background = () => context.serviceWorkers().find((w) => w.url().includes(extensionId)) ?? worker;
  let cdp: CDPSession | undefined;
  const browserSession = async () => {
    const owner = context.browser();
    if (!owner) throw new Error('No browser behind the context: CDP is out of reach');
    cdp ??= await owner.newBrowserCDPSession();
    return cdp;
  };
  const browser: ExtensionBrowser = {
    context,
    extensionId,
    userDataDir,
    async openSidePanel({ beside = false } = {}) {
      const url = `chrome-extension://${extensionId}/sidepanel.html`;
      if (!beside) {
        const page = await context.newPage();
        await page.goto(url);
        return page;
      }
      const opened = context.waitForEvent('page', (page) => page.url() === url);
      await worker.evaluate(async (panelUrl) => {
        type Tabs = { create(props: { url: string; active: boolean }): Promise<unknown> };
        await (globalThis as unknown as { chrome: { tabs: Tabs } }).chrome.tabs.create({
          url: panelUrl,
          active: false,
        });
      }, url);
      const page = await opened;
      await page.waitForLoadState();
      return page;
    },
    async triggerAction(page) {
      const session = await browserSession();
      await page.bringToFront();
      const { targetInfos } = await session.send('Target.getTargets', { filter: [{ type: 'tab' }] });
      const tab = targetInfos.find((info) => info.url === page.url());
      if (!tab) throw new Error(`No tab shows ${page.url()}`);
      await session.send('Extensions.triggerAction', { id: extensionId, targetId: tab.targetId });
    },
    async servePage(url, html) {
      await context.route(url, (route) =>
        route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
      );
    },
    async captures() {
      return background().evaluate(async () => {
        type Area = { get(key: string): Promise<Record<string, unknown>> };
        const area = (globalThis as unknown as { chrome: { storage: { session: Area } } }).chrome.storage
          .session;
        return ((await area.get('captures')).captures ?? {}) as Record<string, never>;
      });
    },
    async putCapture(capture) {
      await background().evaluate(async (next) => {
        type Area = {
          get(key: string): Promise<Record<string, unknown>>;
          set(items: Record<string, unknown>): Promise<void>;
        };
        const area = (globalThis as unknown as { chrome: { storage: { session: Area } } }).chrome.storage
          .session;
        const captures = ((await area.get('captures')).captures ?? {}) as Record<string, unknown>;
        await area.set({ captures: { ...captures, [String(next.tabId)]: next } });
      }, capture);
    },
    async badgeText() {
      return background().evaluate(async () => {
        type Action = { getBadgeText(details: Record<string, never>): Promise<string> };
        return (globalThis as unknown as { chrome: { action: Action } }).chrome.action.getBadgeText({});
      });
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

/** The page in light and in dark (`NAME-light.png`, `NAME-dark.png`), then back to light. */
export async function screenshotBoth(page: Page, name: string) {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await screenshot(page, `${name}-${scheme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}
