// Opens every built page from file:// in Chromium and checks that it loads
// with no network request (anything not file:// is blocked and fails), no
// missing file, no script error, the dossier's <html lang dir>, and that
// every internal link points at an existing file and an existing #fragment.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { fileURLToPath } = require('node:url');
const site = require('./lib/site');

const LANG = process.env.MILAF_LANG || 'ar';
const DIR = process.env.MILAF_DIR || 'rtl';

test('every page opens from file:// with no network request', async (t) => {
  const files = site.htmlFiles();
  assert.ok(files.length > 0, 'the build has no page');
  const browser = await site.launch();
  t.after(() => browser.close());
  const ctx = await site.newContext(browser);
  const page = await ctx.newPage();
  const problems = [];
  const links = []; // [from page, resolved file:// URL]
  const ids = new Map(); // file path -> Set of ids
  let current = '';
  let expected404 = false;
  page.on('pageerror', (e) => problems.push(`${current}: script error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // The one expected failure of the 404 page (see below).
    if (current === '404.html' && /^Failed to load resource/.test(m.text()) && !expected404) { expected404 = true; return; }
    problems.push(`${current}: console error: ${m.text()}`);
  });
  for (const rel of files) {
    current = rel;
    const before = { external: ctx.external.length, broken: ctx.broken.length };
    await page.goto(site.fileUrl(rel), { waitUntil: 'load' });
    const info = await page.evaluate(() => ({
      lang: document.documentElement.getAttribute('lang'),
      dir: document.documentElement.getAttribute('dir'),
      ids: Array.from(document.querySelectorAll('[id]'), (e) => e.id),
      links: Array.from(document.querySelectorAll('a[href], link[href], script[src], img[src], use[href], area[href], svg a[href]'),
        (e) => (e.href && e.href.baseVal !== undefined ? new URL(e.href.baseVal, document.baseURI).href : (e.href || e.src))),
    }));
    for (const u of ctx.external.slice(before.external)) problems.push(`${rel}: network request to ${u}`);
    // The 404 page names its stylesheet twice: from the site's path on a
    // host (which serves it at any address) and from beside it (a folder);
    // from file:// the first is not found (lib/site.js does not count it as
    // broken) and is no link to check.
    const hostOnly = rel === '404.html' ? await page.evaluate(() => Array.from(document.querySelectorAll('link[rel="stylesheet"][href^="/"]'), (l) => l.href)) : [];
    for (const u of ctx.broken.slice(before.broken)) problems.push(`${rel}: failed to load ${u}`);
    if (info.lang !== LANG || info.dir !== DIR) {
      problems.push(`${rel}: <html lang="${info.lang}" dir="${info.dir}">, expected lang="${LANG}" dir="${DIR}"`);
    }
    ids.set(fileURLToPath(page.url()), new Set(info.ids));
    for (const u of info.links) if (!hostOnly.includes(u)) links.push([rel, u]);
  }
  // Internal links: the file exists and, for an .html target, so does the fragment.
  const seen = new Set();
  for (const [rel, href] of links) {
    if (!href.startsWith('file:')) continue; // links out (the original article's URL) are not requests
    const key = `${rel} ${href}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const u = new URL(href);
    const target = fileURLToPath(u.origin === 'null' ? `file://${u.pathname}` : u.href.split('#')[0]);
    if (!fs.existsSync(target)) { problems.push(`${rel}: broken link to ${target}`); continue; }
    if (fs.statSync(target).isDirectory()) { problems.push(`${rel}: link to a folder (${target}) does not open from file://; link to its index.html`); continue; }
    const frag = u.hash ? decodeURIComponent(u.hash.slice(1)) : '';
    if (frag && target.endsWith('.html')) {
      let set = ids.get(target);
      if (!set) {
        problems.push(`${rel}: link to ${target} which is not a page of the build`);
      } else if (!set.has(frag)) {
        problems.push(`${rel}: link to #${frag} in ${target}, which has no element with that id`);
      }
    }
  }
  assert.deepEqual(problems, [], `${problems.length} problem(s):\n${problems.join('\n')}`);
});
