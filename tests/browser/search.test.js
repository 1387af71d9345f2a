// The search page works from file:// (its index is a <script>, never a
// fetch) and matches Arabic the way the rest of milaf does: without regard
// to tashkeel, hamza forms, taa marbuta or alef maqsura.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const site = require('./lib/site');

const SEARCH = site.must('search/index.html', 'search page');

async function results(query) {
  const browser = await site.launch();
  try {
    const ctx = await site.newContext(browser);
    const page = await ctx.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${site.fileUrl(SEARCH)}?q=${encodeURIComponent(query)}`, { waitUntil: 'load' });
    await page.locator('#search-status').waitFor({ state: 'attached' });
    const items = await page.locator('#search-results li').evaluateAll((lis) =>
      lis.map((li) => ({ title: li.querySelector('a').textContent, href: li.querySelector('a').getAttribute('href'), marks: [...li.querySelectorAll('mark')].map((m) => m.textContent) })));
    const status = await page.locator('#search-status').innerText();
    assert.deepEqual(errors, [], 'script errors');
    assert.deepEqual(ctx.external, [], 'requests that are not file://');
    return { items, status };
  } finally {
    await browser.close();
  }
}

test('a name finds its entity first, with the hits marked', async () => {
  const { items } = await results('لافروف');
  assert.ok(items.length >= 5, `only ${items.length} results`);
  assert.equal(items[0].title, 'سيرغي لافروف');
  assert.ok(items.every((i) => i.marks.length > 0), 'every result marks the term');
});

test('hamza, tashkeel and taa marbuta do not matter', async () => {
  const plain = await results('الاركان');
  const hamza = await results('الأركان');
  assert.ok(plain.items.length > 0, 'no result for الاركان');
  assert.deepEqual(plain.items.map((i) => i.href), hamza.items.map((i) => i.href));
  const voweled = await results('مَالِي');
  assert.ok(voweled.items.length > 10, 'tashkeel in the query breaks the search');
});

test('several words must all match, and nonsense finds nothing', async () => {
  const both = await results('كيدال 2023');
  assert.ok(both.items.length > 0);
  const none = await results('كلمةلاتوجد');
  assert.equal(none.items.length, 0);
  assert.match(none.status, /لا نتائج/);
});
