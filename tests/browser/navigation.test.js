// Navigation: the 404 page served by a static host at a nested address
// (a small HTTP server that answers every missing path with 404.html, as
// common static hosts do) loads its stylesheet and links to real pages;
// breadcrumbs, previous/next article, the entity page's table of contents
// and the header's search box (from a nested page, from file://).
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const site = require('./lib/site');

const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.json': 'application/json', '.xml': 'application/xml', '.txt': 'text/plain; charset=utf-8' };

// The site under `prefix`, as a static host serves it.
function host(root, prefix) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    let rel = decodeURIComponent(url.pathname);
    let file = null;
    if (rel.startsWith(prefix)) {
      rel = rel.slice(prefix.length);
      if (rel === '' || rel.endsWith('/')) rel += 'index.html';
      const p = path.join(root, rel);
      if (p.startsWith(root) && fs.existsSync(p) && fs.statSync(p).isFile()) file = p;
    }
    const status = file ? 200 : 404;
    file = file || path.join(root, '404.html');
    res.writeHead(status, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
    res.end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let browser = null;
test.before(async () => { browser = await site.launch(); });
test.after(async () => { if (browser) await browser.close(); });

test('the 404 page works at a nested address on a host: styled, and every link leads to a real page', async () => {
  const html = site.read('404.html');
  const prefix = (html.match(/data-site="([^"]+)"/) || [])[1];
  assert.ok(prefix, 'the 404 page names the site path');
  const server = await host(path.resolve(site.SITE), prefix);
  const base = `http://127.0.0.1:${server.address().port}`;
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await ctx.newPage();
    const loaded = [];
    page.on('response', (r) => loaded.push([r.url(), r.status()]));
    const res = await page.goto(`${base}${prefix}no/such/deep/page/here.html`, { waitUntil: 'load' });
    assert.equal(res.status(), 404);
    assert.ok(loaded.some(([u, s]) => u === `${base}${prefix}static/milaf.css` && s === 200), `stylesheet not loaded: ${JSON.stringify(loaded)}`);
    // Styled: the stylesheet's rules apply (the skip link is moved off screen).
    const styled = await page.evaluate(() => document.styleSheets.length > 0 && [...document.styleSheets].some((s) => { try { return s.cssRules.length > 10; } catch (e) { return false; } }));
    assert.ok(styled, 'no rules of milaf.css apply');
    const links = await page.evaluate(() => Array.from(document.querySelectorAll('a[href]'), (a) => a.href).filter((h) => !h.includes('#')));
    assert.ok(links.length >= 5, links.join(' '));
    for (const href of links) {
      const r = await ctx.request.get(href);
      assert.equal(r.status(), 200, `${href} is not a page of the site`);
    }
    // The header's search box goes to the search page with the query.
    await page.fill('#site-q', 'فاغنر');
    await Promise.all([page.waitForURL(/search\/index\.html\?q=/), page.press('#site-q', 'Enter')]);
    assert.equal(new URL(page.url()).pathname, `${prefix}search/index.html`);
  } finally {
    await ctx.close();
    server.close();
  }
});

test('from file://, the 404 page links relative to its folder', async () => {
  const ctx = await site.newContext(browser);
  const page = await site.open(ctx, '404.html');
  const links = await page.evaluate(() => Array.from(document.querySelectorAll('a[href]'), (a) => a.href).filter((h) => !h.includes('#')));
  for (const href of links) assert.ok(fs.existsSync(new URL(href)), `${href} does not exist`);
  const color = await page.evaluate(() => getComputedStyle(document.querySelector('.skip')).position);
  assert.equal(color, 'absolute', 'the stylesheet beside the page applies');
  assert.deepEqual(ctx.external, []);
  await ctx.close();
});

test('breadcrumbs name the way to the page, the page itself marked current', async () => {
  const ctx = await site.newContext(browser);
  for (const [rel, n] of [[site.entityPage(), 4], [site.articleWithNotes(), 3], ['timeline/index.html', 2]]) {
    const page = await site.open(ctx, rel);
    const crumbs = await page.locator('nav.crumbs').evaluate((nav) => ({
      label: nav.getAttribute('aria-label'),
      items: Array.from(nav.querySelectorAll('li'), (li) => ({ href: li.querySelector('a') && li.querySelector('a').href, current: li.querySelector('[aria-current="page"]') !== null })),
    }));
    assert.ok(crumbs.label, rel);
    assert.equal(crumbs.items.length, n, `${rel}: ${JSON.stringify(crumbs.items)}`);
    assert.ok(crumbs.items.at(-1).current && crumbs.items.slice(0, -1).every((i) => i.href && !i.current), rel);
    for (const i of crumbs.items.slice(0, -1)) assert.ok(fs.existsSync(new URL(i.href.split('#')[0])), i.href);
    const title = await page.locator('h1').first().innerText();
    if (rel !== 'timeline/index.html') assert.equal(await page.locator('nav.crumbs [aria-current="page"]').innerText(), title);
    await page.close();
  }
  await ctx.close();
});

test('previous and next articles walk every article once, in publication order', async () => {
  const ctx = await site.newContext(browser);
  const articles = site.htmlFiles().filter((f) => /^articles\/[^/]+\/index\.html$/.test(f));
  // The first one has no previous article; follow "next" from it.
  const firsts = [];
  for (const rel of articles) {
    const page = await site.open(ctx, rel);
    if ((await page.locator('a[rel="prev"]').count()) === 0) firsts.push(rel);
    await page.close();
  }
  assert.equal(firsts.length, 1, `articles without a previous one: ${firsts}`);
  const page = await site.open(ctx, firsts[0]);
  const seen = [];
  const dates = [];
  for (;;) {
    seen.push(new URL(page.url()).pathname);
    dates.push(await page.locator('.article-head dd time').first().getAttribute('datetime').catch(() => null));
    const next = page.locator('nav.prevnext a[rel="next"]');
    if ((await next.count()) === 0) break;
    await Promise.all([page.waitForNavigation(), next.click()]);
    // And back again is where we came from.
    assert.equal(await page.locator('nav.prevnext a[rel="prev"]').evaluate((a) => new URL(a.href).pathname), seen.at(-1));
  }
  assert.equal(new Set(seen).size, articles.length, seen.join('\n'));
  const known = dates.filter(Boolean);
  assert.deepEqual(known, known.slice().sort(), 'dates go forward');
  await ctx.close();
});

test('a long entity page opens with a table of contents whose links reach their sections', async () => {
  const ctx = await site.newContext(browser);
  const rel = site.htmlFiles().filter((f) => /^entities\/[^/]+\/index\.html$/.test(f))
    .sort((a, b) => fs.statSync(path.join(site.SITE, b)).size - fs.statSync(path.join(site.SITE, a)).size)[0];
  const page = await site.open(ctx, rel);
  const toc = page.locator('nav.entity-toc a');
  assert.ok((await toc.count()) > 3, `${rel}: no table of contents`);
  const last = toc.last();
  const target = (await last.getAttribute('href')).slice(1);
  await last.click();
  const top = await page.evaluate((id) => document.getElementById(id).getBoundingClientRect().top, target);
  assert.ok(Math.abs(top) < 50, `#${target} is at ${top}px after following its link`);
  // Relations under headings.
  assert.ok((await page.locator('section[aria-labelledby="relations-title"] h3').count()) >= 2, 'relations grouped');
  await ctx.close();
});

test('the header search box of a nested page opens the search page with its query', async () => {
  const ctx = await site.newContext(browser);
  const page = await site.open(ctx, site.entityPage());
  await page.fill('#site-q', 'موسكو');
  await Promise.all([page.waitForURL(/search\/index\.html\?q=/), page.press('#site-q', 'Enter')]);
  await page.locator('#search-results[aria-busy="false"]').waitFor({ state: 'attached' });
  assert.equal(await page.inputValue('#q'), 'موسكو');
  assert.ok((await page.locator('#search-results > li').count()) > 0, 'no results');
  assert.deepEqual(ctx.external, []);
  assert.deepEqual(ctx.broken, []);
  await ctx.close();
});
