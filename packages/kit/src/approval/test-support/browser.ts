/**
 * @module
 * The real headless Chromium the URL-mode tests click with, found as the test run finds it
 * (`PUPPETEER_EXECUTABLE_PATH`, else `/usr/bin/chromium`).
 */
import { existsSync } from 'node:fs';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

export const CHROMIUM = process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium';

export const HAVE_CHROMIUM = existsSync(CHROMIUM);

export function launchChromium(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    // The tests run as root here, where Chromium's sandbox cannot start.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The text of the first element matching `selector` (the page's code runs in Chromium). */
async function textOf(page: Page, selector: string): Promise<string> {
  return String(
    await page.evaluate(`document.querySelector(${JSON.stringify(selector)})?.textContent ?? ''`),
  );
}

/** Opens `url`, returns the summary it shows, and clicks the button with id `button`. */
export async function decideOnPage(
  browser: Browser,
  url: string,
  button: 'approve' | 'deny',
): Promise<string> {
  const page = await browser.newPage();
  try {
    await page.goto(url);
    const summary = await textOf(page, '#summary');
    await Promise.all([page.waitForNavigation(), page.click(`#${button}`)]);
    const result = await textOf(page, 'h1');
    if (result !== (button === 'approve' ? 'Approved' : 'Denied'))
      throw new Error(`the page answered ${await page.content()}`);
    return summary;
  } finally {
    await page.close();
  }
}
