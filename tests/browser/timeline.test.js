// The timeline page from file://: each bar of the overview is reachable by
// keyboard, named by its event's date and title, and shows that label on
// focus, hover and tap (a second tap goes to the event); a legend explains
// the marks; on a phone the sideways-scrolling overview opens at its
// densest stretch; each event names its sources by article title and
// paragraph; filters by entity and by article work in the page, and with
// JavaScript off the whole list shows.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { fileURLToPath } = require('node:url');
const site = require('./lib/site');

const TIMELINE = 'timeline/index.html';
let browser = null;
test.before(async () => { browser = await site.launch(); });
test.after(async () => { if (browser) await browser.close(); });

async function open(options = {}, query = '') {
  const ctx = await site.newContext(browser, options);
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(site.fileUrl(TIMELINE) + query, { waitUntil: 'load' });
  return { ctx, page, errors };
}

// What the event list says of the event a bar links to.
async function eventOf(page, bar) {
  const id = await bar.getAttribute('data-event');
  return page.locator(`#event-${id}`).evaluate((li) => ({ date: li.querySelector('.event-date time').textContent, title: li.querySelector('h3').textContent }));
}

test('a bar is reached by keyboard, named by its date and title, and shows its label on focus and hover', async () => {
  const { ctx, page, errors } = await open();
  const bars = page.locator('svg.overview a[data-event]');
  const n = await bars.count();
  assert.ok(n > 5, `${n} bars`);
  for (let i = 0; i < n; i++) {
    const bar = bars.nth(i);
    const ev = await eventOf(page, bar);
    const name = await bar.getAttribute('aria-label');
    assert.ok(name.includes(ev.date) && name.includes(ev.title), `${name} does not name ${ev.date} ${ev.title}`);
  }
  // Tab from the breadcrumbs reaches the first bar after the links before it.
  await page.locator('nav.crumbs a').first().focus();
  let reached = false;
  for (let i = 0; i < 40 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement && document.activeElement.closest('svg.overview') !== null);
  }
  assert.ok(reached, 'Tab never reaches a bar');
  const focused = page.locator(':focus');
  const tip = page.locator('#bar-tip');
  assert.ok(await tip.isVisible(), 'no label on focus');
  assert.equal(await tip.innerText(), await focused.getAttribute('aria-label'));
  assert.equal(await focused.getAttribute('aria-describedby'), 'bar-tip');
  // The label sits by its bar.
  const [b, t] = [await focused.boundingBox(), await tip.boundingBox()];
  assert.ok(Math.abs(t.y - (b.y + b.height)) < 20, `label at ${t.y}, bar ends at ${b.y + b.height}`);
  await page.keyboard.press('Escape');
  assert.ok(!(await tip.isVisible()), 'Escape closes the label');
  // Hover.
  const other = bars.nth(Math.floor(n / 2));
  await other.hover();
  assert.ok(await tip.isVisible(), 'no label on hover');
  assert.equal(await tip.innerText(), await other.getAttribute('aria-label'));
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a tap shows the label; a second tap goes to the event', async () => {
  const { ctx, page, errors } = await open({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const bars = page.locator('svg.overview a[data-event]');
  let bar = null;
  for (let i = 0; i < (await bars.count()); i++) {
    const box = await bars.nth(i).boundingBox();
    if (box && box.x > 10 && box.x + box.width < 380) { bar = bars.nth(i); break; }
  }
  assert.ok(bar, 'no bar on screen');
  await bar.tap();
  const tip = page.locator('#bar-tip');
  assert.ok(await tip.isVisible(), 'no label after a tap');
  assert.equal(await tip.innerText(), await bar.getAttribute('aria-label'));
  assert.equal(new URL(page.url()).hash, '', 'the first tap followed the link');
  await bar.tap();
  await page.waitForFunction(() => location.hash.startsWith('#event-'));
  assert.equal(new URL(page.url()).hash, `#event-${await bar.getAttribute('data-event')}`);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('the overview has a legend for certain and uncertain dates and for the length of a bar', async () => {
  const { ctx, page } = await open();
  const legend = page.locator('figure.overview-figure figcaption .legend li');
  assert.ok((await legend.count()) >= 3);
  const swatches = await page.locator('figure.overview-figure .legend rect').evaluateAll((rs) => rs.map((r) => r.getAttribute('class')));
  const marks = await page.locator('svg.overview rect.bar').evaluateAll((rs) => [...new Set(rs.map((r) => r.getAttribute('class')))]);
  for (const m of marks) assert.ok(swatches.includes(m), `the legend does not explain ${m}`);
  // Each swatch looks like the bars it explains.
  const look = (sel) => page.locator(sel).first().evaluate((r) => { const s = getComputedStyle(r); return [s.fill, s.fillOpacity]; });
  for (const m of marks) {
    const sel = m.split(' ').map((c) => `.${c}`).join('');
    assert.deepEqual(await look(`.legend rect${sel}`), await look(`svg.overview rect${sel}`), m);
  }
  await ctx.close();
});

test('on a phone the overview opens at its densest stretch, not at its start', async () => {
  const { ctx, page } = await open({ viewport: { width: 390, height: 844 } });
  const view = () => page.evaluate(() => {
    const box = document.querySelector('.overview-scroll');
    const r = box.getBoundingClientRect();
    const centers = Array.from(box.querySelectorAll('a[data-event] rect'), (b) => { const q = b.getBoundingClientRect(); return q.left + q.width / 2; });
    const visible = centers.filter((x) => x >= r.left && x <= r.right).length;
    // The most bars any window of this width could show.
    const xs = centers.slice().sort((a, b) => a - b);
    let best = 0;
    for (let i = 0, j = 0; i < xs.length; i++) {
      while (j < xs.length && xs[j] <= xs[i] + r.width) j++;
      best = Math.max(best, j - i);
    }
    return { visible, best, scrolls: box.scrollWidth > box.clientWidth };
  });
  const opened = await view();
  assert.ok(opened.scrolls, 'the overview does not scroll on a phone');
  assert.ok(opened.visible >= opened.best - 2, `${opened.visible} bars shown, ${opened.best} in the densest stretch`);
  // Scrolled back to its start (the right end, in RTL), it shows fewer.
  await page.evaluate(() => { const box = document.querySelector('.overview-scroll'); box.scrollLeft = document.documentElement.dir === 'rtl' ? box.scrollWidth : -box.scrollWidth; box.scrollLeft = 0; });
  const start = await view();
  assert.ok(start.visible < opened.visible, `the start shows ${start.visible}, the opening view ${opened.visible}`);
  await ctx.close();
});

test('each event names its sources by article title and paragraph, linking to the passage', async () => {
  const { ctx, page } = await open();
  const sources = await page.locator('.event-sources a').evaluateAll((as) => as.map((a) => ({ text: a.textContent, href: a.href })));
  assert.ok(sources.length > 5);
  for (const s of sources) {
    assert.match(s.text, /^«.+»(، الفقرة \d+)?$/, s.text);
    assert.doesNotMatch(s.text, /\[\d+\]/);
    const file = fileURLToPath(s.href.split('#')[0]);
    assert.ok(fs.existsSync(file), s.href);
    const html = fs.readFileSync(file, 'utf8');
    const title = (html.match(/<h1>([^<]+)<\/h1>/) || [])[1] || '';
    const shown = s.text.replace(/^«/, '').replace(/»(، الفقرة \d+)?$/, '').replace(/…$/, '');
    assert.ok(title.startsWith(shown), `${shown} is not the start of ${title}`);
  }
  assert.ok(sources.some((s) => /الفقرة \d+/.test(s.text)), 'no paragraph named');
  await ctx.close();
});

// The events shown and the bars not dimmed.
async function shown(page) {
  return page.evaluate(() => ({
    events: Array.from(document.querySelectorAll('li.event'), (li) => li).filter((li) => li.offsetParent !== null).map((li) => ({ id: li.id.slice(6), entities: li.dataset.entities.split(' '), articles: li.dataset.articles.split(' ') })),
    bars: Array.from(document.querySelectorAll('svg.overview a[data-event]:not(.filtered-out)'), (a) => a.dataset.event),
    status: document.getElementById('filter-status').textContent,
    years: Array.from(document.querySelectorAll('section.year'), (s) => s.offsetParent !== null),
  }));
}

test('filters by entity and by article show only the matching events, from file://', async () => {
  const { ctx, page, errors } = await open();
  const all = await shown(page);
  assert.ok(await page.locator('form.timeline-filter').isVisible(), 'the filters are hidden with JavaScript on');
  const entities = await page.locator('#filter-entity option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
  const articles = await page.locator('#filter-article option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
  assert.ok(entities.length > 3 && articles.length > 1);
  for (const [select, values, field] of [['#filter-entity', entities.slice(0, 6), 'entities'], ['#filter-article', articles, 'articles']]) {
    for (const v of values) {
      await page.selectOption(select, v);
      const s = await shown(page);
      const expected = all.events.filter((e) => e[field].includes(v)).map((e) => e.id);
      assert.ok(expected.length > 0, v);
      assert.deepEqual(s.events.map((e) => e.id), expected, `${field} ${v}`);
      assert.deepEqual(s.bars.sort(), expected.slice().sort(), `bars for ${v}`);
      assert.match(s.status, new RegExp(`^${expected.length} `));
      assert.ok(new URL(page.url()).search.includes(`${field === 'entities' ? 'entity' : 'article'}=${v}`));
    }
    await page.selectOption(select, '');
  }
  // Both at once.
  await page.selectOption('#filter-entity', entities[0]);
  const withEntity = await shown(page);
  const art = withEntity.events[0].articles[0];
  await page.selectOption('#filter-article', art);
  const both = await shown(page);
  assert.deepEqual(both.events.map((e) => e.id), all.events.filter((e) => e.entities.includes(entities[0]) && e.articles.includes(art)).map((e) => e.id));
  await page.click('form.timeline-filter button[type="reset"]');
  await page.waitForFunction((n) => document.querySelectorAll('li.event:not([hidden])').length === n, all.events.length);
  assert.deepEqual(errors, []);
  assert.deepEqual(ctx.external, []);
  await ctx.close();
  // A link with the filter in its address opens filtered.
  const linked = await open({}, `?entity=${entities[1]}`);
  const s = await shown(linked.page);
  assert.ok(s.events.length > 0 && s.events.every((e) => e.entities.includes(entities[1])), entities[1]);
  assert.equal(await linked.page.inputValue('#filter-entity'), entities[1]);
  await linked.ctx.close();
});

test('with JavaScript off, every event shows and the filters do not', async () => {
  const { ctx, page } = await open({ javaScriptEnabled: false });
  const total = await page.locator('li.event').count();
  assert.equal(await page.locator('li.event:visible').count(), total);
  assert.ok(!(await page.locator('form.timeline-filter').isVisible()));
  await ctx.close();
});
