// The Arabic web font the theme ships (a subset of Noto Naskh Arabic, OFL):
// every key page loads both weights from its own static/ folder, from
// file://, with no request elsewhere, and Arabic text is drawn with it — so
// what the browser tests measure is what every reader sees, whatever fonts
// their system has.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const site = require('./lib/site');

let browser;
test.before(async () => { browser = await site.launch(); });
test.after(async () => { if (browser) await browser.close(); });

test('the shipped font and its licence are in static/', () => {
  for (const f of ['naskh-regular.woff2', 'naskh-bold.woff2', 'OFL.txt']) {
    assert.ok(fs.existsSync(path.join(site.SITE, 'static', f)), `static/${f}`);
  }
  const ofl = site.read('static/OFL.txt');
  assert.match(ofl, /SIL Open Font License, Version 1\.1/);
  // A subset, not the whole face: each weight stays small.
  for (const f of ['naskh-regular.woff2', 'naskh-bold.woff2']) {
    const size = fs.statSync(path.join(site.SITE, 'static', f)).size;
    assert.ok(size > 10000 && size < 80000, `static/${f} is ${size} bytes`);
  }
});

for (const [name, rel] of Object.entries(site.keyPages())) {
  test(`${name}: Arabic text is set in the shipped face, both weights loaded locally`, async () => {
    const ctx = await site.newContext(browser, {});
    try {
      const page = await site.open(ctx, rel);
      const faces = await page.evaluate(async () => {
        await document.fonts.ready;
        // Ask for both weights, as a heading and a paragraph do.
        await Promise.all([document.fonts.load('400 16px "milaf Naskh"', 'مالي'), document.fonts.load('700 16px "milaf Naskh"', 'مالي')]);
        return [...document.fonts].filter((f) => f.family.replace(/"/g, '') === 'milaf Naskh').map((f) => `${f.weight}:${f.status}`).sort();
      });
      assert.deepEqual(faces, ['400:loaded', '700:loaded']);
      const family = await page.evaluate(() => getComputedStyle(document.querySelector('main')).fontFamily);
      assert.match(family, /^"milaf Naskh"/);
      // The face covers Arabic letters, so the browser needs no fallback for them.
      assert.equal(await page.evaluate(() => document.fonts.check('16px "milaf Naskh"', 'ملف الأحداث')), true);
      assert.deepEqual(ctx.external, [], 'network requests');
      assert.deepEqual(ctx.broken, [], 'files that failed to load');
    } finally {
      await ctx.close();
    }
  });
}
