import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type ElementHandle, type JSHandle, type Page } from 'puppeteer-core';
import type { TabCapture } from './browser';
import { ARTIFACTS_DIR, FIREFOX_EXTENSION_DIR } from './paths';

export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
/** The Firefox build; `LEADLINE_FIREFOX_EXTENSION_DIR` points at a copy (a build running meanwhile rewrites `.output`). */
export const FIREFOX_EXTENSION = process.env.LEADLINE_FIREFOX_EXTENSION_DIR ?? FIREFOX_EXTENSION_DIR;
/** The add-on id of the Firefox build (`browser_specific_settings.gecko.id` in wxt.config.ts). */
export const ADDON_ID = 'leadline@leadline.dev';
/** Fixed through `extensions.webextensions.uuids`, so the panel's origin is known before it loads. */
export const EXTENSION_UUID = '5b0c9d2e-4f7a-4e61-9a3c-2d8e1f6b7a40';
export const EXTENSION_ORIGIN = `moz-extension://${EXTENSION_UUID}`;

/** Where the harness listens: a page the shipped LinkedIn content script runs on too. */
const HARNESS_MATCHES = ['https://www.linkedin.com/*'];
const OPEN_PANEL_EVENT = 'leadline-e2e:open-panel';

/**
 * BiDi refuses to navigate a tab to a `moz-extension://` page, so the test installs a copy of the
 * build with a harness added: a content script that turns a DOM event dispatched by the test on a
 * LinkedIn page into a message, and a background script that opens the panel page in a tab on it.
 * The shipped build (`.output/firefox-mv2`) is copied unchanged otherwise, and never modified.
 */
function buildWithHarness(): string {
  const dir = mkdtempSync(join(tmpdir(), 'leadline-firefox-ext-'));
  cpSync(FIREFOX_EXTENSION, dir, { recursive: true });
  const manifestPath = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    background: { scripts: string[] };
    content_scripts: { matches: string[]; js: string[]; run_at?: string }[];
  };
  mkdirSync(join(dir, 'e2e-harness'));
  writeFileSync(
    join(dir, 'e2e-harness/content.js'),
    `window.addEventListener(${JSON.stringify(OPEN_PANEL_EVENT)}, (event) => {
  browser.runtime.sendMessage({ leadlineE2e: 'open-panel', active: event.detail !== 'beside' });
});\n`,
  );
  writeFileSync(
    join(dir, 'e2e-harness/background.js'),
    `browser.runtime.onMessage.addListener((message) => {
  if (!message || message.leadlineE2e !== 'open-panel') return undefined;
  return browser.tabs
    .create({ url: browser.runtime.getURL('/sidepanel.html'), active: message.active })
    .then(() => true);
});\n`,
  );
  manifest.background.scripts.push('e2e-harness/background.js');
  manifest.content_scripts.push({
    matches: HARNESS_MATCHES,
    js: ['e2e-harness/content.js'],
    run_at: 'document_start',
  });
  writeFileSync(manifestPath, JSON.stringify(manifest));
  return dir;
}

export interface FirefoxExtension {
  browser: Browser;
  /**
   * Opens the side panel page in a tab through the harness, from `via` (a LinkedIn page). `beside`
   * opens it in a background tab, so `via` stays the tab the rep is on.
   */
  openSidePanel(via: Page, options?: { beside?: boolean }): Promise<Page>;
  /** Opens `url` in a new tab, answered with `html`; every other request to the web fails. */
  visit(url: string, html: string): Promise<Page>;
  /** The captures the background keeps per tab (`session:captures`), read from a panel page. */
  captures(panel: Page): Promise<Record<string, TabCapture>>;
  dispose(): Promise<void>;
}

/**
 * Debian's Firefox ESR over WebDriver BiDi with the Firefox build installed as a temporary add-on.
 * Fails loudly when either is missing: `pnpm test` builds the extension, `.ci/run` installs Firefox.
 */
export async function launchFirefox(): Promise<FirefoxExtension> {
  if (!existsSync(FIREFOX)) {
    throw new Error(`Firefox not found at ${FIREFOX}: apt-get install -y firefox-esr (or set FIREFOX_PATH)`);
  }
  if (!existsSync(join(FIREFOX_EXTENSION, 'manifest.json'))) {
    throw new Error(
      `The Firefox extension is not built at ${FIREFOX_EXTENSION}: run pnpm --filter @leadline/extension build:firefox`,
    );
  }
  const extensionDir = buildWithHarness();
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    defaultViewport: { width: 420, height: 900 },
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [ADDON_ID]: EXTENSION_UUID }),
    },
  });
  const installed = await browser.installExtension(extensionDir);
  if (installed !== ADDON_ID) throw new Error(`Installed ${installed}, expected ${ADDON_ID}`);

  return {
    browser,
    async openSidePanel(via, { beside = false } = {}) {
      const before = new Set(await browser.pages());
      await via.evaluate(
        (type, detail) => window.dispatchEvent(new CustomEvent(type, { detail })),
        OPEN_PANEL_EVENT,
        beside ? 'beside' : 'front',
      );
      const target = await browser.waitForTarget(
        (t) => t.type() === 'page' && ![...before].some((page) => page.target() === t),
        { timeout: 15_000 },
      );
      const page = await target.page();
      if (!page) throw new Error('The panel tab has no page');
      // BiDi reports the tab as about:blank (it starts so, then moves to the extension's process):
      // until it has moved, BiDi may answer that it has no browser (setViewport) or that the
      // document went away (evaluate).
      const deadline = Date.now() + 15_000;
      for (;;) {
        try {
          const ready = await page.evaluate(
            (origin) =>
              location.href.startsWith(`${origin}/sidepanel.html`) &&
              document.readyState === 'complete' &&
              Boolean(document.body?.childElementCount),
            EXTENSION_ORIGIN,
          );
          if (ready) {
            await setViewport(page, { width: 420, height: 900 });
            return page;
          }
        } catch (error) {
          if (Date.now() > deadline) throw error;
        }
        if (Date.now() > deadline) throw new Error('The tab the harness opened never showed the side panel');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async visit(url, html) {
      const page = await browser.newPage();
      await page.setRequestInterception(true);
      page.on('request', (request) => {
        // The page may drop a request before it is answered (it navigated, or the fixture's script
        // cancelled it); Firefox then reports "no such request", which is not a failure of the test.
        const answered = (reply: Promise<void>) => reply.catch(() => undefined);
        if (request.url().split('#')[0] === url.split('#')[0]) {
          void answered(
            request.respond({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
          );
        } else if (request.url().startsWith('http://127.0.0.1')) {
          void answered(request.continue());
        } else {
          // Nothing leaves the machine: images, scripts and trackers of the fixture fail.
          void answered(request.abort('internetdisconnected'));
        }
      });
      await page.goto(url);
      return page;
    },
    async captures(panel) {
      return panel.evaluate(async () => {
        type Area = { get(key: string): Promise<Record<string, unknown>> };
        const area = (globalThis as unknown as { browser: { storage: { session: Area } } }).browser.storage
          .session;
        return ((await area.get('captures')).captures ?? {}) as Record<string, never>;
      });
    },
    async dispose() {
      await browser.close().catch(() => undefined);
      rmSync(extensionDir, { recursive: true, force: true });
    },
  };
}

/** The side panel page in Firefox, used as a rep does: by labels, roles and visible text. */
export class FirefoxPanel {
  constructor(readonly page: Page) {}

  async configure(apiUrl: string, token: string) {
    await this.fill('API URL', apiUrl);
    await this.fill('API token', token);
    await (await byRole(this.page, 'button', 'Save')).click();
    await byRole(this.page, 'heading', 'This page');
  }

  /** The input a visible label names (`label.control`), as the rep finds it. */
  async control(label: string): Promise<ElementHandle<HTMLInputElement> | null> {
    const handle = await this.page.evaluateHandle(
      (wanted) =>
        Array.from(document.querySelectorAll('label')).find(
          (element) => element.textContent?.trim() === wanted,
        )?.control ?? null,
      label,
    );
    const element = handle.asElement();
    return element as ElementHandle<HTMLInputElement> | null;
  }

  /** Replaces the text of the input `label` names, typed as keys (so React sees every change). */
  async fill(label: string, value: string) {
    await until(
      this.page,
      (wanted: string) =>
        Array.from(document.querySelectorAll('label')).some(
          (element) => element.textContent?.trim() === wanted,
        ),
      [label],
    );
    const input = await this.control(label);
    if (!input) throw new Error(`No input labelled ${label}`);
    await input.evaluate((element) => {
      element.focus();
      element.select();
    });
    await this.page.keyboard.press('Backspace');
    await input.type(value);
  }

  /** The value of an input of the preview (or of "Add"), by its visible label. */
  async fieldValue(label: string) {
    const input = await this.control(label);
    return input ? input.evaluate((element) => element.value) : null;
  }

  async showTab(name: 'This page' | 'Hot leads' | 'Add') {
    await (await byRole(this.page, 'tab', name)).click();
    await byRole(this.page, 'heading', name);
  }

  /**
   * The first button whose visible text is `text` (a touchpoint's key digit may lead it), or with
   * `within`, the first button inside that element whose text contains `text`.
   */
  async button(text: string, within?: string): Promise<ElementHandle<HTMLButtonElement>> {
    const handle = await until(
      this.page,
      (wanted: string, container: string | null) =>
        Array.from(document.querySelectorAll(container ? `${container} button` : 'button')).find((button) => {
          const label = button.textContent?.trim() ?? '';
          return container ? label.includes(wanted) : label.replace(/^\d /, '') === wanted;
        }),
      [text, within ?? null],
    );
    return handle as ElementHandle<HTMLButtonElement>;
  }

  async click(text: string, within?: string) {
    await (await this.button(text, within)).click();
  }

  /** Waits until `text` shows anywhere on the panel. */
  async waitForText(text: string, timeout = 15_000) {
    await until(
      this.page,
      (wanted: string) => (document.body.textContent ?? '').includes(wanted),
      [text],
      timeout,
    );
  }

  /** The text of an element by its test id, or null when there is none. */
  async testId(id: string) {
    return this.page.evaluate(
      (wanted) => document.querySelector(`[data-testid="${wanted}"]`)?.textContent ?? null,
      id,
    );
  }

  /** Opens a lead from "Hot leads" by the name on its row, and waits for its score. */
  async openHotLead(name: string) {
    await this.showTab('Hot leads');
    await this.click(name, '[data-testid="lead-list"]');
    await byRole(this.page, 'heading', name);
    await until(this.page, (css: string) => document.querySelector(css), ['[data-testid="lead-score"]']);
  }

  async scoreValue() {
    return Number(await this.testId('lead-score'));
  }

  /** What sticks out sideways from the element matching `selector`, or null when nothing does. */
  overflowX(selector: string) {
    return this.page.evaluate((css) => {
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

  async screenshot(name: string) {
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    await this.page.screenshot({
      path: join(ARTIFACTS_DIR, `${name}.png`) as `${string}.png`,
      fullPage: true,
    });
  }
}

/**
 * Sizes the page's viewport with WebDriver BiDi's `browsingContext.setViewport` alone. Puppeteer's
 * `page.setViewport` also sends `emulation.setScreenOrientationOverride`, which Firefox ESR 140.12
 * (Debian's, 2026-12) answers "unknown command".
 */
export async function setViewport(page: Page, size: { width: number; height: number }): Promise<void> {
  const frame = page.mainFrame() as unknown as {
    browsingContext?: {
      setViewport(options: { viewport: { width: number; height: number } | null }): Promise<void>;
    };
  };
  if (!frame.browsingContext) throw new Error('Not a WebDriver BiDi page: has puppeteer-core changed?');
  await frame.browsingContext.setViewport({ viewport: size });
}

/**
 * Evaluates `condition` in the page every 50 ms until it returns something truthy, and hands that
 * back. Puppeteer's `waitForFunction` rebuilds the function with `new Function` inside the page,
 * which Firefox ESR 140.12 now refuses on extension pages (their CSP forbids eval); `evaluate` does
 * not need it.
 */
async function until<A extends unknown[]>(
  page: Page,
  condition: (...args: A) => unknown,
  args: A,
  timeout = 30_000,
): Promise<JSHandle> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const evaluate = page.evaluateHandle as (fn: unknown, ...rest: unknown[]) => Promise<JSHandle>;
    const handle = await evaluate.call(page, condition, ...args);
    if (await handle.evaluate((value) => Boolean(value))) return handle;
    await handle.dispose();
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeout} ms waiting in the panel for ${condition}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const ROLE_SELECTORS = {
  tab: '[role="tab"]',
  heading: 'h1, h2, h3, h4, h5, h6, [role="heading"]',
  button: 'button, [role="button"]',
} as const;

/** The first element of `role` named `name` (its aria-label or its text), once it shows. */
async function byRole(
  page: Page,
  role: keyof typeof ROLE_SELECTORS,
  name: string,
): Promise<ElementHandle<Element>> {
  const handle = await until(
    page,
    (css: string, wanted: string) =>
      Array.from(document.querySelectorAll(css)).find(
        (element) => (element.getAttribute('aria-label') ?? element.textContent ?? '').trim() === wanted,
      ),
    [ROLE_SELECTORS[role], name],
  );
  return handle as ElementHandle<Element>;
}
