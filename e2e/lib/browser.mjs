// Headless Chromium (Debian's `chromium` package, never a downloaded browser)
// driven by playwright-core.
//
//   const browser = await launchBrowser();
//   const context = await phoneContext(browser, { locale: 'zh-CN' });
//   await withPage(context, 'buy-a-package', async (page) => {
//     await page.goto(ks.baseUrl + '/');
//     await screenshot(page, 'home-zh-CN');          // artifacts/screenshots/home-zh-CN.png
//   });                                               // on failure: artifacts/failures/buy-a-package.{png,html,log}
//   await browser.close();

import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { ARTIFACTS_DIR } from './server.mjs';

export const SCREENSHOTS_DIR = path.join(ARTIFACTS_DIR, 'screenshots');
export const FAILURES_DIR = path.join(ARTIFACTS_DIR, 'failures');

/** Chromium's path: $KEEPSIM_CHROMIUM or Debian's /usr/bin/chromium. */
export function chromiumPath() {
  return process.env.KEEPSIM_CHROMIUM || '/usr/bin/chromium';
}

/** Launches headless Chromium. */
export async function launchBrowser() {
  const executablePath = chromiumPath();
  if (!fs.existsSync(executablePath)) {
    throw new Error(
      `no Chromium at ${executablePath}: install Debian's package (apt-get install chromium) or set KEEPSIM_CHROMIUM`,
    );
  }
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** A phone: 375×812 CSS pixels at 2×, touch, mobile; `locale` sets navigator.language and Accept-Language. */
export function phoneContext(browser, { locale = 'en-US', ...options } = {}) {
  return browser.newContext({
    viewport: { width: 375, height: 812 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale,
    ...options,
  });
}

/** A desktop browser window, 1280×800. */
export function desktopContext(browser, { locale = 'en-US', ...options } = {}) {
  return browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale,
    ...options,
  });
}

/** A file name from a test or page name. */
export function safeName(name) {
  return String(name)
    .normalize('NFKD')
    .replace(/[^\w.-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 120) || 'page';
}

/** Saves a full-page screenshot as artifacts/screenshots/<name>.png; returns its path. */
export async function screenshot(page, name) {
  fs.mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  const file = path.join(SCREENSHOTS_DIR, `${safeName(name)}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

// What each page logged (console messages, uncaught errors, failed requests), for failure reports.
const pageLogs = new WeakMap();

/** Starts recording a page's console messages, page errors and failed requests. */
export function recordPageLog(page) {
  if (pageLogs.has(page)) return pageLogs.get(page);
  const lines = [];
  pageLogs.set(page, lines);
  page.on('console', (m) => lines.push(`console.${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => lines.push(`pageerror: ${e.stack || e.message}`));
  page.on('requestfailed', (r) => lines.push(`requestfailed: ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('response', (r) => {
    if (r.status() >= 400) lines.push(`response ${r.status()}: ${r.request().method()} ${r.url()}`);
  });
  return lines;
}

/**
 * Saves what a failed test saw: artifacts/failures/<name>.png (full page),
 * <name>.html (the DOM as it was) and <name>.log (URL, console, errors).
 * Never throws (the test's own error is what matters).
 */
export async function saveFailure(page, name, error) {
  const base = path.join(FAILURES_DIR, safeName(name));
  try {
    fs.mkdirSync(FAILURES_DIR, { recursive: true });
    const log = [`url: ${page.url()}`, error ? `error: ${error.stack || error}` : '', ...(pageLogs.get(page) ?? [])];
    fs.writeFileSync(`${base}.log`, log.filter(Boolean).join('\n') + '\n');
    fs.writeFileSync(`${base}.html`, await page.content());
    await page.screenshot({ path: `${base}.png`, fullPage: true, timeout: 10_000 });
  } catch (e) {
    console.error(`could not save the failure artefacts of ${name}: ${e.message}`);
  }
  return base;
}

/**
 * Runs `fn(page)` with a new page of `context`; if it throws, saves the
 * screenshot, HTML and page log (saveFailure) before rethrowing. The page is
 * closed afterwards either way.
 */
export async function withPage(context, name, fn) {
  const page = await context.newPage();
  recordPageLog(page);
  try {
    return await fn(page);
  } catch (e) {
    await saveFailure(page, name, e);
    throw e;
  } finally {
    await page.close().catch(() => {});
  }
}

/**
 * For tests that manage their own pages: `await onFailure(t, page, async () => { … })`
 * — the same capture as withPage, named after the test (`t` is node:test's context).
 */
export async function onFailure(t, page, fn) {
  recordPageLog(page);
  try {
    return await fn();
  } catch (e) {
    await saveFailure(page, t?.fullName ?? t?.name ?? 'test', e);
    throw e;
  }
}
