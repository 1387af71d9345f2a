// The article's reading experience, measured in the browser: the reading
// column's characters per line; notes in the margin beside their line at
// 1280 px and in a box under the marker at 390 px; the passage highlighted
// while its note is open; a click on a passage opens its note; focus into the
// note and back; the key to the highlight kinds; 24×24 px markers, never
// inside a word nor fused with a digit; references grouped by source with
// back-links; the printed length; first-mention links; the preview card of an
// entity on hover, focus and tap, from the one script of the entity's card
// beside its page; the link to the notes.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const site = require('./lib/site');

const article = site.articleWithNotes();
// The long article of the sample, whose print length was measured before
// this layout (10 A4 pages); any article with notes serves elsewhere.
const LONG = 'articles/camara-defenders-day/index.html';
const PRINTED_BEFORE = 10;

let browser;
test.before(async () => { browser = await site.launch(); });
test.after(async () => { if (browser) await browser.close(); });

async function withPage(options, rel, fn) {
  const ctx = await site.newContext(browser, options);
  try {
    const page = await site.open(ctx, rel);
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await fn(page);
    assert.deepEqual(errors, [], 'script errors');
    assert.deepEqual(ctx.external, [], 'network requests');
    assert.deepEqual(ctx.broken, [], 'files that failed to load');
  } finally {
    await ctx.close();
  }
}

/** The data of the preview card of the entity whose page `href` (relative to the page `rel`) is, as its `card.js` registers it. */
function cardData(rel, href) {
  const path = require('node:path').posix;
  const file = path.normalize(path.join(path.dirname(rel), href)).replace(/index\.html$/, 'card.js');
  const window = {};
  new Function('window', site.read(file))(window);
  const cards = Object.values(window.MILAF_CARDS);
  assert.equal(cards.length, 1, `${file} does not register one card`);
  return cards[0];
}

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true };

/** The marker of the note whose passage is the longest (so a click on the passage is easy). */
async function markerIndex(page) {
  return page.evaluate(() => {
    const markers = [...document.querySelectorAll('.text sup.noteref a')];
    let best = 0;
    let len = -1;
    markers.forEach((a, i) => {
      const note = document.getElementById(a.getAttribute('href').slice(1));
      const on = note && note.querySelector('.note-head a.on');
      const mark = on && document.getElementById(on.getAttribute('href').slice(1));
      const l = mark ? mark.textContent.length : 0;
      if (l > len) { len = l; best = i; }
    });
    return best;
  });
}

test('the reading column holds 60 to 80 characters per line at 1280 px', async () => {
  await withPage({}, article, async (page) => {
    const perLine = await page.evaluate(() => {
      // Characters per visual line of the longest paragraph, from the
      // position of each character; the last line (short) is left out.
      const p = [...document.querySelectorAll('.text .para p')].sort((a, b) => b.textContent.length - a.textContent.length)[0];
      const lines = new Map();
      const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT, { acceptNode: (n) => (n.parentElement.closest('sup, .pnum') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT) });
      const range = document.createRange();
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        for (let i = 0; i < n.data.length; i++) {
          range.setStart(n, i);
          range.setEnd(n, i + 1);
          const r = range.getClientRects()[0];
          if (!r) continue;
          const key = Math.round((r.top + r.bottom) / 2 / 10);
          lines.set(key, (lines.get(key) || 0) + 1);
        }
      }
      const counts = [...lines.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
      return counts.slice(0, -1);
    });
    assert.ok(perLine.length >= 2, `too few full lines to measure: ${perLine}`);
    const mean = perLine.reduce((a, b) => a + b, 0) / perLine.length;
    assert.ok(mean >= 60 && mean <= 80, `characters per line ${mean.toFixed(1)} (${perLine.join(', ')}) are not about 65–75`);
  });
});

test('1280 px: every note sits in the margin, none overlaps the next, and an opened one sits beside its marker', async () => {
  await withPage({}, article, async (page) => {
    const layout = await page.evaluate(() => {
      const text = document.querySelector('.text .para p').getBoundingClientRect();
      return [...document.querySelectorAll('.sidenote')].map((s) => { const r = s.getBoundingClientRect(); return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, textLeft: text.left }; });
    });
    const markers = await page.locator('.text sup.noteref a').count();
    assert.equal(layout.length, markers, 'one margin note per marker');
    // Tab does not cross the margin copies of the notes (their marker opens them).
    const tabbable = await page.locator('.sidenote:not(.active) a[href]:not([tabindex="-1"]), .sidenote:not(.active) button:not([tabindex="-1"])').count();
    assert.equal(tabbable, 0, 'links of closed margin notes are in the Tab order');
    for (let i = 0; i < layout.length; i++) {
      assert.ok(layout[i].right <= layout[i].textLeft, `note ${i + 1} is not in the margin (its right ${layout[i].right} > text's left ${layout[i].textLeft})`);
      if (i > 0) assert.ok(layout[i].top >= layout[i - 1].bottom, `note ${i + 1} overlaps note ${i}`);
    }
    const i = await markerIndex(page);
    const marker = page.locator('.text sup.noteref a').nth(i);
    await marker.click();
    const id = (await marker.getAttribute('href')).slice(1);
    const side = page.locator(`[id="side-${id}"]`);
    assert.equal(await marker.getAttribute('aria-expanded'), 'true');
    assert.equal(await marker.getAttribute('aria-controls'), `side-${id}`);
    assert.ok(await side.evaluate((s) => s.classList.contains('active')), 'the note is not the active one');
    const [m, s] = [await marker.boundingBox(), await side.boundingBox()];
    assert.ok(Math.abs(s.y - m.y) <= 40, `the note (top ${s.y}) is not beside its marker's line (top ${m.y})`);
    const noteText = (await page.locator(`[id="${id}"] .note-body`).innerText()).trim();
    assert.ok((await side.innerText()).includes(noteText.slice(0, 30)), 'the margin note does not show the note');
    // Still no overlap once a note is opened.
    const tops = await page.evaluate(() => [...document.querySelectorAll('.sidenote')].map((s) => { const r = s.getBoundingClientRect(); return [r.top, r.bottom]; }));
    for (let k = 1; k < tops.length; k++) assert.ok(tops[k][0] >= tops[k - 1][1], `after opening, note ${k + 1} overlaps note ${k}`);
  });
});

test('a note open highlights its passage; focus moves into it and back to the marker on Escape and on the close button (1280 and 390 px)', async () => {
  for (const options of [{}, PHONE]) {
    await withPage(options, article, async (page) => {
      const i = await markerIndex(page);
      const marker = page.locator('.text sup.noteref a').nth(i);
      const id = (await marker.getAttribute('href')).slice(1);
      const frag = await page.locator(`[id="${id}"] .note-head a.on`).getAttribute('href');
      const passage = page.locator(`[id="${frag.slice(1)}"]`);
      assert.equal(await passage.evaluate((m) => m.classList.contains('is-open')), false, 'highlighted before opening');
      const lit = () => passage.evaluate((m) => m.classList.contains('is-open') && getComputedStyle(m).backgroundColor);
      await (options.hasTouch ? marker.tap() : marker.click());
      const bg = await lit();
      assert.ok(bg && bg !== 'rgba(0, 0, 0, 0)', `the passage is not highlighted while its note is open (${bg})`);
      const box = await page.evaluate(() => { const a = document.activeElement; return a && a.matches('.sidenote, .note-sheet') ? a.id : null; });
      assert.ok(box, 'focus did not move into the note');
      assert.equal(await marker.getAttribute('aria-controls'), box);
      await page.keyboard.press('Escape');
      assert.equal(await lit(), false, 'the passage stays highlighted after Escape');
      assert.equal(await marker.getAttribute('aria-expanded'), 'false');
      assert.ok(await marker.evaluate((a) => document.activeElement === a), 'focus is not back on the marker after Escape');
      // Again, closed with its close button.
      await (options.hasTouch ? marker.tap() : marker.click());
      const close = page.locator(`[id="${box}"] .note-close`);
      assert.ok(await close.isVisible(), 'no visible close button');
      await (options.hasTouch ? close.tap() : close.click());
      assert.equal(await marker.getAttribute('aria-expanded'), 'false');
      assert.ok(await marker.evaluate((a) => document.activeElement === a), 'focus is not back on the marker after the close button');
    });
  }
});

test('390 px: a note opens in a box right under its marker\'s line, with its close button near the marker', async () => {
  await withPage(PHONE, article, async (page) => {
    assert.equal(await page.locator('.sidenote').count(), 0, 'no margin notes on a phone');
    const i = await markerIndex(page);
    const marker = page.locator('.text sup.noteref a').nth(i);
    await marker.tap();
    const sheet = page.locator('.note-sheet');
    await sheet.waitFor({ state: 'visible', timeout: 2000 });
    const m = await marker.boundingBox();
    const s = await sheet.boundingBox();
    const c = await sheet.locator('.note-close').boundingBox();
    assert.ok(s.y >= m.y + m.height - 2 && s.y - (m.y + m.height) <= 40, `the box (top ${s.y}) is not right under the marker's line (bottom ${m.y + m.height})`);
    assert.ok(s.x >= 0 && s.x + s.width <= 391, 'the box is outside the viewport');
    assert.ok(c.width >= 24 && c.height >= 24, `close button ${c.width}×${c.height}`);
    const dist = Math.hypot(c.x + c.width / 2 - (m.x + m.width / 2), c.y + c.height / 2 - (m.y + m.height / 2));
    assert.ok(dist <= 80, `the close button is ${dist.toFixed(0)} px from the marker`);
    assert.equal(await page.evaluate(() => location.hash), '', 'the tap showed the note in place');
  });
});

test('a click on a highlighted passage opens its note', async () => {
  for (const options of [{}, PHONE]) {
    await withPage(options, article, async (page) => {
      const i = await markerIndex(page);
      const marker = page.locator('.text sup.noteref a').nth(i);
      const id = (await marker.getAttribute('href')).slice(1);
      const frag = (await page.locator(`[id="${id}"] .note-head a.on`).getAttribute('href')).slice(1);
      // A point of the passage that is not a link (a mention inside it is one).
      const point = await page.evaluate((f) => {
        const m = document.getElementById(f);
        m.scrollIntoView({ block: 'center' });
        const walker = document.createTreeWalker(m, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          // Text of this passage itself, not of a link or of a passage nested in it.
          const inner = n.parentElement.closest('mark.passage[data-note]');
          if (n.parentElement.closest('a') || !n.data.trim() || !inner || (inner.id || inner.getAttribute('data-p')) !== f) continue;
          const r = document.createRange();
          r.setStart(n, 0);
          r.setEnd(n, 1);
          const b = r.getBoundingClientRect();
          return { x: b.left + b.width / 2, y: b.top + b.height / 2 };
        }
        return null;
      }, frag);
      assert.ok(point, 'the passage has no text outside links');
      await page.mouse.click(point.x, point.y);
      assert.equal(await marker.getAttribute('aria-expanded'), 'true', 'the passage did not open its note');
    });
  }
});

test('a key to the highlight kinds sits before the text and names every kind the text carries', async () => {
  await withPage({}, article, async (page) => {
    const r = await page.evaluate(() => {
      const key = document.querySelector('.source .key');
      if (!key) return null;
      const kinds = new Set();
      for (const m of document.querySelectorAll('.text mark.passage')) for (const c of m.classList) if (/^k-/.test(c) && c !== 'k-cited') kinds.add(c);
      const shown = new Set([...key.querySelectorAll('.swatch')].map((s) => [...s.classList].find((c) => /^k-/.test(c))));
      const before = !!(key.compareDocumentPosition(document.querySelector('.text')) & Node.DOCUMENT_POSITION_FOLLOWING);
      return { kinds: [...kinds].sort(), shown: [...shown].sort(), before, visible: key.getBoundingClientRect().height > 0 };
    });
    assert.ok(r, 'no key (.key) on an annotated article');
    assert.ok(r.before && r.visible, 'the key is not shown before the text');
    assert.deepEqual(r.shown, r.kinds, 'the key does not list exactly the kinds highlighted');
  });
});

test('markers: 24×24 px targets, one style for notes and citations, set apart from a digit, never inside a word', async () => {
  for (const rel of site.htmlFiles().filter((f) => /^articles\/[^/]+\/index\.html$/.test(f))) {
    await withPage({}, rel, async (page) => {
      const r = await page.evaluate(() => {
        const out = { small: [], inWord: [], fused: [], styles: new Set() };
        const letter = /[\p{L}\p{M}]/u;
        for (const a of document.querySelectorAll('main sup.noteref a, main sup.cite a')) {
          const b = a.getBoundingClientRect();
          if (b.width < 24 || b.height < 24) out.small.push(`${a.textContent} ${b.width}×${b.height}`);
          const cs = getComputedStyle(a);
          out.styles.add([cs.borderTopStyle, cs.borderRadius, cs.minWidth, cs.height, cs.fontWeight].join(' '));
          // The characters just before and after the marker in the text flow.
          const sup = a.closest('sup');
          const range = document.createRange();
          range.selectNodeContents(sup.closest('p, li, div'));
          range.setEndBefore(sup);
          const before = range.toString().slice(-1);
          range.selectNodeContents(sup.closest('p, li, div'));
          range.setStartAfter(sup);
          const after = range.toString().slice(0, 1);
          if (/\p{Script=Arabic}/u.test(before) && letter.test(before) && /\p{Script=Arabic}/u.test(after) && letter.test(after)) out.inWord.push(`${before}|${a.textContent}|${after}`);
          if (/\d/.test(before)) {
            // A marker after a digit is drawn apart from it: a gap and a frame.
            // The digit's own box: the last character of the last text before the marker.
            const walker = document.createTreeWalker(sup.closest('p, li, div'), NodeFilter.SHOW_TEXT);
            let prev = null;
            for (let n = walker.nextNode(); n; n = walker.nextNode()) {
              if (sup.contains(n) || !(n.compareDocumentPosition(sup) & Node.DOCUMENT_POSITION_FOLLOWING)) break;
              if (n.data.length) prev = n;
            }
            range.setStart(prev, prev.data.length - 1);
            range.setEnd(prev, prev.data.length);
            const last = range.getBoundingClientRect();
            const sameLine = Math.abs((last.top + last.bottom) / 2 - (b.top + b.bottom) / 2) < 20;
            const gap = getComputedStyle(sup).direction === 'rtl' ? last.left - b.right : b.left - last.right;
            if (sameLine && !(gap >= 2 && parseFloat(cs.borderTopWidth) > 0)) out.fused.push(`${before}${a.textContent} gap ${gap}`);
          }
        }
        out.styles = [...out.styles];
        return out;
      });
      assert.deepEqual(r.small, [], `${rel}: markers smaller than 24×24 px`);
      assert.deepEqual(r.inWord, [], `${rel}: markers inside a word`);
      assert.deepEqual(r.fused, [], `${rel}: markers fused with the digit before them`);
      assert.equal(r.styles.length, 1, `${rel}: notes and citations are drawn differently: ${r.styles.join(' / ')}`);
    });
  }
});

test('references: one entry per cited article, its passages under it, back-links a/b/c to each citing place (1280 and 390 px)', async () => {
  for (const options of [{}, PHONE]) await withPage(options, LONG, async (page) => {
    const r = await page.evaluate(() => {
      const list = document.querySelector('.citations > ol');
      if (!list) return null;
      const titles = [...list.querySelectorAll(':scope > li > .cite-title')].map((a) => a.getAttribute('href'));
      const multi = [...list.querySelectorAll('ul.cited > li')].find((li) => li.querySelectorAll('[role="doc-backlink"]').length > 1);
      const backs = multi ? [...multi.querySelectorAll('[role="doc-backlink"]')] : [];
      // Every back-link leads to a marker that leads back to this passage.
      const roundTrip = backs.every((b) => {
        const m = document.getElementById(b.getAttribute('href').slice(1));
        return m && m.getAttribute('href') === '#' + multi.id;
      });
      // Each place's back-links end the line of its text, never alone on a line.
      const alone = [...list.querySelectorAll('.backlinks-to')].filter((span) => {
        const rects = span.previousElementSibling.getClientRects();
        const last = rects[rects.length - 1];
        return Math.abs(span.getBoundingClientRect().top - last.top) > 8;
      }).map((span) => span.closest('li').id);
      return { titles, letters: backs.map((b) => b.textContent), roundTrip, alone, markers: document.querySelectorAll('sup.cite a').length };
    });
    assert.ok(r, 'no reference list');
    assert.equal(new Set(r.titles).size, r.titles.length, 'an article is listed twice');
    assert.ok(r.titles.length < r.markers, `${r.titles.length} entries for ${r.markers} citations: not grouped`);
    assert.ok(r.letters.length > 1, 'no passage cited from two places (with a/b back-links)');
    assert.deepEqual(r.letters, ['أ', 'ب', 'ج', 'د', 'هـ', 'و', 'ز', 'ح', 'ط', 'ي'].slice(0, r.letters.length));
    assert.ok(r.roundTrip, 'a back-link does not lead to a marker of that passage');
    assert.deepEqual(r.alone, [], 'back-links alone on a line');
  });
  // The notes' "↩" is in their first line too, and no back-link prints.
  await withPage({}, article, async (page) => {
    const inline = await page.evaluate(() => [...document.querySelectorAll('.notes [role="doc-backlink"]')].every((b) => b.closest('.note-head')));
    assert.ok(inline, 'a note\'s "↩" is not in its head line');
    await page.emulateMedia({ media: 'print' });
    const printed = await page.evaluate(() => [...document.querySelectorAll('[role="doc-backlink"]')].filter((b) => b.getClientRects().length > 0).length);
    assert.equal(printed, 0, 'back-links are printed');
  });
});

test(`print: the long article takes at most half of its ${PRINTED_BEFORE} A4 pages`, async () => {
  await withPage({}, site.must(LONG, 'long sample article'), async (page) => {
    const pdf = await page.pdf({ format: 'A4' });
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
    assert.ok(pages > 0 && pages <= PRINTED_BEFORE / 2, `${pages} pages`);
  });
});

test('only the first mention of an entity in a paragraph is a link; the others keep their anchor', async () => {
  await withPage({}, article, async (page) => {
    const r = await page.evaluate(() => {
      const twice = [];
      let plain = 0;
      for (const p of document.querySelectorAll('.text .para p, .text h2')) {
        const seen = new Set();
        for (const a of p.querySelectorAll('a.mention')) {
          const h = a.getAttribute('href');
          if (seen.has(h)) twice.push(`${p.closest('.para') ? p.closest('.para').id : 'h'}: ${a.textContent}`);
          seen.add(h);
        }
        plain += p.querySelectorAll('span[id^="m"]').length;
      }
      return { twice, plain };
    });
    assert.deepEqual(r.twice, [], 'an entity linked twice in one paragraph');
    assert.ok(r.plain > 0, 'no repeated mention kept as a plain anchor (span#mN)');
  });
});

test('preview card of an entity on hover, focus and tap, closed by Escape, without taking focus, from the entity\'s card script', async () => {
  const check = async (page, link) => {
    const card = page.locator('.entity-card');
    await card.waitFor({ state: 'visible', timeout: 2000 });
    const href = await link.getAttribute('href');
    const data = cardData(article, href);
    const chip = page.locator(`.entity-chips a[href="${href}"]`);
    const text = await card.innerText();
    assert.ok(text.includes((await chip.innerText()).trim()), 'the card does not name the entity');
    assert.ok(text.includes(data.name), 'the card does not give the name of the card script');
    assert.ok(text.includes(data.kind), 'the card does not say the kind');
    if (data.summary) assert.ok(text.includes(data.summary.slice(0, 20)), 'the card does not give the role or first sentence');
    assert.ok(text.includes(data.total), 'the card does not give the mentions in the dossier');
    const here = (await chip.locator('xpath=following-sibling::span[@class="count"]').innerText()).trim();
    assert.ok(text.includes(here), 'the card does not give the mentions in the article');
  };
  await withPage({}, article, async (page) => {
    const scripts = [];
    page.on('request', (r) => { if (/\/card\.js$/.test(r.url())) scripts.push(r.url()); });
    const link = page.locator('.text a.mention').first();
    await link.hover();
    await check(page, link);
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('.entity-card').count(), 0, 'Escape does not close the card');
    await link.hover({ position: { x: 1, y: 1 } });
    await page.mouse.move(0, 0);
    await link.hover();
    await check(page, link);
    assert.equal(scripts.length, 1, `the card script of one entity was read ${scripts.length} times`);
    await page.keyboard.press('Escape');
    const second = page.locator('.text a.mention').nth(1);
    await second.focus();
    await check(page, second);
    assert.equal(await second.getAttribute('aria-describedby'), 'entity-card');
    assert.ok(await second.evaluate((a) => document.activeElement === a), 'the card took the focus');
    await page.keyboard.press('Tab');
    assert.ok(await page.evaluate(() => !document.activeElement.closest('.entity-card')), 'Tab went into the card');
  });
  await withPage(PHONE, article, async (page) => {
    const link = page.locator('.text a.mention').first();
    const url = page.url();
    await link.tap();
    await check(page, link);
    assert.equal(page.url(), url, 'the first tap followed the link');
  });
});

test('on an entity page, a related or co-mentioned entity shows its preview card too', async () => {
  // An entity page with a related entity and an entity named beside it.
  const rel = site.htmlFiles()
    .filter((f) => /^entities\/[^/]+\/index\.html$/.test(f))
    .find((f) => /class="relations"[\s\S]*class="entity-link"/.test(site.read(f)) && /class="chips"[\s\S]*class="entity-link"/.test(site.read(f)));
  assert.ok(rel, 'no entity page with a related entity and a co-mentioned one');
  for (const [options, how, which] of [[{}, 'hover', 'ul.relations a.entity-link'], [{}, 'focus', 'ul.relations a.entity-link'], [PHONE, 'tap', 'ul.relations a.entity-link'], [{}, 'hover', '.chips a.entity-link']]) {
    await withPage(options, rel, async (page) => {
      const link = page.locator(which).first();
      const data = cardData(rel, await link.getAttribute('href'));
      const url = page.url();
      if (how === 'hover') await link.hover();
      else if (how === 'focus') await link.focus();
      else await link.tap();
      const card = page.locator('.entity-card');
      await card.waitFor({ state: 'visible', timeout: 2000 });
      const text = await card.innerText();
      assert.ok(text.includes((await link.innerText()).trim()), `${how}: the card does not name the entity`);
      assert.ok(text.includes(data.kind), `${how}: the card does not say the kind`);
      assert.ok(text.includes(data.total), `${how}: the card does not give the count`);
      assert.equal(page.url(), url, `${how}: the link was followed`);
      await page.keyboard.press('Escape');
      assert.equal(await page.locator('.entity-card').count(), 0, `${how}: Escape does not close the card`);
    });
  }
});

test('a link to the notes at the top of the article', async () => {
  await withPage({}, article, async (page) => {
    const skip = page.locator('.skip-notes a');
    assert.equal(await skip.count(), 1, 'no link to the notes');
    const target = await skip.getAttribute('href');
    const y = await skip.evaluate((a) => a.getBoundingClientRect().top);
    const first = await page.locator('.text .para').first().evaluate((p) => p.getBoundingClientRect().top);
    assert.ok(y < first, 'the link is not above the text');
    await skip.click();
    assert.equal(await page.evaluate(() => location.hash), target);
    assert.ok(await page.evaluate((t) => !!document.querySelector(t).closest('.notes'), target), 'it does not lead to the notes');
  });
});
