// The search page works from file:// (its index is made of scripts, never
// fetched) and matches Arabic the way the rest of milaf does: without
// regard to tashkeel, hamza forms, taa marbuta or alef maqsura, and with
// the proclitics of mention matching. Two sites: the sample dossier (the
// index is one file) and a synthetic dossier large enough for the index to
// be cut into shards (MILAF_SHARDED_SITE, built by .ci/checks.sh from
// examples/synth.rs with the words of lib/plant.js planted in it). On
// each: a word from the middle of a paragraph of the last article, a word
// only in a note, a phrase, a query with proclitics and tashkeel; each
// finds its target, and following the result's link lands on it.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const site = require('./lib/site');
const { NEEDLES } = require('./lib/plant');
const { normalize, words } = require('../../themes/default/static/search.js');

const SAMPLE = site.SITE;
const SHARDED = process.env.MILAF_SHARDED_SITE ? path.resolve(process.env.MILAF_SHARDED_SITE) : null;

function searchUrl(root, query) {
  const url = pathToFileURL(path.join(root, 'search', 'index.html')).href;
  return query === undefined ? url : `${url}?q=${encodeURIComponent(query)}`;
}

let browser = null;
test.before(async () => {
  browser = await site.launch();
});
test.after(async () => {
  if (browser) await browser.close();
});

// The results of `query` on the search page of `root`: groups (title, link,
// hits with their link and marked words), the status line and the shards
// loaded. `pages` more pages of results are asked for first.
async function results(root, query, pages = 0) {
  const ctx = await site.newContext(browser);
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(searchUrl(root, query), { waitUntil: 'load' });
  await page.locator('#search-results[aria-busy="false"]').waitFor({ state: 'attached' });
  for (let i = 0; i < pages && (await page.locator('#search-more').count()) > 0; i++) {
    await page.locator('#search-more').click();
    await page.locator('#search-results[aria-busy="false"]').waitFor({ state: 'attached' });
  }
  const groups = await page.locator('#search-results > li').evaluateAll((lis) =>
    lis.map((li) => ({
      tag: li.querySelector('.result-head .tag').textContent,
      title: li.querySelector('.result-head a').textContent,
      href: li.querySelector('.result-head a').href,
      hits: [...li.querySelectorAll('.hit')].map((h) => ({ at: h.querySelector('a').textContent, href: h.querySelector('a').href, marks: [...h.querySelectorAll('mark')].map((m) => m.textContent), text: h.querySelector('.snippet').textContent })),
    })));
  const status = await page.locator('#search-status').innerText();
  const loaded = await page.evaluate(() => window.milafSearch.loaded.slice());
  assert.deepEqual(errors, [], 'script errors');
  assert.deepEqual(ctx.external, [], 'requests that are not file://');
  assert.deepEqual(ctx.broken, [], 'files that failed to load');
  await ctx.close();
  return { groups, hits: groups.flatMap((g) => g.hits), status, loaded };
}

// Follows the link of the hit whose link ends with `fragment` on the
// results page, and gives what the reader lands on.
async function land(root, query, file, fragment) {
  const ctx = await site.newContext(browser);
  const page = await ctx.newPage();
  await page.goto(searchUrl(root, query), { waitUntil: 'load' });
  await page.locator('#search-results[aria-busy="false"]').waitFor({ state: 'attached' });
  const link = page.locator(`#search-results .hit a[href="../${file}#${fragment}"]`).first();
  await link.click();
  await page.waitForURL((u) => u.hash === `#${fragment}`);
  const target = await page.evaluate(() => {
    const el = document.getElementById(location.hash.slice(1));
    return el && { text: el.textContent, path: location.pathname };
  });
  assert.deepEqual(ctx.external, []);
  await ctx.close();
  return target;
}

function has(text, word) {
  return words(normalize(text)).includes(normalize(word));
}

// Finds `fragment` (an article's path and anchor) among the hits of
// `query`, follows it, and checks that the spot holds `word`.
async function findsAndLands(root, query, file, anchor, word) {
  const { hits } = await results(root, query);
  const target = pathToFileURL(path.join(root, file)).href + '#' + anchor;
  assert.ok(hits.some((h) => h.href === target), `${query}: no hit links to ${file}#${anchor}; hits: ${hits.slice(0, 8).map((h) => h.href).join(', ')}`);
  const spot = await land(root, query, file, anchor);
  assert.ok(spot, `${anchor}: the link lands on no element`);
  assert.ok(spot.path.endsWith(file), `${spot.path} is not ${file}`);
  assert.ok(has(spot.text, word), `${file}#${anchor} does not hold ${word}`);
}

// Tashkeel on every letter of a word (fatha), as a reader might type it.
function voweled(word) {
  return [...word].map((c) => c + '\u064E').join('');
}

// ---- The sample dossier: the index is one file ----

// What the sample's pages hold, read in the browser: each article's
// paragraphs (by anchor) and notes (by anchor, body text).
async function sampleTexts() {
  const ctx = await site.newContext(browser);
  const out = [];
  for (const file of site.htmlFiles().filter((f) => /^articles\/[^/]+\/index\.html$/.test(f))) {
    const page = await site.open(ctx, file);
    out.push({
      file,
      title: await page.locator('h1').first().innerText(),
      paragraphs: await page.locator('div.para[id^="p"] > p').evaluateAll((ps) => ps.map((p) => ({ id: p.parentElement.id, text: p.textContent }))),
      notes: await page.locator('li.note').evaluateAll((ns) => ns.map((n) => ({ id: n.id, text: n.querySelector('.note-body').textContent }))),
    });
    await page.close();
  }
  await ctx.close();
  return out;
}

let texts = null;
async function sample() {
  if (!texts) texts = await sampleTexts();
  return texts;
}

// How often each normalised word occurs in the sample's paragraphs, titles and notes.
function counts(all) {
  const c = new Map();
  for (const a of all) {
    for (const t of [a.title, ...a.paragraphs.map((p) => p.text), ...a.notes.map((n) => n.text)]) {
      for (const w of words(normalize(t))) c.set(w, (c.get(w) || 0) + 1);
    }
  }
  return c;
}

// The rarest word of the middle third of the middle paragraph of the last article.
async function middleWord() {
  const all = await sample();
  const last = all[all.length - 1];
  const p = last.paragraphs[Math.floor(last.paragraphs.length / 2)];
  const ws = words(normalize(p.text));
  const middle = ws.slice(Math.floor(ws.length / 3), Math.ceil((2 * ws.length) / 3)).filter((w) => w.length > 3 && !/^\d+$/.test(w));
  const c = counts(all);
  middle.sort((a, b) => c.get(a) - c.get(b));
  return { file: last.file, anchor: p.id, word: middle[0], paragraph: p.text };
}

test('sample: the index is one file, loaded with the page: no shard is loaded for a query', async () => {
  assert.ok(fs.existsSync(path.join(SAMPLE, 'search', 'index.js')));
  assert.ok(!fs.existsSync(path.join(SAMPLE, 'search', 'shards')), 'a dossier this small needs no shards');
  const { groups, loaded } = await results(SAMPLE, 'لافروف');
  assert.ok(groups.length > 0);
  assert.deepEqual(loaded, []);
  const page = site.read('search/index.html');
  assert.doesNotMatch(page, /أكبر من أن يُحمَّل/, 'the page speaks of partial coverage');
});

test('sample: a name finds its entity first, with the hits marked', async () => {
  const { groups, hits } = await results(SAMPLE, 'لافروف');
  assert.ok(groups.length >= 5, `only ${groups.length} results`);
  assert.equal(groups[0].title, 'سيرغي لافروف');
  assert.ok(hits.every((h) => h.marks.length > 0), 'every hit marks the term');
});

// The spellings of a foreign name (its g, v, p written with different
// letters) find the same entity, which comes first when its name or an
// alias is the query, before records whose names only contain it; its
// Latin alias finds it too; and a result names its kind once.
async function foreignName(root, entity, queries, containing) {
  for (const q of queries) {
    const { groups } = await results(root, q);
    assert.ok(groups.length > 0, `${q}: no result`);
    assert.equal(groups[0].title, entity, `${q}: ${groups.slice(0, 4).map((g) => g.title).join(' | ')}`);
    if (containing) {
      const other = groups.findIndex((g) => g.title === containing);
      assert.ok(other > 0, `${q}: ${containing} missing or first`);
    }
    for (const g of groups) {
      assert.ok(g.tag, `${q}: ${g.title} has no kind`);
      for (const h of g.hits) assert.notEqual(h.at, g.tag, `${q}: ${g.title}: the kind shown again on a hit`);
    }
  }
}

test('sample: Arabic spellings of a foreign name and its Latin name find its entity first', async () => {
  await foreignName(SAMPLE, 'مجموعة فاغنر', ['فاغنر', 'فاجنر', 'فاقنر', 'ڤاغنر'], 'كل العيون على فاغنر');
  await foreignName(SAMPLE, 'مجموعة فاغنر', ['Wagner', 'wagner group']);
  await foreignName(SAMPLE, 'آسيمي غويتا', ['جويتا', 'غويتا', 'Goita', 'قويتا']);
  // The spelling as typed comes before other spellings: فاغنر's own hits
  // all hold فاغنر as written.
  const { hits } = await results(SAMPLE, 'فاجنر');
  assert.ok(hits.length > 5 && hits.every((h) => h.marks.some((m) => normalize(m).includes('اغنر'))), JSON.stringify(hits.slice(0, 3)));
});

test('sample: hamza, tashkeel and taa marbuta do not matter', async () => {
  const plain = await results(SAMPLE, 'الاركان ');
  const hamza = await results(SAMPLE, 'الأركان ');
  assert.ok(plain.hits.length > 0, 'no result for الاركان');
  assert.deepEqual(plain.hits.map((h) => h.href), hamza.hits.map((h) => h.href));
  const voweledQuery = await results(SAMPLE, 'مَالِي');
  assert.ok(voweledQuery.groups.length > 10, 'tashkeel in the query breaks the search');
});

test('sample: Latin names match whatever their case, a hyphenated one as a phrase', async () => {
  const lower = await results(SAMPLE, 't-72b3');
  assert.equal(lower.groups[0].title, 'T-72B3');
  assert.ok(lower.hits[0].marks.some((m) => m === 'T') && lower.hits[0].marks.some((m) => m === '72B3'), JSON.stringify(lower.hits[0]));
  const upper = await results(SAMPLE, 'BMP-3 ');
  assert.equal(upper.groups[0].title, 'BMP-3');
});

test('sample: several words must all match, and nonsense finds nothing', async () => {
  const both = await results(SAMPLE, 'كيدال 2023');
  assert.ok(both.hits.length > 0);
  for (const h of both.hits) assert.ok(has(h.text, 'كيدال') || h.marks.length > 0, h.text);
  const none = await results(SAMPLE, 'كلمةلاتوجد');
  assert.equal(none.groups.length, 0);
  assert.match(none.status, /لا نتائج/);
});

test('sample: a word from the middle of a paragraph of the last article', async () => {
  const m = await middleWord();
  await findsAndLands(SAMPLE, m.word, m.file, m.anchor, m.word);
});

test('sample: a word only in a note', async () => {
  const all = await sample();
  const inText = new Set(all.flatMap((a) => [a.title, ...a.paragraphs.map((p) => p.text)]).flatMap((t) => words(normalize(t))));
  const c = counts(all);
  let best = null;
  for (const a of all) {
    for (const n of a.notes) {
      for (const w of words(normalize(n.text))) {
        if (w.length > 4 && !inText.has(w) && !/^\d+$/.test(w) && (!best || c.get(w) < c.get(best.word))) best = { file: a.file, anchor: n.id, word: w };
      }
    }
  }
  assert.ok(best, 'no word of the sample is in a note only');
  await findsAndLands(SAMPLE, best.word, best.file, best.anchor, best.word);
});

test('sample: a phrase in quotation marks', async () => {
  const m = await middleWord();
  const ws = m.paragraph.split(/\s+/).filter((w) => words(normalize(w)).length === 1);
  const at = Math.floor(ws.length / 2) - 1;
  const phrase = ws.slice(at, at + 3).join(' ');
  await findsAndLands(SAMPLE, `«${phrase}»`, m.file, m.anchor, words(normalize(ws[at]))[0]);
  const { hits } = await results(SAMPLE, `«${phrase}»`);
  const target = words(normalize(phrase)).join(' ');
  for (const h of hits) assert.ok(words(normalize(h.text)).join(' ').includes(target), `a hit without the phrase: ${h.text}`);
});

test('sample: a query with proclitics and tashkeel', async () => {
  const m = await middleWord();
  const query = 'وَبِ' + voweled(m.word);
  await findsAndLands(SAMPLE, query, m.file, m.anchor, m.word);
});

test('sample: the last word is a prefix while the reader types', async () => {
  const m = await middleWord();
  const typed = [...m.word].slice(0, -1).join('');
  const { hits } = await results(SAMPLE, typed);
  const target = pathToFileURL(path.join(SAMPLE, m.file)).href + '#' + m.anchor;
  assert.ok(hits.some((h) => h.href === target), `${typed}: no hit on ${m.file}#${m.anchor}`);
});

// ---- A synthetic dossier whose index is cut into shards ----

function sharded() {
  if (!SHARDED) throw new Error('MILAF_SHARDED_SITE is not set: build a synthetic dossier with the words of lib/plant.js (see .ci/checks.sh)');
  if (!fs.existsSync(path.join(SHARDED, 'search', 'shards'))) throw new Error(`${SHARDED} has no search/shards: the dossier is too small to be sharded`);
  return SHARDED;
}

// The last article's id: the planted words are there.
function lastArticle(root) {
  const ids = fs.readdirSync(path.join(root, 'articles'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return { first: ids[0], last: ids[ids.length - 1] };
}

// The anchor of the last article's paragraph that holds `word`, from its page.
function paragraphWith(root, id, word) {
  const html = fs.readFileSync(path.join(root, 'articles', id, 'index.html'), 'utf8');
  const re = /<div class="para" id="(p\d+)"><p>([\s\S]*?)<\/p>/g;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    if (has(m[2].replace(/<[^>]+>/g, ''), word)) return m[1];
  }
  throw new Error(`no paragraph of ${id} holds ${word}`);
}

test('sharded: the index is shards of at most 512 KiB, a query loads a few of them', async () => {
  const root = sharded();
  const dir = path.join(root, 'search', 'shards');
  const sizes = fs.readdirSync(dir).map((f) => fs.statSync(path.join(dir, f)).size);
  assert.ok(sizes.length > 10, `only ${sizes.length} shards`);
  assert.ok(Math.max(...sizes, fs.statSync(path.join(root, 'search', 'index.js')).size) <= 512 * 1024);
  const { groups, loaded } = await results(root, NEEDLES.middle);
  assert.ok(groups.length > 0);
  assert.ok(loaded.some((n) => n.startsWith('t')) && loaded.some((n) => n.startsWith('d')), loaded.join(' '));
  assert.ok(loaded.length < 12, `${loaded.length} shards for one rare word`);
});

// Every shard is a script whose string is its data deflated, 7 bits a
// character (src/render/search.rs `text7`): nothing of it reads as JSON or
// text, so every query of the tests above and below goes through the
// page's inflating. Damaged data fails the query with the catalogue's
// message, not with a silent empty list.
test('sharded: every shard holds its data deflated, and damaged data fails the query with a message', async () => {
  const root = sharded();
  const dir = path.join(root, 'search', 'shards');
  const files = fs.readdirSync(dir);
  for (const kind of ['t', 'o', 'd']) assert.ok(files.some((f) => f.startsWith(kind)), `no ${kind} shard`);
  for (const f of files) {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    const m = /^\(window\.MILAF_SHARDS=window\.MILAF_SHARDS\|\|\{\}\)\["([tod]\d+)"\]="([^"\\\n\r<]*)";\n$/.exec(text);
    assert.ok(m, `${f} is not a shard script of one string`);
    assert.equal(`${m[1]}.js`, f);
    const outside = [...m[2]].find((c) => c.charCodeAt(0) >= 0x80 && (c.charCodeAt(0) < 0x100 || c.charCodeAt(0) >= 0x180));
    assert.equal(outside, undefined, `${f}: a character outside the 7-bit alphabet`);
  }
  const ctx = await site.newContext(browser);
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(searchUrl(root), { waitUntil: 'load' });
  const r = await page.evaluate(async (q) => {
    const shards = window.MILAF_SHARDS || (window.MILAF_SHARDS = {});
    // A string whose first deflate block has the reserved type 3.
    window.MILAF_SEARCH.terms.forEach((_, i) => { shards[`t${i}`] = 'corrupt data'; });
    await window.milafSearch.show(q);
    const list = document.getElementById('search-results');
    while (list.getAttribute('aria-busy') !== 'false') await new Promise((resolve) => setTimeout(resolve, 5));
    return { status: document.getElementById('search-status').textContent, groups: list.children.length };
  }, NEEDLES.middle);
  await ctx.close();
  assert.deepEqual(errors, []);
  assert.equal(r.groups, 0);
  assert.match(r.status, /^تعذّر تحميل فهرس البحث: /, r.status);
});

test('sharded: a word from the middle of a paragraph of the last article', async () => {
  const root = sharded();
  const { last } = lastArticle(root);
  const anchor = paragraphWith(root, last, NEEDLES.middle);
  await findsAndLands(root, NEEDLES.middle, `articles/${last}/index.html`, anchor, NEEDLES.middle);
});

test('sharded: a word only in a note', async () => {
  const root = sharded();
  const { last } = lastArticle(root);
  await findsAndLands(root, NEEDLES.note, `articles/${last}/index.html`, `note-${NEEDLES.noteId}`, NEEDLES.note);
});

test('sharded: a phrase in quotation marks finds its words in that order only; unquoted, the nearest together first', async () => {
  const root = sharded();
  const { first, last } = lastArticle(root);
  const anchor = paragraphWith(root, last, NEEDLES.phrase[0]);
  const quoted = `«${NEEDLES.phrase.join(' ')}»`;
  await findsAndLands(root, quoted, `articles/${last}/index.html`, anchor, NEEDLES.phrase[1]);
  const inOrder = await results(root, quoted);
  assert.ok(inOrder.hits.every((h) => !h.href.includes(`/articles/${first}/`)), 'the reversed words match the phrase');
  const loose = await results(root, NEEDLES.phrase.join(' ') + ' ');
  const hrefs = loose.hits.map((h) => h.href);
  const reversed = hrefs.findIndex((h) => h.includes(`/articles/${first}/`));
  const ordered = hrefs.findIndex((h) => h.endsWith(`/articles/${last}/index.html#${anchor}`));
  assert.ok(reversed >= 0 && ordered >= 0, hrefs.join(' '));
  // Side by side in the last article, apart in the first: the last
  // article comes first although its units come after.
  assert.ok(ordered < reversed, hrefs.join(' '));
  for (const h of loose.hits) assert.deepEqual([...new Set(h.marks.map(normalize))].sort(), [...NEEDLES.phrase].sort());
});

test('sharded: a query with proclitics and tashkeel', async () => {
  const root = sharded();
  const { last } = lastArticle(root);
  const anchor = paragraphWith(root, last, NEEDLES.clitic);
  // و + ب + الكهرمانيات, every letter with a fatha.
  await findsAndLands(root, 'وَبِ' + voweled(NEEDLES.clitic), `articles/${last}/index.html`, anchor, NEEDLES.clitic);
});

test('sharded: the last word is a prefix while the reader types', async () => {
  const root = sharded();
  const { last } = lastArticle(root);
  const anchor = paragraphWith(root, last, NEEDLES.middle);
  const { hits } = await results(root, [...NEEDLES.middle].slice(0, 5).join(''));
  assert.ok(hits.some((h) => h.href.endsWith(`/articles/${last}/index.html#${anchor}`)), hits.map((h) => h.href).join(' '));
});

test('sharded: Arabic spellings of a foreign name and its Latin name find its entity first', async () => {
  const { group, fans, spellings } = NEEDLES.foreign;
  await foreignName(sharded(), group.name, [group.aliases[0], ...spellings, group.aliases[1], group.aliases[1].toLowerCase()], null);
  const { groups } = await results(sharded(), spellings[0]);
  assert.ok(groups.some((g) => g.title === fans.name), `${fans.name} is not found by ${spellings[0]}`);
});

test('sharded: a common word gives pages of results grouped by article', async () => {
  const root = sharded();
  const { groups } = await results(root, 'مالي ', 1);
  assert.ok(groups.length > 20, `${groups.length} groups after asking for more`);
  const titles = groups.map((g) => g.href);
  assert.equal(new Set(titles).size, titles.length, 'an article shown as two groups');
  for (const g of groups) assert.ok(g.hits.length > 0 && g.hits.every((h) => h.href.startsWith(g.href.split('#')[0])), g.title);
});
