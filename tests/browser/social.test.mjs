// The community as customers use it, on the demo shop's seeded community (app/src/
// demo_community.cpp): a new customer follows the demo creator, finds her shoppable post
// in the feed and buys the product it tags; a buyer whose order was delivered reviews the
// product with a photo and the review says "Verified buyer"; a comment with the word the
// demo's keyword rule masks shows masked.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32, deflateSync } from 'node:zlib';
import { open, screenshots, shows, staffApi, watchPage } from './support/browser.mjs';
import { useSite } from './support/site.mjs';
import { addToCart, checkOut, demoProduct, signUp } from './support/storefront.mjs';

const folder = 'social';
// The seeded creator and the word her shop masks (app/src/demo_community.h).
const creator = Object.freeze({ handle: 'maya.glows', name: 'Maya Okafor' });
const maskedWord = 'spoiler';
const password = 'a long enough password 42';

const site = useSite(folder);

// A customer account with its community profile, made through the pages.
async function joinCommunity(page, { name, email, handle }) {
  await signUp(page, { name, email, password });
  await open(page, '/account/profile/new?next=/feed', 'the profile creation page');
  await page.getByLabel('Handle').fill(handle);
  await page.getByLabel('Name shown on your posts').fill(name);
  await page.getByRole('button', { name: 'Create profile' }).click();
  await page.waitForURL((url) => url.pathname === '/feed');
}

// The path of the first post a page links, e.g. "/posts/12".
async function firstPostPath(page) {
  const hrefs = await page.locator('a[href^="/posts/"]').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  const path = hrefs.map((href) => href.split(/[?#]/)[0]).find((href) => /^\/posts\/\d+$/.test(href));
  if (!path) throw new Error(`${page.url()} links no post (links: ${hrefs.join(', ') || 'none'})`);
  return path;
}

// A small RGB PNG made here, so the test needs no binary fixture.
function png(width, height) {
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 2; // RGB
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1); // each row starts with filter type 0
    for (let x = 0; x < width; x++) {
      rows[row + 1 + x * 3] = 240 - y;
      rows[row + 2 + x * 3] = 180 + (x >> 1);
      rows[row + 3 + x * 3] = 120 + (y >> 1);
    }
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

// Through the staff API, as the warehouse and the carrier would: payment taken, every
// line shipped, the parcel delivered.
async function deliver(orderId) {
  const api = await staffApi(site.base);
  try {
    let order = await api.get(`/orders/${orderId}`);
    if (order.status === 'placed') order = await api.post(`/orders/${orderId}/capture`);
    await api.post(`/orders/${orderId}/fulfilments`, {
      lines: order.lines.map((line) => ({ order_line_id: line.id, quantity: line.quantity })),
    });
    order = await api.post(`/orders/${orderId}/delivered`);
    assert.equal(order.status, 'delivered', `order #${orderId} after delivery: ${JSON.stringify(order)}`);
  } finally {
    await api.dispose();
  }
}

test("a new customer follows the creator, finds her shoppable post in the feed and buys what it tags", async () => {
  const context = await site.newContext();
  const page = await context.newPage();
  const problems = watchPage(page);
  const shots = (name) => screenshots(page, folder, name);
  const email = 'lea@example.com';
  await joinCommunity(page, { name: 'Léa Dubois', email, handle: 'lea.d' });

  await open(page, `/people/${creator.handle}`, "the creator's profile");
  await shows(page.getByRole('heading', { level: 1, name: creator.name }), "the creator's name");
  await page.getByRole('button', { name: 'Follow', exact: true }).click();
  await shows(page.getByRole('button', { name: 'Unfollow' }), 'the Unfollow button after following');
  await shots('creator-profile-followed');

  await open(page, '/feed', 'the feed');
  const post = page.locator('article.post-card', { hasText: 'gel cleanser' }).first();
  await shows(post, "the creator's post about the gel cleanser in the feed");
  await shows(post.getByRole('link', { name: new RegExp(creator.name) }), "the creator's name on her post");
  const tagged = post.getByRole('list', { name: 'Products in this post' }).getByRole('link', { name: demoProduct.title });
  await shows(tagged, 'the tagged product on the post');
  await shots('feed');

  await tagged.click();
  await shows(page.getByRole('heading', { level: 1, name: demoProduct.title }), 'the tagged product page');
  await addToCart(page, demoProduct.variant);
  const orderId = await checkOut(page, { email });
  await shows(page.getByText(`#${orderId}`), 'the order number');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a buyer whose order was delivered reviews the product with a photo, marked "Verified buyer"', async () => {
  const context = await site.newContext();
  const page = await context.newPage();
  const problems = watchPage(page);
  const email = 'sam@example.com';
  await joinCommunity(page, { name: 'Sam Okoye', email, handle: 'sam.o' });
  await open(page, `/products/${demoProduct.handle}`, 'the product page');
  await addToCart(page, demoProduct.variant);
  const orderId = await checkOut(page, { email });
  await deliver(orderId);

  await open(page, `/products/${demoProduct.handle}/review`, 'the review form');
  await page.getByLabel('5 stars').check();
  await page.getByLabel('Title').fill('Calm skin in a week');
  await page.getByLabel('Your review').fill('Two pumps morning and night; my T-zone stopped shining by lunch.');
  await page.getByLabel(/^Photos/).setInputFiles({ name: 'shelf.png', mimeType: 'image/png', buffer: png(96, 96) });
  await screenshots(page, folder, 'review-form');
  await page.getByRole('button', { name: 'Publish review' }).click();
  await page.waitForURL((url) => url.pathname === `/products/${demoProduct.handle}`);

  const review = page.getByRole('article', { name: /Review by/ }).filter({ hasText: 'Calm skin in a week' });
  await shows(review, 'the new review on the product page');
  await shows(review.getByText('Verified buyer'), 'the "Verified buyer" badge on the review');
  const photo = review.locator('img').first();
  await shows(photo, 'the review photo');
  const src = await photo.getAttribute('src');
  assert.match(src, /^\/api\/v1\/shops\/[^/]+\/media\/\d+\/[^/]+\/\d+\.webp$/, `the photo is served from ${src}`);
  const loaded = await photo.evaluate((img) => img.complete && img.naturalWidth > 0);
  assert.ok(loaded, `the review photo at ${src} did not load`);
  await screenshots(page, folder, 'product-with-review');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a comment with the word the shop masks shows masked on the post', async () => {
  const context = await site.newContext();
  const page = await context.newPage();
  const problems = watchPage(page);
  await joinCommunity(page, { name: 'Ines Duarte', email: 'ines@example.com', handle: 'ines.d' });

  await open(page, `/people/${creator.handle}`, "the creator's profile");
  const postPath = await firstPostPath(page);
  await open(page, postPath, 'the post page');
  const text = `${maskedWord[0].toUpperCase()}${maskedWord.slice(1)} alert: the ending is a glow`;
  const masked = `${'*'.repeat(maskedWord.length)} alert: the ending is a glow`;
  await page.getByLabel('Add a comment').fill(text);
  await page.getByRole('button', { name: 'Comment', exact: true }).click();
  await page.waitForURL((url) => url.pathname === postPath && url.hash.startsWith('#comment-'));
  await shows(page.getByText(masked), 'the comment, masked');
  const html = await page.content();
  assert.ok(!html.includes(text), 'the masked word is still readable on the post page');
  await screenshots(page, folder, 'post-with-masked-comment');
  assert.deepEqual(problems, []);
  await context.close();
});
