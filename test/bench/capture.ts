/**
 * `pnpm bench capture`: how long the on-demand capture takes in a real browser. Runs the script the
 * extension injects (`extract-page.js`, built) over the generated 5 MB page and a few fixtures in
 * headless Chromium, with `browser.storage` stubbed (no rep profile), and reports the bundle's size.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import { BIG_PAGE_URL, fiveMegabytePage } from '../fixtures/big-page';
import { fixturePath, fixtures } from '../fixtures/index';
import { CHROMIUM, EXTENSION } from '../support/browser';
import { REPO_ROOT } from '../support/paths';
import { median, percentile, round } from './stats';

const RUNS = 15;
const NORMAL_FIXTURES = [
  'linkedin/profile-2024.html',
  'mail/gmail-thread-multi.html',
  'web/team-jsonld.html',
];
const EMPTY_PAGE = {
  url: 'https://empty.example/',
  html: '<!DOCTYPE html><html><head></head><body></body></html>',
};

/**
 * What the injected script finds in `browser` when it runs as an extension script: no rep profile
 * stored. A string, so the TypeScript loader's helpers never reach the page.
 */
const STUB_EXTENSION_API = `(() => {
  const area = {
    get: async () => ({}),
    set: async () => undefined,
    remove: async () => undefined,
    onChanged: { addListener() {}, removeListener() {} },
  };
  globalThis.browser = {
    runtime: { id: 'leadline-bench' },
    storage: { local: area, session: area, sync: area, managed: area, onChanged: area.onChanged },
  };
})();`;

/** Evaluates the extractor script in the page `times` times; the first run is reported apart (cold). */
async function measure(page: Page, script: string, times: number) {
  return page.evaluate(
    async ({ source, runs }) => {
      const samples: number[] = [];
      let leads = 0;
      for (let i = 0; i < runs; i++) {
        const started = performance.now();
        // A classic script runs in the global scope, as `scripting.executeScript` runs a file; the
        // bundle leaves its promise in the global `extractPage`.
        const script = document.createElement('script');
        script.textContent = source;
        document.head.append(script);
        script.remove();
        const result = await (window as unknown as { extractPage: Promise<{ leads: unknown[] }> })
          .extractPage;
        samples.push(performance.now() - started);
        leads = result.leads.length;
      }
      return { samples, leads };
    },
    { source: script, runs: times },
  );
}

function summary(samples: number[]) {
  return { medianMs: round(median(samples)), p90Ms: round(percentile(samples, 90)) };
}

export async function benchCapture(): Promise<Record<string, unknown>> {
  const scriptPath = join(EXTENSION, 'extract-page.js');
  if (!existsSync(scriptPath)) {
    throw new Error(`No ${scriptPath}: run pnpm --filter @leadline/extension build first`);
  }
  const script = readFileSync(scriptPath, 'utf8');
  const bytes = Buffer.byteLength(script);
  const pages = [
    { name: '5 MB generated page', url: BIG_PAGE_URL, html: fiveMegabytePage() },
    ...NORMAL_FIXTURES.map((file) => {
      const fixture = fixtures.find((f) => f.file === file);
      if (!fixture) throw new Error(`No fixture ${file}`);
      return { name: file, url: fixture.url, html: readFileSync(fixturePath(file), 'utf8') };
    }),
  ];

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript(STUB_EXTENSION_API);
    await context.route(/^https?:\/\//, (route) => {
      const target = [...pages, EMPTY_PAGE].find((p) => p.url.split('#')[0] === route.request().url());
      return target
        ? route.fulfill({ contentType: 'text/html; charset=utf-8', body: target.html })
        : route.abort('internetdisconnected');
    });

    // The fixed cost of evaluating the ~0.5 MB bundle, measured on an empty page.
    const empty = await context.newPage();
    await empty.goto(EMPTY_PAGE.url);
    await measure(empty, script, 1);
    const baseline = await measure(empty, script, RUNS);
    await empty.close();

    const results: Record<string, unknown> = {};
    for (const target of pages) {
      const page = await context.newPage();
      await page.goto(target.url, { waitUntil: 'load', timeout: 120_000 });
      const cold = await measure(page, script, 1);
      const warm = await measure(page, script, RUNS);
      results[target.name] = {
        htmlBytes: Buffer.byteLength(target.html),
        domElements: await page.evaluate(() => document.getElementsByTagName('*').length),
        leads: warm.leads,
        firstRunMs: round(cold.samples[0] ?? Number.NaN),
        runs: RUNS,
        ...summary(warm.samples),
        // What the page adds to the bundle's own evaluation: the extraction, roughly.
        medianOverEmptyPageMs: round(median(warm.samples) - median(baseline.samples)),
      };
      await page.close();
    }
    return {
      what: 'extract-page.js (the on-demand capture script) evaluated in the page, result awaited',
      chromium: browser.version(),
      bundle: {
        file: relative(REPO_ROOT, scriptPath),
        rawBytes: bytes,
        gzipBytes: gzipSync(script, { level: 9 }).length,
      },
      emptyPageBaseline: { runs: RUNS, ...summary(baseline.samples) },
      pages: results,
    };
  } finally {
    await browser.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await benchCapture(), null, 2));
}
