// Hostile merchant data and hostile URLs render inert: a product named
// <script>alert(1)</script>, with attribute-breaking vendor, alt text and SEO title,
// created through the admin API, is shown as text on every page that shows it, and
// no dialog ever opens.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { logInToAdmin, open, shows, staffApi, watchPage } from './support/browser.mjs';
import { useSite } from './support/site.mjs';

const folder = 'xss';
const hostile = {
  title: '<script>alert(1)</script>',
  vendor: '" autofocus onfocus="alert(2)',
  description: '<p>Soft <img src=x onerror=alert(3)> and <a href="javascript:alert(4)">kind</a></p>',
  alt: '"><svg onload=alert(5)>',
  seoTitle: '</title><script>alert(6)</script>',
};
const handle = 'hostile-probe';

const site = useSite(folder, async () => {
  const api = await staffApi(site.base);
  try {
    const product = await api.post('/products', {
      handle,
      title: hostile.title,
      vendor: hostile.vendor,
      description_html: hostile.description,
      seo_title: hostile.seoTitle,
      tags: [hostile.title],
      status: 'active',
      channels: ['online_store'],
      option_names: ['Size'],
      variants: [{ option_values: [hostile.alt], sku: 'HOSTILE-1' }],
      media: [{ url: 'http://127.0.0.1:9/probe.png', alt: hostile.alt }],
    });
    const markets = await api.get('/markets');
    const list = Array.isArray(markets) ? markets : markets.markets ?? markets.items;
    const eu = list.find((market) => market.handle === 'eu');
    await api.put(`/markets/${eu.id}/prices`, { prices: [{ variant_id: product.variants[0].id, amount: 1500 }] });
  } finally {
    await api.dispose();
  }
});

// No executable script in the page mentions alert(; JSON-LD blocks hold no raw "<".
async function assertInert(page, where) {
  const scripts = await page.evaluate(() =>
    [...document.querySelectorAll('script')].map((s) => ({ type: s.type, src: s.src, text: s.textContent })),
  );
  for (const script of scripts) {
    if (script.type === 'application/ld+json') {
      assert.ok(!script.text.includes('<'), `${where}: a JSON-LD block contains a raw "<": ${script.text.slice(0, 200)}`);
    } else {
      assert.ok(!script.text.includes('alert('), `${where}: an executable script holds merchant text: ${script.text}`);
    }
  }
  const handlers = await page.evaluate(() =>
    [...document.querySelectorAll('*')].flatMap((element) =>
      [...element.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${element.tagName} ${a.name}`),
    ),
  );
  assert.deepEqual(handlers, [], `${where}: elements carry event-handler attributes`);
}

test('the hostile product renders as text on the storefront', async () => {
  const context = await site.newContext();
  const page = await context.newPage();
  const problems = watchPage(page);

  await open(page, `/products/${handle}`, 'the hostile product page');
  await shows(page.getByRole('heading', { level: 1, name: hostile.title, exact: true }), 'the title as text');
  assert.ok((await page.title()).includes(hostile.seoTitle), `the document title is "${await page.title()}"`);
  assert.equal(await page.locator('.gallery img').first().getAttribute('alt'), hostile.alt);
  await assertInert(page, 'product page');

  await open(page, '/', 'home');
  await assertInert(page, 'home');
  await open(page, `/search?q=${encodeURIComponent(hostile.title)}`, 'search');
  await shows(page.getByRole('heading', { level: 1, name: `Results for “${hostile.title}”` }), 'the query as text');
  await assertInert(page, 'search');

  // A hostile path echoed by the not-found page.
  await page.goto(`/products/${encodeURIComponent('<img src=x onerror=alert(7)>')}`);
  await page.goto(`/no/${encodeURIComponent('<script>alert(8)</script>')}`);
  await assertInert(page, 'not-found page');
  assert.deepEqual(problems, [], 'a dialog opened or a page error was thrown');
  await context.close();
});

test('the hostile product renders as text in the admin', async () => {
  const context = await site.newContext();
  const page = await context.newPage();
  const problems = watchPage(page);
  await logInToAdmin(page);
  await open(page, '/admin/products', 'the admin product list');
  const link = page.getByRole('link', { name: hostile.title, exact: true });
  await shows(link, 'the hostile product in the admin list');
  await assertInert(page, 'admin product list');
  await link.click();
  await shows(page.getByLabel('Title'), 'the product form');
  assert.equal(await page.getByLabel('Title').inputValue(), hostile.title);
  assert.equal(await page.getByLabel('Vendor').inputValue(), hostile.vendor);
  await assertInert(page, 'admin product form');
  assert.deepEqual(problems, [], 'a dialog opened or a page error was thrown');
  await context.close();
});
