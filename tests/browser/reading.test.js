// How a reader sees the site: right-to-left text, an article read with
// JavaScript off (paragraphs, notes, a note marker that jumps to its note),
// no horizontal scroll at phone width,
// dark mode applied, and the print stylesheet hiding the navigation.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const site = require('./lib/site');

const pages = site.keyPages();
// Phone screenshots are kept only when MILAF_SHOTS names a folder.
const SHOTS = process.env.MILAF_SHOTS || null;
if (SHOTS) fs.mkdirSync(SHOTS, { recursive: true });

let browser;
test.before(async () => { browser = await site.launch(); });
test.after(async () => { if (browser) await browser.close(); });

async function withContext(options, fn) {
  const ctx = await site.newContext(browser, options);
  try {
    await fn(ctx);
    assert.deepEqual(ctx.external, [], 'network requests');
    assert.deepEqual(ctx.broken, [], 'files that failed to load');
  } finally {
    await ctx.close();
  }
}

test('RTL: <html lang="ar" dir="rtl"> and the first paragraph runs and is aligned right to left', async () => {
  await withContext({}, async (ctx) => {
    const page = await site.open(ctx, pages.article);
    const html = await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]);
    assert.deepEqual(html, ['ar', 'rtl']);
    const p = await page.evaluate(() => {
      const el = document.querySelector('main .text p');
      if (!el) return null;
      const cs = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      const range = document.createRange();
      range.selectNodeContents(el);
      const first = range.getClientRects()[0];
      return { direction: cs.direction, textAlign: cs.textAlign, boxRight: box.right, boxLeft: box.left, lineRight: first.right, lineLeft: first.left };
    });
    assert.ok(p, `${pages.article} has no paragraph (main .text p)`);
    assert.equal(p.direction, 'rtl', 'computed direction of the first paragraph');
    assert.ok(['start', 'right', 'justify', '-webkit-right'].includes(p.textAlign), `text-align ${p.textAlign} does not align right in RTL`);
    // Geometry: the first line starts at the paragraph's right edge.
    assert.ok(Math.abs(p.boxRight - p.lineRight) <= 2, `first line's right edge ${p.lineRight} is not at the paragraph's right edge ${p.boxRight}`);
  });
});

test('without JavaScript an article shows its paragraphs and notes, and a marker jumps to its note', async () => {
  await withContext({ javaScriptEnabled: false }, async (ctx) => {
    const page = await site.open(ctx, pages.article);
    const paras = page.locator('main .text .para p');
    assert.ok(await paras.count() > 0, 'no paragraph');
    assert.ok(await paras.first().isVisible(), 'the first paragraph is not visible');
    const notes = page.locator('main .notes li.note');
    assert.ok(await notes.count() > 0, 'no notes list (.notes li.note)');
    assert.ok(await notes.first().isVisible(), 'the notes list is not visible');
    const marker = page.locator('sup.noteref a').first();
    const href = await marker.getAttribute('href');
    assert.match(href, /^#./, 'a note marker links to a fragment of the page');
    await marker.click();
    await page.waitForFunction((h) => location.hash === h, href);
    const target = await page.evaluate(() => {
      const el = document.querySelector(':target');
      if (!el) return null;
      const r = el.getBoundingClientRect();
      return { id: el.id, isNote: el.matches('.notes li'), inView: r.top >= -1 && r.top < innerHeight, text: el.textContent.trim() };
    });
    assert.ok(target, 'no :target after the click');
    assert.equal('#' + target.id, href);
    assert.ok(target.isNote, ':target is not an item of the notes list');
    assert.ok(target.inView, 'the note is not scrolled into view');
    assert.ok(target.text.length > 0, 'the note is empty');
  });
});

// The note shown in place with JavaScript (margin and phone box, focus,
// Escape) is checked in notes.test.js.

test('phone width (390px): no horizontal scroll', async () => {
  const all = { ...pages, ...site.otherPages() };
  await withContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true }, async (ctx) => {
    const problems = [];
    for (const [name, rel] of Object.entries(all)) {
      const page = await site.open(ctx, rel);
      await page.screenshot({ path: SHOTS ? path.join(SHOTS, `phone-${name}.png`) : undefined, fullPage: true });
      const m = await page.evaluate(() => {
        const w = innerWidth;
        const wide = [];
        for (const el of document.body.querySelectorAll('*')) {
          const r = el.getBoundingClientRect();
          if (r.width > 0 && (r.right > w + 1 || r.left < -1) && getComputedStyle(el).position !== 'absolute') wide.push(`${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : ''} [${Math.round(r.left)}, ${Math.round(r.right)}]`);
        }
        return { scrollWidth: document.scrollingElement.scrollWidth, innerWidth: w, wide: wide.slice(0, 8) };
      });
      if (m.scrollWidth > m.innerWidth) problems.push(`${rel}: scrollWidth ${m.scrollWidth} > innerWidth ${m.innerWidth}; too wide: ${m.wide.join(', ')}`);
      await page.close();
    }
    assert.deepEqual(problems, [], problems.join('\n'));
  });
});

test('dark mode: the dark palette applies', async () => {
  await withContext({ colorScheme: 'dark' }, async (ctx) => {
    const page = await site.open(ctx, pages.home);
    await page.emulateMedia({ colorScheme: 'dark' });
    const [bg, fg] = await page.evaluate(() => [getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]);
    const lum = (c) => { const [r, g, b] = c.match(/[\d.]+/g).map(Number); return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255; };
    assert.ok(lum(bg) < 0.25, `background ${bg} is not dark`);
    assert.ok(lum(fg) > 0.75, `text ${fg} is not light`);
  });
});

test('print: the navigation is hidden and the text and notes are printed', async () => {
  await withContext({}, async (ctx) => {
    const page = await site.open(ctx, pages.article);
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('header.site nav').isVisible(), false, 'the site nav is visible in print');
    assert.equal(await page.locator('.skip').isVisible(), false, 'the skip link is visible in print');
    assert.ok(await page.locator('main .text .para p').first().isVisible(), 'the text is not printed');
    assert.ok(await page.locator('main .notes').isVisible(), 'the notes are not printed');
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.ok(['rgb(255, 255, 255)', 'rgba(0, 0, 0, 0)'].includes(bg), `print background is ${bg}, not white`);
  });
});
