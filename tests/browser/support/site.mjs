// One Plaza and one Chromium per test file, started before the file's tests and stopped
// after them, so every file sets up the same way.
import { after, before } from 'node:test';
import { launchBrowser, newContext } from './browser.mjs';
import { startPlaza } from './plaza.mjs';

// Registers the file's hooks and returns the site they fill in: `site.base` (the server's
// URL), `site.newContext(options)` and, for the rare direct use, `site.plaza` and
// `site.browser`. `prepare(site)` runs once both are up, still inside the hook.
export function useSite(folder, prepare) {
  const site = {
    plaza: undefined,
    browser: undefined,
    get base() {
      return this.plaza.base;
    },
    newContext(options) {
      return newContext(this.browser, this.plaza.base, options);
    },
  };
  before(async () => {
    site.plaza = await startPlaza(folder);
    site.browser = await launchBrowser();
    if (prepare) await prepare(site);
  });
  after(async () => {
    await site.browser?.close();
    await site.plaza?.stop();
  });
  return site;
}
