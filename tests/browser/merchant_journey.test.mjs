// The merchant runs the shop from the admin: creates a product and sees it on the
// storefront, sets its stock to 0 and sees "Out of stock" with no way to buy it, sells
// the last unit, then refunds that order with a restock and sees the unit come back.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { logInToAdmin, open, screenshots, shows, watchPage } from './support/browser.mjs';
import { useSite } from './support/site.mjs';
import { addToCart, checkOut } from './support/storefront.mjs';

const folder = 'merchant-journey';
const product = Object.freeze({ title: 'Rosehip Night Oil', handle: 'rosehip-night-oil', sku: 'AUR-RNO-30', price: '24.00' });

const site = useSite(folder);

async function setStock(admin, itemUrl, quantity) {
  await open(admin, itemUrl, 'the inventory item page');
  await admin.getByLabel('New on-hand quantity').fill(String(quantity));
  await admin.getByRole('button', { name: 'Set stock' }).click();
  await shows(admin.getByText(`Available in total: ${quantity}`), `${quantity} available on the item page`);
}

async function productState(shop) {
  await open(shop, `/products/${product.handle}`, 'the new product on the storefront');
  await shows(shop.getByRole('heading', { level: 1, name: product.title }), 'the product title');
  return {
    stock: (await shop.locator('[data-availability]').first().textContent()).trim(),
    buyable: await shop.getByRole('button', { name: 'Add to cart' }).isEnabled(),
  };
}

test('create a product, sell out, refund with restock: the storefront follows', async () => {
  const staff = await site.newContext();
  const admin = await staff.newPage();
  const shopper = await site.newContext();
  const shop = await shopper.newPage();
  const problems = watchPage(admin);
  const shopProblems = watchPage(shop);

  // The product, created in the admin.
  await logInToAdmin(admin);
  await open(admin, '/admin/products/new', 'the admin new-product page');
  await admin.getByLabel('Title').fill(product.title);
  await admin.getByLabel('Handle').fill(product.handle);
  await admin.getByLabel('Status').selectOption('active');
  await admin.getByLabel('Online store').check();
  await admin.getByLabel('SKU').fill(product.sku);
  await admin.getByLabel('Price in European Union (EUR)').fill(product.price);
  await screenshots(admin, folder, 'admin-new-product');
  await admin.getByRole('button', { name: 'Create product' }).click();
  await admin.waitForURL(/\/admin\/products\/\d+/);
  const manageStock = admin.getByRole('link', { name: 'Manage stock' });
  await shows(manageStock, 'the "Manage stock" link of the saved product');
  const itemUrl = new URL(await manageStock.getAttribute('href'), site.base).pathname;

  // On the storefront, with stock.
  await setStock(admin, itemUrl, 1);
  await screenshots(admin, folder, 'admin-inventory-item');
  let state = await productState(shop);
  assert.match(await shop.locator('.price [data-price]').first().textContent(), /24[.,]00/);
  assert.notEqual(state.stock, 'Out of stock');
  assert.ok(state.buyable, 'with stock, "Add to cart" is disabled');

  // Stock to 0: out of stock and no way to buy.
  await setStock(admin, itemUrl, 0);
  state = await productState(shop);
  assert.equal(state.stock, 'Out of stock');
  assert.ok(!state.buyable, 'out of stock, "Add to cart" can still be pressed');
  await screenshots(shop, folder, 'product-out-of-stock');

  // One unit back, sold to a shopper: out of stock again.
  await setStock(admin, itemUrl, 1);
  await productState(shop);
  await addToCart(shop);
  const orderId = await checkOut(shop, { email: 'buyer@example.com' });
  state = await productState(shop);
  assert.equal(state.stock, 'Out of stock', 'the last unit was sold but the product is still offered');
  assert.ok(!state.buyable);

  // The order refunded with a restock: the unit comes back.
  await open(admin, `/admin/orders/${orderId}`, 'the admin order page');
  await shows(admin.getByRole('heading', { level: 1, name: new RegExp(`#${orderId}`) }), 'the order heading');
  await screenshots(admin, folder, 'admin-order');
  await admin.getByLabel('Cancel the order and put its items back in stock').check();
  await admin.getByRole('button', { name: 'Refund', exact: true }).click();
  await admin.waitForLoadState();
  await shows(admin.getByRole('status'), 'a notice after the refund');
  await open(admin, itemUrl, 'the inventory item page');
  await shows(admin.getByText('Available in total: 1'), 'the restocked unit on the item page');
  state = await productState(shop);
  assert.notEqual(state.stock, 'Out of stock', 'the refunded unit did not come back on the storefront');
  assert.ok(state.buyable, 'after the restock, "Add to cart" is disabled');

  assert.deepEqual(problems, []);
  assert.deepEqual(shopProblems, []);
  await staff.close();
  await shopper.close();
});
