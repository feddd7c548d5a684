import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium package; CI installs it, and without it these tests fail. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Every test's screenshot; git ignores the folder, docs/screenshots holds the ones the docs show. */
export const SCREENSHOT_DIR = join(__dirname, '../../../test-output/screenshots');

/** Chromium with a fresh profile; each test opens its own page. */
export async function startBrowser() {
  const profile = mkdtempSync(join(tmpdir(), 'vpnflow-chromium-'));
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1200, height: 900 },
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  return {
    context,
    async newPage(): Promise<Page> {
      return context.newPage();
    },
    async screenshot(page: Page, name: string): Promise<void> {
      await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
