// axe-core on the storefront's and the admin's main pages: no serious or critical
// violation. Each page is one test, so a failure names the page; the key pages are
// also kept as screenshots at phone and desktop widths.
//
// These contexts exist for the axe runs only, so they bypass the pages' CSP and axe is
// injected into the page itself (support/browser.mjs explains why it must be).
import { test } from 'node:test';
import { checkAccessibility, logInToAdmin, open, screenshots, shows } from './support/browser.mjs';
import { useSite } from './support/site.mjs';
import { addToCart, demoProduct, signUp } from './support/storefront.mjs';

const folder = 'accessibility';
let shopper;
let staff;

const site = useSite(folder, async () => {
  shopper = await (await site.newContext({ bypassCSP: true })).newPage();
  staff = await (await site.newContext({ bypassCSP: true })).newPage();
});

async function check(page, path, what, { shoot = true, prepare } = {}) {
  if (prepare) await prepare(page);
  else await open(page, path, what);
  if (shoot) await screenshots(page, folder, what.replace(/[^a-z0-9]+/gi, '-').toLowerCase());
  await checkAccessibility(page, what);
}

test('home', () => check(shopper, '/', 'home'));

test('collection', () =>
  check(shopper, null, 'collection', {
    prepare: async (page) => {
      await open(page, '/', 'home');
      const link = page.getByRole('navigation', { name: 'Collections' }).getByRole('link').first();
      await shows(link, 'a collection link on the home page');
      await link.click();
      await shows(page.getByRole('heading', { level: 1 }), 'the collection heading');
    },
  }));

test('search', () => check(shopper, '/search?q=cleanser', 'search', { shoot: false }));

test('product', () => check(shopper, `/products/${demoProduct.handle}`, 'product'));

test('cart', () =>
  check(shopper, null, 'cart', {
    prepare: async (page) => {
      await open(page, `/products/${demoProduct.handle}`, 'the product page');
      await addToCart(page, demoProduct.variant);
      await open(page, '/cart', 'the cart');
    },
  }));

test('checkout', () =>
  check(shopper, null, 'checkout', {
    prepare: async (page) => {
      await open(page, '/cart', 'the cart');
      await page.getByRole('button', { name: 'Check out' }).click();
      await shows(page.getByLabel('E-mail'), 'the checkout contact step');
    },
  }));

test('account log-in', () => check(shopper, '/account/login', 'account log-in', { shoot: false }));

test('account', () =>
  check(shopper, null, 'account', {
    prepare: async (page) => {
      await signUp(page, { name: 'Ada Lovelace', email: 'ada@example.com', password: 'a long enough password 42' });
      await open(page, '/account', 'the account page');
    },
  }));

test('policies', () => check(shopper, '/policies/shipping', 'shipping policy', { shoot: false }));

// The community pages, on the demo's seeded community (app/src/demo_community.cpp).
const socialPages = [
  ['/feed', 'community feed', true],
  ['/feed?tab=discover', 'community discover', false],
  ['/people/maya.glows', 'creator profile', true],
  ['/hashtags/glowroutine', 'hashtag', false],
  ['/groups', 'groups', true],
  ['/ideas', 'ideas', false],
];

for (const [path, what, shoot] of socialPages) {
  test(what, () => check(shopper, path, what, { shoot }));
}

test('post', () =>
  check(shopper, null, 'post', {
    prepare: async (page) => {
      await open(page, '/people/maya.glows', 'the creator profile');
      const hrefs = await page.locator('a[href^="/posts/"]').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
      const path = hrefs.map((href) => href.split(/[?#]/)[0]).find((href) => /^\/posts\/\d+$/.test(href));
      if (!path) throw new Error(`the creator profile links no post (links: ${hrefs.join(', ') || 'none'})`);
      await open(page, path, 'the post page');
    },
  }));

const adminPages = [
  ['/admin', 'admin dashboard', true],
  ['/admin/products', 'admin products', false],
  ['/admin/products/new', 'admin new product', false],
  ['/admin/inventory', 'admin inventory', false],
  ['/admin/orders', 'admin orders', true],
  ['/admin/promotions', 'admin promotions', false],
  ['/admin/settings', 'admin settings', false],
];

test('admin log-in', () => logInToAdmin(staff));

for (const [path, what, shoot] of adminPages) {
  test(what, () => check(staff, path, what, { shoot }));
}
