// A shopper arrives on a product from an Instagram link, picks a size, adds it to the
// cart, creates an account, checks out with the test card and finds the order in the
// account; the order carries the link's UTM parameters. Also: the same purchase with
// scripts turned off, the weight of the storefront's scripts, and keyboard focus on
// "Add to cart".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  screenshots,
  scriptBudgetBytes,
  scriptWeight,
  open,
  shows,
  staffApi,
  watchPage,
} from './support/browser.mjs';
import { useSite } from './support/site.mjs';
import { addToCart, checkOut, demoProduct, signUp } from './support/storefront.mjs';

const folder = 'shopper-journey';

const site = useSite(folder);

test('from an Instagram link to the order in the account, with the campaign recorded', async () => {
  const context = await site.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const problems = watchPage(page);
  const shots = (name) => screenshots(page, folder, name);

  await open(page, `/products/${demoProduct.handle}?utm_source=instagram&utm_medium=social&utm_campaign=launch`, 'the product page');
  await shows(page.getByRole('heading', { level: 1, name: demoProduct.title }), 'the product title');
  await shots('product');
  await addToCart(page, demoProduct.variant);
  await open(page, '/cart', 'the cart');
  await shows(page.getByRole('rowheader', { name: new RegExp(demoProduct.title) }), 'the cart line');
  await shots('cart');

  const email = 'camille@example.com';
  await signUp(page, { name: 'Camille Martin', email, password: 'a long enough password 42' });
  await open(page, '/cart', 'the cart');
  await shows(page.getByRole('rowheader', { name: new RegExp(demoProduct.title) }), 'the cart line after sign-up');

  const orderId = await checkOut(page, { email, shots });
  await shots('confirmation');
  await shows(page.getByText(`#${orderId}`), 'the order number');

  await open(page, '/account', 'the account page');
  await shows(page.getByRole('heading', { level: 1, name: 'Your account' }), 'the account page');
  await shows(page.getByRole('link', { name: `#${orderId}` }), `order #${orderId} in the account`);
  await shots('account');
  assert.deepEqual(problems, []);
  await context.close();

  const api = await staffApi(site.base);
  try {
    const order = await api.get(`/orders/${orderId}`);
    assert.equal(order.attribution?.utm_source, 'instagram', `order attribution: ${JSON.stringify(order.attribution)}`);
    assert.equal(order.attribution?.utm_medium, 'social');
    assert.equal(order.attribution?.utm_campaign, 'launch');
  } finally {
    await api.dispose();
  }
});

test('a guest who creates an account from the confirmation finds the order in it', async () => {
  const context = await site.newContext();
  const page = await context.newPage();
  const email = 'guest@example.com';
  await open(page, `/products/${demoProduct.handle}?utm_source=instagram`, 'the product page');
  await addToCart(page, demoProduct.variant);
  const orderId = await checkOut(page, { email });
  await page.getByRole('link', { name: 'Create an account' }).click();
  await page.getByLabel('Name').fill('Guest Shopper');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill('a long enough password 42');
  await page.getByRole('button', { name: 'Create account' }).click();
  await open(page, '/account', 'the account page');
  const listed = await page.getByRole('link', { name: `#${orderId}` }).count();
  assert.equal(
    listed,
    1,
    `order #${orderId}, placed as a guest with ${email} in this browser, is not in the account this browser then ` +
      `created with that e-mail from the confirmation's "Create an account" link`,
  );
  await context.close();
});

test('with scripts off the shopper can still add to cart and reach checkout', async () => {
  const context = await site.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await open(page, `/products/${demoProduct.handle}`, 'the product page');
  await addToCart(page, demoProduct.variant);
  await open(page, '/cart', 'the cart');
  await shows(page.getByRole('rowheader', { name: new RegExp(demoProduct.title) }), 'the cart line');
  await page.getByRole('button', { name: 'Check out' }).click();
  await shows(page.getByLabel('E-mail'), 'the checkout contact step');
  assert.match(new URL(page.url()).pathname, /^\/checkout/);
  await context.close();
});

test(`the storefront's scripts weigh at most ${scriptBudgetBytes / 1024} KB gzipped`, async () => {
  const context = await site.newContext();
  for (const path of ['/', `/products/${demoProduct.handle}`, '/cart']) {
    const weight = await scriptWeight(context, path);
    const list = weight.scripts.map((s) => `${s.url} ${s.gzipped} B`).join(', ');
    assert.ok(weight.total <= scriptBudgetBytes, `${path} loads ${weight.total} B of gzipped scripts: ${list}`);
  }
  await context.close();
});

test('Tab reaches "Add to cart" and it shows a visible focus outline', async () => {
  const context = await site.newContext();
  const page = await context.newPage();
  await open(page, `/products/${demoProduct.handle}`, 'the product page');
  const button = page.getByRole('button', { name: 'Add to cart' });
  let reached = false;
  for (let i = 0; i < 40 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await button.evaluate((element) => element === document.activeElement);
  }
  assert.ok(reached, 'forty presses of Tab never reached "Add to cart"');
  const outline = await button.evaluate((element) => {
    const style = getComputedStyle(element);
    return { style: style.outlineStyle, width: style.outlineWidth };
  });
  assert.notEqual(outline.style, 'none', '"Add to cart" has no focus outline');
  assert.notEqual(outline.width, '0px', '"Add to cart" has a zero-width focus outline');
  await screenshots(page, folder, 'add-to-cart-focused');
  await context.close();
});
