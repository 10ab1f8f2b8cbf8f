// Changing the market in the header changes the currency, the price and the delivery
// promise on the product page, with scripts (the select submits itself) and without
// (the "Change" button).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { open, screenshots, shows, watchPage } from './support/browser.mjs';
import { useSite } from './support/site.mjs';
import { demoProduct } from './support/storefront.mjs';

const folder = 'market-switch';

const site = useSite(folder);

async function offer(page) {
  await shows(page.locator('.price [data-price]'), 'the price');
  await shows(page.locator('p.promise'), 'the delivery promise');
  return {
    price: (await page.locator('.price [data-price]').first().textContent()).trim(),
    promise: (await page.locator('p.promise').first().textContent()).trim(),
    market: await page.getByLabel('Ship to').inputValue(),
  };
}

async function switchMarket(page, label, { scripts }) {
  const select = page.getByLabel('Ship to');
  const [handle] = await select.selectOption({ label });
  const chosen = (url) => url.searchParams.get('market') === handle;
  // With scripts the select submits its form on change; without, the button does.
  if (!scripts) await page.getByRole('button', { name: 'Change' }).click();
  await page.waitForURL(chosen);
}

for (const scripts of [true, false]) {
  test(`the market switch changes currency, price and delivery promise (scripts ${scripts ? 'on' : 'off'})`, async () => {
    const context = await site.newContext({ javaScriptEnabled: scripts });
    const page = await context.newPage();
    const problems = watchPage(page);
    await open(page, `/products/${demoProduct.handle}`, 'the product page');

    const eu = await offer(page);
    assert.equal(eu.market, 'eu', 'the default market is not the EU');
    assert.match(eu.price, /€/, `the EU price "${eu.price}" is not in euros`);
    assert.match(eu.promise, /^Arrives (between|on)/);
    if (scripts) await screenshots(page, folder, 'product-eu');

    await switchMarket(page, 'United Kingdom (GBP)', { scripts });
    const uk = await offer(page);
    assert.equal(uk.market, 'uk');
    assert.match(uk.price, /£/, `the UK price "${uk.price}" is not in pounds`);
    assert.notEqual(uk.promise, eu.promise, 'the delivery promise did not change with the market');
    assert.match(uk.promise, /United Kingdom/);
    if (scripts) await screenshots(page, folder, 'product-uk');

    await switchMarket(page, 'United States (USD)', { scripts });
    const us = await offer(page);
    assert.equal(us.market, 'us');
    assert.match(us.price, /\$/, `the US price "${us.price}" is not in dollars`);
    assert.notEqual(us.promise, uk.promise);
    await shows(page.getByText('Tax excluded; added at checkout.'), 'the US tax note');

    // The choice is kept for the rest of the visit.
    await open(page, `/products/${demoProduct.handle}`, 'the product page');
    assert.equal((await offer(page)).market, 'us', 'the market choice was not kept');
    assert.deepEqual(problems, []);
    await context.close();
  });
}
