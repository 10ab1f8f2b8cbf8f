// Debian's Chromium driven by playwright-core, and the checks every page test shares:
// screenshots at phone and desktop widths, axe-core, the weight of the storefront's
// scripts, and a staff session for the REST API.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, request as apiRequest } from 'playwright-core';
import { artifactDir, demo } from './plaza.mjs';

const require = createRequire(import.meta.url);
const axeScript = require.resolve('axe-core/axe.min.js');

export const viewports = Object.freeze({
  phone: { width: 390, height: 844 },
  desktop: { width: 1280, height: 800 },
});

// The storefront's scripts, gzipped, may weigh this much in total (issue: quality bars).
export const scriptBudgetBytes = 30 * 1024;

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.PLAZA_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    // Chromium's sandbox cannot start as root (CI runs as root); elsewhere keep it.
    chromiumSandbox: process.getuid?.() !== 0,
    // No background connections: the machine has no network beyond loopback.
    args: [
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

// A context on the test's server. Waits are bounded so that a missing element fails the
// test, with room for a loaded 2-core machine.
export async function newContext(browser, base, options = {}) {
  const context = await browser.newContext({ baseURL: base, viewport: viewports.desktop, ...options });
  context.setDefaultTimeout(30000);
  return context;
}

// Full-page screenshots of the current page at both widths, restoring the viewport after.
export async function screenshots(page, folder, name) {
  const dir = await artifactDir(folder);
  const original = page.viewportSize();
  for (const [label, size] of Object.entries(viewports)) {
    await page.setViewportSize(size);
    await page.screenshot({ path: join(dir, `${name}-${label}.png`), fullPage: true });
  }
  if (original) await page.setViewportSize(original);
}

// axe-core on the current page; throws listing every serious or critical violation.
//
// The pages' Content-Security-Policy allows scripts from 'self' only, which blocks the
// inline script addScriptTag writes. Then the same URL is opened once more in a second
// context that bypasses CSP (kept per context, with the first one's cookies copied in
// before each run) and axe runs there: it reads the DOM, which the policy does not change.
const axeContexts = new WeakMap();

async function axePageFor(page) {
  const context = page.context();
  let entry = axeContexts.get(context);
  if (!entry) {
    const extra = await context.browser().newContext({ bypassCSP: true, viewport: viewports.desktop });
    entry = { context: extra, page: await extra.newPage() };
    axeContexts.set(context, entry);
    context.on('close', () => extra.close().catch(() => {}));
  }
  await entry.context.clearCookies();
  await entry.context.addCookies(await context.cookies());
  await entry.page.setViewportSize(page.viewportSize() ?? viewports.desktop);
  await entry.page.goto(page.url());
  await entry.page.addScriptTag({ path: axeScript });
  return entry.page;
}

export async function checkAccessibility(page, label) {
  let target = page;
  try {
    await page.addScriptTag({ path: axeScript });
    if (!(await page.evaluate(() => typeof window.axe === 'object'))) throw new Error('axe did not load');
  } catch {
    target = await axePageFor(page);
  }
  const results = await target.evaluate(async () =>
    window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    }),
  );
  const blocking = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (blocking.length > 0) {
    const lines = blocking.map(
      (v) => `  ${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    at ${n.target.join(' ')}`).join('\n')}`,
    );
    throw new Error(
      `axe found ${blocking.length} serious or critical violation(s) on ${label} (${page.url()}):\n${lines.join('\n')}`,
    );
  }
  return results;
}

// Loads `path` and returns the scripts it loaded with their gzipped sizes.
export async function scriptWeight(context, path) {
  const page = await context.newPage();
  const scripts = [];
  page.on('response', (response) => {
    if (response.request().resourceType() === 'script') scripts.push(response);
  });
  await page.goto(path, { waitUntil: 'load' });
  const sizes = [];
  for (const response of scripts) {
    const body = await response.body();
    sizes.push({ url: response.url(), gzipped: gzipSync(body, { level: 9 }).length });
  }
  await page.close();
  return { scripts: sizes, total: sizes.reduce((sum, s) => sum + s.gzipped, 0) };
}

// Records, for the test to assert on, every uncaught page error and every dialog (dismissed).
export function watchPage(page) {
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('dialog', async (dialog) => {
    problems.push(`dialog opened: ${dialog.type()} "${dialog.message()}"`);
    await dialog.dismiss();
  });
  return problems;
}

// The REST API as the demo owner: cookie session and CSRF header.
export async function staffApi(base) {
  const api = await apiRequest.newContext({ baseURL: base });
  const login = await api.post(`/api/v1/shops/${demo.shop}/staff/session`, {
    data: { email: demo.email, password: demo.password },
  });
  if (!login.ok()) throw new Error(`staff log-in through the API answered ${login.status()}: ${await login.text()}`);
  const session = await login.json();
  const headers = { 'X-CSRF-Token': session.csrf_token };
  const call = async (method, path, data) => {
    const response = await api.fetch(`/api/v1/shops/${demo.shop}${path}`, { method, data, headers });
    const text = await response.text();
    if (!response.ok()) throw new Error(`${method} ${path} answered ${response.status()}: ${text}`);
    return text ? JSON.parse(text) : null;
  };
  return {
    get: (path) => call('GET', path),
    post: (path, data) => call('POST', path, data),
    put: (path, data) => call('PUT', path, data),
    dispose: () => api.dispose(),
  };
}

// Logs the demo owner in through the admin's log-in form.
export async function logInToAdmin(page) {
  await page.goto('/admin/login');
  await page.getByLabel('Shop').fill(demo.shop);
  await page.getByLabel('E-mail').fill(demo.email);
  await page.getByLabel('Password').fill(demo.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((url) => url.pathname !== '/admin/login');
}

// Waits for `locator` to be visible; fails naming what the page should have shown.
export async function shows(locator, what) {
  try {
    await locator.first().waitFor({ state: 'visible' });
  } catch (error) {
    const page = locator.page();
    const heading = await page
      .locator('h1')
      .first()
      .textContent({ timeout: 1000 })
      .catch(() => '(no h1)');
    throw new Error(`${what} is not on ${page.url()} (its h1 reads "${heading?.trim()}"): ${error.message.split('\n')[0]}`);
  }
}

// Navigates to `path` and fails naming the page when it does not answer 2xx.
export async function open(page, path, what) {
  const response = await page.goto(path);
  const status = response?.status() ?? 0;
  if (status < 200 || status >= 300) {
    throw new Error(`${what} (${path}) answered ${status}: the page is missing or broken`);
  }
  return response;
}
