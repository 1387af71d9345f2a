// Search from file:// in headless Chromium, on a built site: the size of the
// index (total and per kind of shard), then, for one-word, three-word and
// quoted-phrase queries drawn from the site's own paragraphs, the time from
// the query to its first results on the page, the time until the first page
// of results is complete, and the bytes of index the query loaded (median and
// spread of RUNS queries of each kind). Each query runs
// in a fresh page, so nothing loaded by an earlier query helps it; the
// manifest (search/index.js) is loaded with the page and counted apart.
//
// Usage: node bench/search.js SITE [RUNS] [SEED]
//   SITE  the output folder of `milaf build` (e.g. /dev/shm/d10k/public)
//   RUNS  queries of each kind (default 10)
//   SEED  which paragraphs the queries come from (default 1)
// Needs tests/browser's packages (cd tests/browser && npm ci --ignore-scripts)
// and Debian's chromium (MILAF_CHROMIUM overrides its path).
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { chromium } = require(path.join(__dirname, '..', 'tests', 'browser', 'node_modules', 'playwright-core'));
const zlib = require('node:zlib');
const { normalize, words, unpack } = require(path.join(__dirname, '..', 'themes', 'default', 'static', 'search.js'));

const SITE = path.resolve(process.argv[2] || 'public');
const RUNS = Number(process.argv[3] || 10);
let seed = Number(process.argv[4] || 1);

function random() {
  // mulberry32: the same queries for the same seed.
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function kib(n) {
  return `${(n / 1024).toFixed(1)} KiB`;
}

function mib(n) {
  return `${(n / 1048576).toFixed(1)} MiB`;
}

// Runs a shard script's assignment and gives its value (a unit shard's
// JSON, inflated from its string when it is compressed).
function shardValue(file) {
  const window = {};
  new Function('window', fs.readFileSync(file, 'utf8'))(window);
  if (!window.MILAF_SHARDS) return window.MILAF_SEARCH;
  const value = Object.values(window.MILAF_SHARDS)[0];
  if (typeof value !== 'string') return value;
  // 7 bits per character, most significant first (search.rs `text7`).
  const bytes = Buffer.alloc(Math.floor((value.length * 7) / 8));
  let acc = 0, bits = 0, j = 0;
  for (let i = 0; i < value.length && j < bytes.length; i++) {
    acc = ((acc << 7) | (value.charCodeAt(i) & 127)) & 0x7fff;
    bits += 7;
    if (bits >= 8) {
      bits -= 8;
      bytes[j++] = (acc >> bits) & 255;
    }
  }
  return JSON.parse(zlib.inflateRawSync(bytes).toString('utf8'));
}

function indexSizes() {
  const dir = path.join(SITE, 'search', 'shards');
  const manifest = fs.statSync(path.join(SITE, 'search', 'index.js')).size;
  const kinds = { t: [], o: [], d: [] };
  if (fs.existsSync(dir)) {
    for (const f of fs.readdirSync(dir)) kinds[f[0]].push(fs.statSync(path.join(dir, f)).size);
  }
  const all = [manifest, ...kinds.t, ...kinds.o, ...kinds.d];
  console.log(`index: ${all.length} files, ${mib(all.reduce((a, b) => a + b, 0))}; manifest (search/index.js) ${kib(manifest)}`);
  const names = { t: 'term shards', o: 'postings pieces', d: 'unit shards' };
  for (const k of ['t', 'o', 'd']) {
    const xs = kinds[k];
    if (xs.length === 0) continue;
    const total = xs.reduce((a, b) => a + b, 0);
    console.log(`  ${names[k]}: ${xs.length} files, ${mib(total)}, median ${kib(median(xs))}, largest ${kib(Math.max(...xs))}`);
  }
  console.log(`  largest file: ${kib(Math.max(...all))}`);
}

// Paragraph texts drawn from random units (by unit number, so that the
// same seed draws the same paragraphs whatever the shards' size).
function paragraphs(count) {
  const dir = path.join(SITE, 'search', 'shards');
  const manifest = shardValue(path.join(SITE, 'search', 'index.js'));
  const out = [];
  while (out.length < count) {
    const n = Math.floor(random() * manifest.units);
    const unit = shardValue(path.join(dir, `d${Math.floor(n / manifest.per)}.js`)).u[n % manifest.per];
    if (unit[1] !== 'p') continue;
    const text = unpack(unit[4]);
    if (words(normalize(text)).length >= 12) out.push(text);
  }
  return out;
}

// The words of a text as written (split where the normalised words are).
function writtenWords(text) {
  return text.split(/[\s،؛.,:!?«»"“”()\[\]]+/).filter((w) => words(normalize(w)).length === 1);
}

function queries() {
  const q = { 'one word': [], 'three words': [], phrase: [] };
  for (const text of paragraphs(3 * RUNS)) {
    const ws = writtenWords(text);
    const at = Math.floor(random() * (ws.length - 8));
    if (q['one word'].length < RUNS) q['one word'].push(ws[at + 4]);
    else if (q['three words'].length < RUNS) q['three words'].push([ws[at], ws[at + 3], ws[at + 7]].join(' '));
    else q.phrase.push(`«${ws.slice(at, at + 3).join(' ')}»`);
  }
  return q;
}

async function main() {
  if (!fs.existsSync(path.join(SITE, 'search', 'index.html'))) throw new Error(`no search page under ${SITE}`);
  indexSizes();
  const sharded = fs.existsSync(path.join(SITE, 'search', 'shards'));
  if (!sharded) {
    console.log('one-file index: nothing is loaded per query');
    return;
  }
  const browser = await chromium.launch({
    executablePath: process.env.MILAF_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  const url = pathToFileURL(path.join(SITE, 'search', 'index.html')).href;
  console.log(`\n${RUNS} queries of each kind, time from the query to its first results:`);
  console.log('| query | first results, median ms | min–max ms | first page complete, median ms | median KiB loaded | max KiB | median files |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const [kind, list] of Object.entries(queries())) {
    const times = [];
    const pages = [];
    const bytes = [];
    const files = [];
    for (const query of list) {
      const page = await browser.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(url, { waitUntil: 'load' });
      const r = await page.evaluate(async (q) => {
        const list = document.getElementById('search-results');
        const t0 = performance.now();
        await window.milafSearch.show(q);
        const ms = performance.now() - t0;
        // Then the rest of the first page, and every shard the query loaded.
        while (list.getAttribute('aria-busy') !== 'false') await new Promise((r) => setTimeout(r, 5));
        return {
          ms,
          page: performance.now() - t0,
          loaded: window.milafSearch.loaded.slice(),
          status: document.getElementById('search-status').textContent,
          groups: document.querySelectorAll('#search-results > li').length,
        };
      }, query);
      if (errors.length) throw new Error(`${query}: ${errors.join('; ')}`);
      if (r.groups === 0) throw new Error(`${query}: no result (${r.status})`);
      times.push(r.ms);
      pages.push(r.page);
      files.push(r.loaded.length);
      bytes.push(r.loaded.reduce((n, name) => n + fs.statSync(path.join(SITE, 'search', 'shards', `${name}.js`)).size, 0));
      if (process.env.VERBOSE) console.log(`  ${query}: ${r.ms.toFixed(0)} ms, ${kib(bytes[bytes.length - 1])}, ${r.status}`);
      await page.close();
    }
    console.log(`| ${kind} | ${median(times).toFixed(0)} | ${Math.min(...times).toFixed(0)}–${Math.max(...times).toFixed(0)} | ${median(pages).toFixed(0)} | ${(median(bytes) / 1024).toFixed(0)} | ${(Math.max(...bytes) / 1024).toFixed(0)} | ${median(files)} |`);
  }
  await browser.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
