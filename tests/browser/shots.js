// Takes screenshots of the built site as a reader sees it, for a person to
// look at (not a test): home, an article with notes (and with a note open),
// an entity page, the entity index and the timeline, at desktop (1280px) and
// phone (390px) width, light and dark. Usage:
//   MILAF_SITE=../../public node shots.js [out-dir, default /tmp/shots]
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const site = require('./lib/site');

// A full-page screenshot, cut into parts of at most 1.5 viewport heights so
// that an image viewer shows them at a readable scale.
async function shoot(page, base, viewport) {
  const height = await page.evaluate(() => document.scrollingElement.scrollHeight);
  const step = Math.round(viewport.height * 1.5);
  for (let y = 0, i = 1; y < height; y += step, i++) {
    await page.screenshot({ path: `${base}-${i}.png`, fullPage: true, clip: { x: 0, y, width: viewport.width, height: Math.min(step, height - y) } });
  }
}

(async () => {
  const out = process.argv[2] || '/tmp/shots';
  fs.mkdirSync(out, { recursive: true });
  const pages = { ...site.keyPages(), ...site.otherPages() };
  const browser = await site.launch();
  try {
    for (const [wname, viewport] of [['desktop', { width: 1280, height: 900 }], ['phone', { width: 390, height: 844 }]]) {
      for (const scheme of ['light', 'dark']) {
        const ctx = await site.newContext(browser, { viewport, colorScheme: scheme, deviceScaleFactor: 1 });
        for (const [name, rel] of Object.entries(pages)) {
          const page = await site.open(ctx, rel);
          await shoot(page, path.join(out, `${wname}-${scheme}-${name}`), viewport);
          if (name === 'article') {
            const m = page.locator('sup.noteref a').first();
            await m.scrollIntoViewIfNeeded();
            await m.click();
            await page.locator('.sidenote.active, .note-sheet').first().waitFor();
            await page.evaluate(() => document.querySelector('.sidenote.active, .note-sheet').scrollIntoView({ block: 'center' }));
            await page.screenshot({ path: path.join(out, `${wname}-${scheme}-article-note-open.png`) });
          }
          await page.close();
        }
        if (ctx.external.length) console.error('network requests:', ctx.external);
        await ctx.close();
      }
    }
    const ctx = await site.newContext(browser, {});
    const page = await site.open(ctx, pages.article);
    await page.emulateMedia({ media: 'print' });
    await shoot(page, path.join(out, 'print-article'), { width: 1280, height: 900 });
    await page.pdf({ path: path.join(out, 'print-article.pdf') }).catch(() => {});
    await ctx.close();
  } finally {
    await browser.close();
  }
  console.log(`screenshots in ${out}`);
})().catch((e) => { console.error(e); process.exit(1); });
