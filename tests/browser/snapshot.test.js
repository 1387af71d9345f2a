// The site inside a snapshot bag (milaf snapshot, BagIt: data/site/) opens
// from file:// with everything working: its pages, their links, the
// provenance footer, and search (whose index is a <script>, never a fetch).
// MILAF_BAG is the bag's folder; .ci/checks.sh makes one of the sample.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const site = require('./lib/site');

function bagSite() {
  const bag = process.env.MILAF_BAG;
  if (!bag) throw new Error('set MILAF_BAG to the folder of a bag made by "milaf snapshot" (.ci/checks.sh does)');
  const root = path.resolve(bag);
  if (!fs.existsSync(path.join(root, 'bagit.txt'))) throw new Error(`${root} is not a BagIt bag (no bagit.txt)`);
  const dir = path.join(root, 'data', 'site');
  if (!fs.existsSync(path.join(dir, 'index.html'))) throw new Error(`${root} has no data/site/index.html`);
  return dir;
}

const url = (rel) => pathToFileURL(path.join(bagSite(), rel)).href;

test("the bag's site opens from file://, names its commit, and its links lead to pages", async (t) => {
  const browser = await site.launch();
  t.after(() => browser.close());
  const ctx = await site.newContext(browser);
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url('index.html'), { waitUntil: 'load' });
  const footer = await page.locator('footer .provenance').innerText();
  assert.match(footer, /[0-9a-f]{12}/, `the footer names no commit: ${footer}`);
  // From the home page to an article, by a link as a reader would.
  const link = page.locator('main a[href*="articles/"][href$="index.html"]').first();
  await Promise.all([page.waitForEvent('load'), link.click()]);
  assert.match(page.url(), /^file:.*\/data\/site\/articles\/[^/]+\/index\.html$/);
  assert.ok((await page.locator('main .para#p1').count()) === 1, 'the article page shows no first paragraph');
  assert.ok(await page.locator('link[rel="stylesheet"]').count(), 'no stylesheet');
  const styled = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
  assert.ok(styled && styled !== 'Times New Roman', 'the stylesheet did not load');
  assert.deepEqual(errors, [], 'script errors');
  assert.deepEqual(ctx.external, [], 'requests that are not file://');
  assert.deepEqual(ctx.broken, [], 'files that did not load');
});

test("search works in the bag's site and its results open", async (t) => {
  const browser = await site.launch();
  t.after(() => browser.close());
  const ctx = await site.newContext(browser);
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url('search/index.html'), { waitUntil: 'load' });
  await page.locator('input[type="search"]').fill('لافروف');
  await page.locator('input[type="search"]').press('Enter');
  await page.locator('#search-results li').first().waitFor();
  const first = page.locator('#search-results li a').first();
  assert.equal(await first.innerText(), 'سيرغي لافروف');
  assert.ok((await page.locator('#search-results li').count()) >= 5, 'too few results');
  await Promise.all([page.waitForEvent('load'), first.click()]);
  assert.match(page.url(), /\/data\/site\/entities\/[^/]+\/index\.html$/);
  assert.equal(await page.locator('h1').first().innerText(), 'سيرغي لافروف');
  assert.deepEqual(errors, [], 'script errors');
  assert.deepEqual(ctx.external, [], 'requests that are not file://');
  assert.deepEqual(ctx.broken, [], 'files that did not load');
});
