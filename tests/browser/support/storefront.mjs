// The shopper's steps on the storefront, by the names a person reads on the page.
import { open, shows } from './browser.mjs';

// A demo product with two sizes and stock in both (app/demo/aurelle-products.csv).
export const demoProduct = Object.freeze({
  handle: 'gel-foaming-cleanser',
  title: 'Clarifying Gel Cleanser',
  variant: '300 ml',
});

export const testCard = Object.freeze({ number: '4242424242424242', month: '12', year: '2031', cvc: '123' });

export const address = Object.freeze({
  name: 'Camille Martin',
  line1: '12 rue des Lilas',
  city: 'Lyon',
  postalCode: '69003',
  country: 'FR',
});

// On a product page: picks the variant (when the product has several) and adds it.
export async function addToCart(page, variant) {
  if (variant) await page.getByRole('radio', { name: variant }).check();
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.waitForLoadState();
}

// From the cart through every checkout step to the confirmation; returns the order number.
export async function checkOut(page, { email, shots } = {}) {
  await open(page, '/cart', 'the cart');
  await page.getByRole('button', { name: 'Check out' }).click();

  await page.getByLabel('E-mail').fill(email);
  if (shots) await shots('checkout-contact');
  await page.getByRole('button', { name: 'Continue to address' }).click();

  await page.getByLabel('Full name').fill(address.name);
  await page.getByLabel('Address', { exact: true }).fill(address.line1);
  await page.getByLabel('City').fill(address.city);
  await page.getByLabel('Postal code').fill(address.postalCode);
  await page.getByLabel('Country').selectOption(address.country);
  await page.getByRole('button', { name: 'Continue to shipping' }).click();

  await shows(page.getByRole('group', { name: 'Shipping method' }).getByRole('radio'), 'a shipping method');
  if (shots) await shots('checkout-shipping');
  await page.getByRole('button', { name: 'Continue to payment' }).click();

  await page.getByLabel('Card number').fill(testCard.number);
  await page.getByLabel('Expiry month (MM)').fill(testCard.month);
  await page.getByLabel('Expiry year (YYYY)').fill(testCard.year);
  await page.getByLabel('Security code (CVC)').fill(testCard.cvc);
  if (shots) await shots('checkout-payment');
  await page.getByRole('button', { name: 'Place order' }).click();

  await shows(page.getByRole('heading', { level: 1, name: 'Thank you for your order' }), 'the order confirmation');
  const match = /\/checkout\/orders\/(\d+)/.exec(page.url());
  if (!match) throw new Error(`the confirmation is at ${page.url()}, not /checkout/orders/{id}`);
  return Number(match[1]);
}

export async function signUp(page, { name, email, password }) {
  await open(page, '/account/signup', 'the sign-up page');
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForLoadState();
}
