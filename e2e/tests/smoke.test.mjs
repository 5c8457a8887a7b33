// Smoke: a real keepsim serves its home page to a phone, and answers /healthz.
// Tolerant of what the page says: the pages themselves are tested by the journeys.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, phoneContext, screenshot, withPage } from '../lib/browser.mjs';
import { startKeepsim } from '../lib/server.mjs';

let ks;
let browser;

before(async () => {
  ks = await startKeepsim();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await ks?.stop();
});

test('GET /healthz answers 200', async () => {
  const r = await fetch(`${ks.baseUrl}/healthz`);
  assert.equal(r.status, 200);
  assert.equal((await r.text()).trim(), 'ok');
});

test('the home page opens on a phone, with a language', async () => {
  const context = await phoneContext(browser, { locale: 'en-US' });
  try {
    await withPage(context, 'smoke-home', async (page) => {
      const response = await page.goto(`${ks.baseUrl}/`, { waitUntil: 'load' });
      assert.ok(response, 'no response for /');
      assert.equal(response.status(), 200, `GET / answered ${response.status()}`);
      const lang = await page.evaluate(() => document.documentElement.getAttribute('lang'));
      assert.ok(lang && lang.trim(), `<html> has no lang attribute (got ${JSON.stringify(lang)})`);
      await screenshot(page, 'smoke-home-phone');
    });
  } finally {
    await context.close();
  }
});
