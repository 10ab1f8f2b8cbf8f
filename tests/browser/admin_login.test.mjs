// The staff log-in page in a real browser: it renders under its CSP, passes axe, is
// operable from the keyboard with a visible focus, refuses a wrong password next to the
// form and lets the demo owner in.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkAccessibility, screenshots, watchPage } from './support/browser.mjs';
import { useSite } from './support/site.mjs';
import { demo } from './support/plaza.mjs';

const folder = 'admin-login';

const site = useSite(folder);

test('the log-in page is served with a CSP without inline scripts', async () => {
  const context = await site.newContext();
  const page = await context.newPage();
  const response = await page.goto('/admin/login');
  assert.equal(response.status(), 200);
  const policy = response.headers()['content-security-policy'];
  assert.ok(policy, 'no Content-Security-Policy header');
  assert.match(policy, /script-src 'self'/);
  assert.doesNotMatch(policy, /unsafe-inline/);
  await assert.doesNotReject(page.getByRole('heading', { level: 1, name: 'Staff log-in' }).waitFor());
  const css = await page.request.get(await page.locator('link[rel=stylesheet]').getAttribute('href'));
  assert.equal(css.status(), 200);
  assert.match(css.headers()['content-type'], /text\/css/);
  await context.close();
});

test('the log-in page has no serious or critical axe violation and a visible keyboard focus', async () => {
  const context = await site.newContext();
  const page = await context.newPage();
  await page.goto('/admin/login');
  await checkAccessibility(page, 'the staff log-in page');
  await screenshots(page, folder, 'login');

  const button = page.getByRole('button', { name: 'Log in' });
  let reached = false;
  for (let i = 0; i < 10 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await button.evaluate((element) => element === document.activeElement);
  }
  assert.ok(reached, 'Tab never reached the Log in button');
  const outline = await button.evaluate((element) => {
    const style = getComputedStyle(element);
    return { style: style.outlineStyle, width: style.outlineWidth };
  });
  assert.notEqual(outline.style, 'none', 'the focused Log in button has no outline');
  assert.notEqual(outline.width, '0px', 'the focused Log in button has a zero-width outline');
  await context.close();
});

test('a wrong password is refused with an alert and the demo owner gets in', async () => {
  const context = await site.newContext();
  const page = await context.newPage();
  const problems = watchPage(page);
  await page.goto('/admin/login');
  await page.getByLabel('Shop').fill(demo.shop);
  await page.getByLabel('E-mail').fill(demo.email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await assert.doesNotReject(page.getByRole('alert').filter({ hasText: 'do not match' }).waitFor());
  assert.equal(await page.getByLabel('E-mail').inputValue(), demo.email, 'the e-mail was not kept');
  await screenshots(page, folder, 'login-refused');

  await page.getByLabel('Password').fill(demo.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((url) => url.pathname === '/admin');
  const cookies = await context.cookies();
  const session = cookies.find((cookie) => cookie.name === 'plaza_staff');
  assert.ok(session, 'no staff session cookie after log-in');
  assert.ok(session.httpOnly, 'the staff session cookie is readable by scripts');
  assert.deepEqual(problems, []);
  await context.close();
});
