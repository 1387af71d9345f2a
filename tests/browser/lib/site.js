// Shared helpers for the browser tests: where the built site is, which of its
// pages play which role (home, article with notes, entity, ...), and how to
// start Debian's Chromium through playwright-core with every request that is
// not file:// recorded and blocked.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { chromium } = require('playwright-core');

const SITE = path.resolve(__dirname, '..', process.env.MILAF_SITE || '../../public');
const CHROMIUM = process.env.MILAF_CHROMIUM || '/usr/bin/chromium';
const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Every .html file of the built site, as paths relative to SITE, sorted. */
function htmlFiles() {
  if (!fs.existsSync(path.join(SITE, 'index.html'))) {
    throw new Error(`no built site at ${SITE} (set MILAF_SITE to the output folder of "milaf build")`);
  }
  const out = [];
  (function walk(dir) {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.html')) out.push(path.relative(SITE, p).split(path.sep).join('/'));
    }
  })(SITE);
  return out.sort();
}

function fileUrl(rel) {
  return pathToFileURL(path.join(SITE, rel)).href;
}

function read(rel) {
  return fs.readFileSync(path.join(SITE, rel), 'utf8');
}

/** Fails (throws) when the page does not exist, so that no check is skipped silently. */
function must(rel, what) {
  if (!rel || !fs.existsSync(path.join(SITE, rel))) {
    throw new Error(`the build has no ${what}${rel ? ` (${rel})` : ''}: this check cannot run`);
  }
  return rel;
}

/** The article page with the most note markers; throws if no article has notes. */
function articleWithNotes() {
  const articles = htmlFiles().filter((f) => /^articles\/[^/]+\/index\.html$/.test(f));
  if (articles.length === 0) throw new Error('the build has no article page');
  let best = null;
  let bestCount = 0;
  for (const f of articles) {
    const n = (read(f).match(/<sup class="noteref\b/g) || []).length;
    if (n > bestCount) { best = f; bestCount = n; }
  }
  if (!best) throw new Error('no article page of the build has a note marker (sup.noteref): the note checks cannot run');
  return best;
}

/** The entity page with the most mentions (the longest file), or throws. */
function entityPage() {
  const ents = htmlFiles().filter((f) => /^entities\/[^/]+\/index\.html$/.test(f));
  if (ents.length === 0) throw new Error('the build has no entity page (entities/<id>/index.html)');
  return ents.reduce((a, b) => (read(b).length > read(a).length ? b : a));
}

/** The pages the brief names, each must exist. */
function keyPages() {
  return {
    home: must('index.html', 'home page'),
    article: articleWithNotes(),
    entity: entityPage(),
    entities: must('entities/index.html', 'entity index'),
    timeline: must('timeline/index.html', 'timeline'),
  };
}

/** Other page types, checked when the build has them (search, article list, 404, a free page). */
function otherPages() {
  const files = htmlFiles();
  const out = {};
  if (files.includes('search/index.html')) out.search = 'search/index.html';
  if (files.includes('articles/index.html')) out.articles = 'articles/index.html';
  if (files.includes('404.html')) out.notfound = '404.html';
  const free = files.find((f) => /^pages\//.test(f) || /^[^/]+\/index\.html$/.test(f) && !/^(articles|entities|timeline|search)\//.test(f));
  if (free) out.page = free;
  return out;
}

async function launch() {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM} (apt-get install -y chromium)`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS });
}

/**
 * A browser context in which every request that is not file:// is recorded in
 * `ctx.external` and aborted, and every file:// request that fails (a missing
 * stylesheet, script or image) is recorded in `ctx.broken`.
 */
async function newContext(browser, options = {}) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  ctx.external = [];
  ctx.broken = [];
  // Recorded by the 'request' listener below; the route only blocks.
  await ctx.route((url) => url.protocol !== 'file:', (route) => route.abort('blockedbyclient'));
  ctx.on('request', (req) => {
    if (!req.url().startsWith('file:')) ctx.external.push(req.url());
  });
  const hostOnly = notFoundHostStylesheet();
  ctx.on('requestfailed', (req) => {
    if (!req.url().startsWith('file:')) return;
    // The 404 page names its stylesheet from the site's path on a host too
    // (a host serves it at any address); from a folder that one is not
    // found, by design, and the one beside the page is used.
    if (hostOnly && req.url() === hostOnly && req.frame() && req.frame().url().endsWith('/404.html')) return;
    ctx.broken.push(`${req.url()} (${req.failure() && req.failure().errorText})`);
  });
  // Service workers and WebSockets do not go through routing: refuse them too.
  ctx.on('websocket', (ws) => ctx.external.push(ws.url()));
  return ctx;
}

/**
 * The file:// URL the 404 page's stylesheet named from the site's path on a
 * host resolves to from a folder (`file:///mali-russia/static/milaf.css`),
 * or null when the build has no such page.
 */
function notFoundHostStylesheet() {
  const file = path.join(SITE, '404.html');
  if (!fs.existsSync(file)) return null;
  const href = (fs.readFileSync(file, 'utf8').match(/<link rel="stylesheet" href="(\/[^"]*)">/) || [])[1];
  return href ? new URL(href, 'file:///').href : null;
}

async function open(ctx, rel) {
  const page = await ctx.newPage();
  page.on('websocket', (ws) => ctx.external.push(ws.url()));
  await page.goto(fileUrl(rel), { waitUntil: 'load' });
  return page;
}

module.exports = { SITE, htmlFiles, fileUrl, read, must, articleWithNotes, entityPage, keyPages, otherPages, launch, newContext, open };
