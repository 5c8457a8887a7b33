// The product, end to end, in a real browser on a phone-sized screen:
// a traveller's whole journey in zh-CN and in en, then the staff console
// (sign in with TOTP, edit a price, refund an order, answer the traveller's
// ticket) with its role checks. One keepsim server for the file.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { desktopContext, launchBrowser, phoneContext, screenshot, withPage } from '../lib/browser.mjs';
import { startKeepsim } from '../lib/server.mjs';
import { totp } from '../lib/totp.mjs';
import { reportUsage } from '../lib/usage.mjs';

let ks;
let browser;
let apiKey;
/** What the traveller journeys leave for the admin journey: order ids per method, ticket subjects. */
const left = { cardOrders: [], tickets: [] };

before(async () => {
  ks = await startKeepsim();
  browser = await launchBrowser();
  apiKey = await ks.createApiKey(['network']);
});

after(async () => {
  await browser?.close();
  await ks?.stop();
});

/** A valid IMEI (Luhn check digit) from a number. */
function imei(n) {
  const payload = String(35_290_100_000_000 + n).padStart(14, '0');
  let sum = 0;
  for (let i = 0; i < 14; i++) {
    let d = payload.charCodeAt(13 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return payload + String((10 - (sum % 10)) % 10);
}

/**
 * Accessibility and phone-layout basics on the current page: not an error page, a `lang`, a
 * label for every form control, a focusable skip link, nothing wider than the screen, and text
 * that contrasts with what is behind it (WCAG 2 AA: 4.5:1, large text 3:1).
 */
async function checkPage(page) {
  assert.equal(await page.locator('[data-error]').count(), 0, `${page.url()} shows an error page`);
  const report = await page.evaluate(() => {
    const rgba = (s) => {
      const m = s.match(/rgba?\(([^)]+)\)/);
      if (!m) return null;
      const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
      return { r, g, b, a };
    };
    const over = (top, below) => ({
      r: top.r * top.a + below.r * (1 - top.a),
      g: top.g * top.a + below.g * (1 - top.a),
      b: top.b * top.a + below.b * (1 - top.a),
      a: 1,
    });
    const luminance = ({ r, g, b }) => {
      const lin = (c) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    /** The colour behind `el`, or null when an image is behind it. */
    const backdrop = (el) => {
      const layers = [];
      for (let e = el; e; e = e.parentElement) {
        const style = getComputedStyle(e);
        if (style.backgroundImage !== 'none') return null;
        const c = rgba(style.backgroundColor);
        if (c && c.a > 0) layers.push(c);
        if (c && c.a >= 1) break;
      }
      return layers.reverse().reduce((below, top) => over(top, below), { r: 255, g: 255, b: 255, a: 1 });
    };
    const lowContrast = [...document.querySelectorAll('body *')]
      .filter((el) => el.getClientRects().length > 0 && !el.closest('[hidden], [aria-hidden=true], svg'))
      .filter((el) => [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim()))
      .filter((el) => !el.disabled && getComputedStyle(el).visibility === 'visible')
      .flatMap((el) => {
        const style = getComputedStyle(el);
        const behind = backdrop(el);
        const fg = rgba(style.color);
        if (!behind || !fg) return [];
        const [l1, l2] = [luminance(over(fg, behind)), luminance(behind)].sort((a, b) => b - a);
        const ratio = (l1 + 0.05) / (l2 + 0.05);
        const size = parseFloat(style.fontSize);
        const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
        return ratio < (large ? 3 : 4.5) ? [`${ratio.toFixed(2)}:1 ${el.tagName} "${el.textContent.trim().slice(0, 30)}"`] : [];
      });
    const unlabelled = [...document.querySelectorAll('input, select, textarea')]
      .filter((el) => el.type !== 'hidden' && el.offsetParent !== null)
      .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
      .map((el) => el.outerHTML.slice(0, 80));
    const focusable = [...document.querySelectorAll('a[href], button, input, select, textarea, summary')]
      .filter((el) => el.type !== 'hidden');
    return {
      firstFocusable: focusable[0]?.getAttribute('href'),
      unreachable: focusable.filter((el) => el.tabIndex < 0 || el.disabled).map((el) => el.outerHTML.slice(0, 80)),
      lang: document.documentElement.lang,
      unlabelled,
      // Against the screen: a phone's layout viewport widens to fit content that overflows.
      overflow: document.documentElement.scrollWidth - Math.min(window.innerWidth, screen.width),
      lowContrast,
    };
  });
  assert.deepEqual(report.lowContrast, [], `text with too little contrast on ${page.url()}`);
  assert.ok(report.lang, 'the page has a lang');
  assert.deepEqual(report.unlabelled, [], `controls without a label on ${page.url()}`);
  assert.ok(report.overflow <= 1, `${page.url()} is ${report.overflow}px wider than the screen`);
  // Keyboard: the first stop is the skip link to the content, and no control is taken out of the tab order.
  assert.equal(report.firstFocusable, '#content');
  assert.deepEqual(report.unreachable, []);
}

const TEXT = {
  'zh-CN': { japan: '日本', hongKong: '香港' },
  en: { japan: 'Japan', hongKong: 'Hong Kong' },
};

async function signUp(page, base, email) {
  await page.goto(`${base}/`);
  await page.click('#cta-signup');
  await page.fill('#f-email', email);
  await page.fill('#f-password', 'short');
  await page.click('#signup button[type=submit]');
  // A weak password is explained next to the field, in the page's language.
  assert.ok((await page.textContent('#e-password')).trim().length > 0, 'weak password error shown');
  await page.fill('#f-password', 'correct horse battery staple');
  await Promise.all([page.waitForURL('**/app/devices'), page.click('#signup button[type=submit]')]);
}

async function bindAndGetEsim(page, n, name) {
  // Instant, friendly validation while typing.
  const bad = imei(n).slice(0, 14) + String((Number(imei(n)[14]) + 1) % 10);
  await page.fill('#f-imei', bad.slice(0, 10));
  assert.ok((await page.textContent('#e-imei')).trim().length > 0, 'live hint for a short IMEI');
  await page.fill('#f-imei', bad);
  assert.equal(await page.getAttribute('#f-imei', 'aria-invalid'), 'true');
  await page.click('#bind-device button[type=submit]');
  assert.equal(await page.getAttribute('#f-imei', 'aria-invalid'), 'true', 'the server refuses it too');
  assert.match(await page.textContent('#e-imei'), /\*#06#/);
  await page.fill('#f-imei', imei(n));
  await page.fill('#f-label', 'Pixel');
  await Promise.all([page.waitForURL('**/app/devices'), page.click('#bind-device button[type=submit]')]);
  await checkPage(page);
  await screenshot(page, `${name}-devices`);
  await Promise.all([page.waitForURL('**/app/lines/*'), page.click('.get-esim')]);
  const code = (await page.textContent('#activation-code')).trim();
  assert.match(code, /^LPA:1\$[^$]+\$.+/);
  const qrWidth = await page.$eval('#esim-qr', (img) => img.naturalWidth);
  assert.ok(qrWidth > 0, 'the QR code image loads');
  await page.click('#copy-code');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), code, 'the copy button copies the activation code');
  const msisdn = (await page.textContent('#msisdn')).trim();
  await checkPage(page);
  await screenshot(page, `${name}-esim`);
  return { msisdn, lineUrl: page.url() };
}

/** Presses Tab until `selector` has the focus (fails after `limit` presses). */
async function tabTo(page, selector, limit = 80) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector)) return;
  }
  assert.fail(`${selector} is not reachable with the Tab key on ${page.url()}`);
}

async function buy(page, base, { name, country, code, pkg, method, currency, keyboard = false }) {
  await page.goto(`${base}/coverage`);
  await page.fill('#coverage-q', country);
  // The list narrows while typing (htmx), without a page load.
  await page.waitForFunction(() => document.querySelectorAll('#country-list li').length === 1, null, { timeout: 10_000 });
  const link = page.locator(`#country-list a[data-country="${code}"]`);
  await Promise.all([page.waitForURL(`**/packages?country=${code}**`), link.click()]);
  await page.locator(`[data-package="${pkg}"] a.buy`).click();
  await page.waitForURL(`**/buy/${pkg}**`);
  if (currency) await page.selectOption('#f-currency', currency);
  await page.check(`#method-${method}`);
  await checkPage(page);
  await screenshot(page, `${name}-buy-${method}`);
  if (keyboard) {
    // With the keyboard alone: Tab to the pay button, press Enter.
    await tabTo(page, '#pay');
    await Promise.all([page.waitForURL('**/sandbox/checkout/*'), page.keyboard.press('Enter')]);
  } else {
    await Promise.all([page.waitForURL('**/sandbox/checkout/*'), page.click('#pay')]);
  }
  const orderId = page.url().split('/').pop();
  await checkPage(page);
  await screenshot(page, `${name}-checkout-${method}`);
  await Promise.all([page.waitForURL(`**/app/orders/${orderId}`), page.click('#sandbox-pay')]);
  // "Processing" turns into "done" without a reload (htmx polls the status): a mark left on
  // this page's window is still there when it says done.
  await page.evaluate(() => { window.keepsimNoReload = true; });
  await page.locator('#order-status[data-status="fulfilled"]').waitFor({ timeout: 20_000 });
  assert.equal(await page.evaluate(() => window.keepsimNoReload), true, 'the page was not reloaded');
  await checkPage(page);
  await screenshot(page, `${name}-order-done-${method}`);
  return orderId;
}

for (const locale of ['zh-CN', 'en']) {
  test(`a traveller's whole journey on a phone, in ${locale}`, async () => {
    const name = `customer-${locale}`;
    // A traveller's phone keeps its home clock (zones without daylight saving, so the test holds all year).
    const clock = { 'zh-CN': { timezoneId: 'Asia/Shanghai', label: 'UTC+8' }, en: { timezoneId: 'Asia/Kolkata', label: 'UTC+5:30' } }[locale];
    const context = await phoneContext(browser, { locale, timezoneId: clock.timezoneId });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ks.baseUrl });
    try {
      await withPage(context, name, async (page) => {
        const base = ks.baseUrl;
        await page.goto(`${base}/`);
        assert.equal(await page.getAttribute('html', 'lang'), locale);
        await checkPage(page);
        await screenshot(page, `${name}-home`);
        // Installable: a manifest with icons, and a service worker.
        const manifest = await (await fetch(`${base}/manifest.webmanifest`)).json();
        assert.ok(manifest.icons.some((i) => i.sizes === '512x512') && manifest.start_url, 'PWA manifest');
        assert.equal((await fetch(`${base}${manifest.icons[0].src}`)).status, 200);
        const worker = await page.evaluate(() =>
          Promise.race([
            navigator.serviceWorker.ready.then((r) => r.active?.scriptURL ?? null),
            new Promise((resolve) => setTimeout(() => resolve('not ready after 10 s'), 10_000)),
          ]),
        );
        assert.equal(worker, `${base}/sw.js`, 'the service worker is installed');
        await signUp(page, base, `traveller-${locale.toLowerCase()}@example.com`);
        const { msisdn, lineUrl } = await bindAndGetEsim(page, locale === 'en' ? 1 : 2, name);

        // Buy with each of the three sandbox methods: a year of number keeping (HK$50) by card,
        // Japan data by Alipay and by WeChat Pay (which take CNY).
        const jp = { country: TEXT[locale].japan, code: 'JP', pkg: 'JP-1GB-3D' };
        const keep = { country: TEXT[locale].hongKong, code: 'HK', pkg: 'KEEP-365D' };
        left.cardOrders.push(await buy(page, base, { name, ...keep, method: 'card', currency: 'HKD' }));
        await buy(page, base, { name, ...jp, method: 'alipay', currency: 'CNY' });
        await buy(page, base, { name, ...jp, method: 'wechat', currency: 'CNY', keyboard: true });

        // See the bundles.
        await page.click('#see-bundle');
        await page.waitForURL('**/usage');
        assert.equal(await page.locator('section.bundle[data-state="active"]').count(), 3);
        assert.ok((await page.textContent('#kept-until')).trim().length > 0, '"your number is kept until …"');
        const before = (await page.textContent('#data-left')).trim();

        // The network reports 900 MB used in Japan: over 75 % of one bundle.
        const used = await reportUsage(base, apiKey, { msisdn, country: 'JP', bytes: 900 * 1024 ** 2 });
        assert.ok(used.applied !== false, 'usage applied');
        await page.reload();
        const afterText = (await page.textContent('#data-left')).trim();
        assert.notEqual(afterText, before, 'the remaining data went down');
        assert.ok(await page.locator('#ledger tr[data-kind="usage_debit"]').count() >= 1, 'the debit is in the history');
        const tallest = await page.$$eval('#usage-chart rect.bar', (bars) => Math.max(0, ...bars.map((b) => Number(b.getAttribute('height')))));
        assert.ok(tallest > 0, 'the chart shows today\'s usage');
        await checkPage(page);
        await screenshot(page, `${name}-usage`);

        // The low-data notice arrives in the inbox.
        await page.click('nav.main a[href="/app/inbox"]');
        await page.locator('#inbox li[data-kind="data_threshold"]').first().waitFor();
        assert.ok((await page.textContent('#inbox')).includes(clock.label), `times on the phone's clock (${clock.label})`);
        await checkPage(page);
        await screenshot(page, `${name}-inbox`);

        // Ask support something (the admin journey answers it).
        await page.goto(`${base}/app/support`);
        const subject = `Roaming question (${locale})`;
        await page.fill('#f-subject', subject);
        await page.fill('#f-body', 'Does the package work on the Shinkansen?');
        await Promise.all([page.waitForURL('**/app/support/*'), page.click('#new-ticket button[type=submit]')]);
        left.tickets.push({ subject, url: page.url(), locale });
        await checkPage(page);
        await screenshot(page, `${name}-ticket`);

        await page.goto(`${base}/help`);
        await checkPage(page);
        await screenshot(page, `${name}-help`);
        await page.goto(`${base}/coverage`);
        await checkPage(page);
        await screenshot(page, `${name}-coverage`);
        await page.goto(lineUrl);

        // Change the language from the header: the page follows, and so does the account.
        const other = locale === 'en' ? 'ja' : 'ko';
        await page.selectOption('#lang-select', other);
        await page.locator(`html[lang="${other}"]`).waitFor({ state: 'attached' });
        assert.equal(new URL(page.url()).pathname, new URL(lineUrl).pathname, 'back on the same page');
        await checkPage(page);
        await screenshot(page, `${name}-esim-in-${other}`);
        await page.selectOption('#lang-select', locale);
        await page.locator(`html[lang="${locale}"]`).waitFor({ state: 'attached' });

        if (locale === 'en') {
          // A new phone: bind it, move the number to it (a new eSIM), remove the old phone.
          const oldCode = (await page.textContent('#activation-code')).trim();
          await page.goto(`${base}/app/devices`);
          await page.fill('#f-imei', imei(3));
          await page.fill('#f-label', 'New phone');
          await Promise.all([page.waitForURL('**/app/devices'), page.click('#bind-device button[type=submit]')]);
          await page.goto(lineUrl);
          await page.selectOption('#f-device', { label: `New phone · IMEI ${imei(3)}` });
          await page.click('#move-line button[type=submit]');
          assert.ok((await page.textContent('#e-confirm')).trim().length > 0, 'the move needs a confirmation');
          await page.check('#f-confirm');
          await Promise.all([page.waitForURL(lineUrl), page.click('#move-line button[type=submit]')]);
          assert.notEqual((await page.textContent('#activation-code')).trim(), oldCode, 'a new eSIM');
          assert.equal((await page.textContent('#msisdn')).trim(), msisdn, 'the same number');
          await checkPage(page);
          await screenshot(page, `${name}-moved`);
          await page.goto(`${base}/app/devices`);
          await Promise.all([page.waitForURL('**/app/devices'), page.click('.remove-device')]);
          assert.equal(await page.locator('#device-list > li').count(), 1, 'the old phone is gone');
        }

        // Sign out: back home, and the customer pages ask to sign in again.
        await Promise.all([page.waitForURL(`${base}/`), page.click('#signout')]);
        await page.goto(`${base}/app/inbox`);
        await page.waitForURL('**/signin**');
        await checkPage(page);
      });
    } finally {
      await context.close();
    }
  });
}

/** Signs a staff member in (password, then TOTP, enrolling on first sign-in); returns the page. */
async function staffSignIn(context, { email, password }) {
  const page = await context.newPage();
  await page.goto(`${ks.baseUrl}/admin`);
  await page.waitForURL('**/admin/signin');
  await page.fill('#f-email', email);
  await page.fill('#f-password', password);
  await Promise.all([page.waitForURL('**/admin/totp'), page.click('#admin-signin button[type=submit]')]);
  const secret = (await page.textContent('#totp-secret')).trim();
  await page.fill('#f-code', '000000' === totp(secret) ? '111111' : '000000');
  await page.click('#admin-totp button[type=submit]');
  assert.ok((await page.textContent('#form-error')).trim().length > 0, 'a wrong code is refused');
  await page.fill('#f-code', totp(secret));
  await Promise.all([page.waitForURL(/\/admin$/), page.click('#admin-totp button[type=submit]')]);
  return page;
}

test('the staff console: sign in with TOTP, edit a price, refund, answer a ticket; roles enforced', async () => {
  assert.ok(left.cardOrders.length > 0 && left.tickets.length > 0, 'the traveller journeys ran first');
  const base = ks.baseUrl;
  const context = await desktopContext(browser, { locale: 'en' });
  try {
    const page = await staffSignIn(context, ks.admin);
    await withPage(context, 'admin', async () => {
      await checkPage(page);
      await screenshot(page, 'admin-dashboard');
      // Today's bars: the travellers' top-ups, the lines that used something, the data they used.
      for (const chart of ['chart-topups', 'chart-lines-in-use', 'chart-data']) {
        const tallest = await page.$$eval(`svg[aria-labelledby="${chart}"] rect.bar`, (bars) =>
          Math.max(0, ...bars.map((b) => Number(b.getAttribute('height')))),
        );
        assert.ok(tallest > 0, `${chart} shows today`);
      }

      // Edit a price; the customer's package list shows it.
      await page.goto(`${base}/admin/catalogue`);
      const row = page.locator('#pkg-JP-1GB-3D');
      await row.locator('select[name=currency]').selectOption('USD');
      await row.locator('input[name=amount]').fill('4.20');
      await Promise.all([page.waitForURL('**/admin/catalogue**'), row.locator('button[type=submit]').click()]);
      assert.match(await page.locator('#pkg-JP-1GB-3D .price-USD').textContent(), /4\.20/);
      await checkPage(page);
      await screenshot(page, 'admin-catalogue');
      const list = await (await fetch(`${base}/api/v1/packages?country=JP`)).json();
      const jp = list.find((p) => p.code === 'JP-1GB-3D');
      assert.deepEqual(jp.prices.find((p) => p.currency === 'USD'), { currency: 'USD', amount_minor: 420 });

      // Refund the card order.
      await page.goto(`${base}/admin/orders?method=card`);
      await checkPage(page);
      await screenshot(page, 'admin-orders');
      const orderId = left.cardOrders[0];
      await page.goto(`${base}/admin/orders/${orderId}`);
      await Promise.all([page.waitForURL(`**/admin/orders/${orderId}`), page.click('#refund button[type=submit]')]);
      await page.waitForFunction(() => document.querySelector('#refunds') !== null);
      await checkPage(page);
      await screenshot(page, 'admin-order-refunded');

      // Answer the traveller's ticket.
      await page.goto(`${base}/admin/tickets`);
      const ticket = left.tickets[0];
      await page.click(`text=${ticket.subject}`);
      await page.fill('#f-body', 'Yes: JR trains are covered by every Japanese network.');
      await page.click('#answer button[type=submit]');
      await page.locator('.msg.staff').waitFor();
      await checkPage(page);
      await screenshot(page, 'admin-ticket');

      // The other console pages: labels, contrast, keyboard, no error.
      for (const p of ['/admin/inventory', '/admin/customers', '/admin/jobs', '/admin/staff', '/admin/tickets']) {
        await page.goto(`${base}${p}`);
        await checkPage(page);
      }
      await screenshot(page, 'admin-tickets');

      // Every action above is in the audit log.
      await page.goto(`${base}/admin/audit`);
      for (const action of ['sign_in', 'set_price', 'refund', 'answer_ticket']) {
        assert.ok(await page.locator(`#audit tr[data-action="${action}"]`).count() >= 1, `audited: ${action}`);
      }
      await checkPage(page);
      await screenshot(page, 'admin-audit');
    });
    await page.close();
  } finally {
    await context.close();
  }

  // The traveller sees the answer.
  const traveller = await phoneContext(browser, { locale: 'en' });
  try {
    await withPage(traveller, 'customer-sees-answer', async (page) => {
      await page.goto(`${base}/signin`);
      await page.fill('#f-email', `traveller-${left.tickets[0].locale.toLowerCase()}@example.com`);
      await page.fill('#f-password', 'correct horse battery staple');
      await Promise.all([page.waitForURL('**/app'), page.click('#signin button[type=submit]')]);
      await page.goto(left.tickets[0].url);
      await page.locator('.msg.staff').waitFor();
      assert.equal(await page.getAttribute('#ticket-status', 'class'), 'badge answered');
      // An empty reply is explained next to the field; a real one joins the thread and reopens it.
      await page.click('#reply button[type=submit]');
      assert.ok((await page.textContent('#e-body')).trim().length > 0, 'an empty reply is refused');
      await page.fill('#f-body', 'Thank you! And the ferry to Hokkaido?');
      await Promise.all([page.waitForURL(left.tickets[0].url), page.click('#reply button[type=submit]')]);
      assert.equal(await page.locator('.msg.customer').count(), 2);
      assert.equal(await page.getAttribute('#ticket-status', 'class'), 'badge open');
      await checkPage(page);
      await screenshot(page, 'customer-ticket-reply');
    });
  } finally {
    await traveller.close();
  }

  // Roles: support answers tickets but cannot refund or edit the catalogue; finance cannot answer tickets.
  const support = await ks.createStaff({ email: 'sam@keepsim.test', role: 'support', password: 'support password 1' });
  const finance = await ks.createStaff({ email: 'fin@keepsim.test', role: 'finance', password: 'finance password 1' });
  const supportContext = await desktopContext(browser, { locale: 'en' });
  try {
    const page = await staffSignIn(supportContext, support);
    await withPage(supportContext, 'admin-support-role', async () => {
      const orderId = left.cardOrders[left.cardOrders.length - 1];
      await page.goto(`${base}/admin/orders/${orderId}`);
      assert.equal(await page.locator('#refund').count(), 0, 'no refund form for support');
      // Posting the refund anyway (with a valid CSRF token) is refused and refunds nothing.
      const csrf = await page.getAttribute('input[name=csrf]', 'value');
      const res = await page.request.post(`${base}/admin/orders/${orderId}/refund`, { form: { csrf, amount: '' }, maxRedirects: 0 });
      assert.equal(res.status(), 403);
      const catalogue = await page.goto(`${base}/admin/catalogue`);
      assert.equal(catalogue.status(), 403);
      await screenshot(page, 'admin-support-forbidden');
      const tickets = await page.goto(`${base}/admin/tickets`);
      assert.equal(tickets.status(), 200);
    });
    await page.close();
  } finally {
    await supportContext.close();
  }
  const financeContext = await desktopContext(browser, { locale: 'en' });
  try {
    const page = await staffSignIn(financeContext, finance);
    await withPage(financeContext, 'admin-finance-role', async () => {
      const tickets = await page.goto(`${base}/admin/tickets`);
      assert.equal(tickets.status(), 403);
      const orders = await page.goto(`${base}/admin/orders`);
      assert.equal(orders.status(), 200);
    });
    await page.close();
  } finally {
    await financeContext.close();
  }
});

/** The newest link to `page` in an email keepsim wrote to its outbox (no SMTP server configured). */
async function linkFromOutbox(page) {
  const outbox = path.join(ks.dataDir, 'outbox');
  for (let i = 0; i < 100; i++) {
    const files = fs.existsSync(outbox) ? fs.readdirSync(outbox).filter((f) => f.endsWith('.eml')).sort() : [];
    for (const f of files.reverse()) {
      const raw = fs.readFileSync(path.join(outbox, f), 'utf8');
      const split = raw.search(/\r?\n\r?\n/);
      const [head, body] = [raw.slice(0, split), raw.slice(split).trim()];
      // The body as sent: base64 (non-ASCII text, e.g. Chinese) or quoted-printable.
      const text = /content-transfer-encoding:\s*base64/i.test(head)
        ? Buffer.from(body, 'base64').toString('utf8')
        : body.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
      const m = text.match(new RegExp(`https?://\\S+/${page}\\?token=[A-Za-z0-9_-]+`));
      if (m) return m[0];
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no ${page} link in ${outbox}`);
}

test('a traveller who forgot the password sets a new one from the emailed link, on a phone', async () => {
  const context = await phoneContext(browser, { locale: 'zh-CN' });
  try {
    await withPage(context, 'forgot-password', async (page) => {
      const email = 'traveller-zh-cn@example.com';
      await page.goto(`${ks.baseUrl}/signin`);
      await Promise.all([page.waitForURL('**/forgot-password'), page.click('#forgot-link')]);
      await checkPage(page);
      await page.fill('#f-email', email);
      await page.click('#forgot button[type=submit]');
      await page.locator('#notice').waitFor();
      await screenshot(page, 'forgot-password-sent');
      await page.goto(await linkFromOutbox('reset-password'));
      await checkPage(page);
      await page.fill('#f-password', 'short');
      await page.click('#reset button[type=submit]');
      assert.ok((await page.textContent('#e-password')).trim().length > 0, 'a weak password is explained');
      await page.fill('#f-password', 'a brand new passphrase');
      await Promise.all([page.waitForURL('**/signin?reset=done'), page.click('#reset button[type=submit]')]);
      await page.locator('#notice').waitFor();
      await page.fill('#f-email', email);
      await page.fill('#f-password', 'a brand new passphrase');
      await Promise.all([page.waitForURL('**/app'), page.click('#signin button[type=submit]')]);
      await checkPage(page);
      await screenshot(page, 'forgot-password-signed-in');
    });
  } finally {
    await context.close();
  }
});
