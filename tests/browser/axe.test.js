// axe-core (injected into the page) must find 0 violations, tags wcag2a,
// wcag2aa, wcag21aa and best-practice. Light mode: every page of the build.
// Dark mode (only colours change): the home page, every article, an article
// with a note open and with an entity's preview card open, an entity page, the entity index, the
// timeline, and search, 404 and a free page when the build has them.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const site = require('./lib/site');

const AXE = require.resolve('axe-core/axe.min.js');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice'];
// Rules switched off, each with its reason. None so far.
const DISABLED = {};

function describe(violations) {
  return violations.map((v) => {
    const nodes = v.nodes.slice(0, 6).map((n) => `      ${n.target.join(' ')}\n        ${n.failureSummary.replace(/\n/g, ' | ')}`).join('\n');
    const more = v.nodes.length > 6 ? `\n      … and ${v.nodes.length - 6} more` : '';
    return `  [${v.impact}] ${v.id}: ${v.help} (${v.nodes.length} element(s))\n${nodes}${more}`;
  }).join('\n');
}

async function axe(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async ({ tags, disabled }) => {
    const rules = {};
    for (const id of disabled) rules[id] = { enabled: false };
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, rules, resultTypes: ['violations'] });
    return r.violations;
  }, { tags: TAGS, disabled: Object.keys(DISABLED) });
}

const pages = { ...site.keyPages(), ...site.otherPages() };
const articles = site.htmlFiles().filter((f) => /^articles\/[^/]+\/index\.html$/.test(f));
const KINDS = { articles: 'article', entities: 'entity', timeline: 'timeline', pages: 'page', search: 'search' };
const kind = (f) => KINDS[f.split('/')[0]] || 'page';
const lists = {
  light: Object.entries(pages).concat(site.htmlFiles().map((f) => [kind(f), f])),
  dark: Object.entries(pages).concat(articles.map((f) => ['article', f])),
};

for (const scheme of ['light', 'dark']) {
  test(`axe-core: 0 violations, ${scheme} mode`, async (t) => {
    const browser = await site.launch();
    t.after(() => browser.close());
    // axe-core is injected as an inline script, which the pages' own
    // Content-Security-Policy refuses (csp.test.js checks it in force).
    const ctx = await site.newContext(browser, { colorScheme: scheme, bypassCSP: true });
    const seen = new Set();
    for (const [name, rel] of lists[scheme]) {
      if (seen.has(rel)) continue;
      seen.add(rel);
      await t.test(`${name} (${rel})`, async () => {
        const page = await site.open(ctx, rel);
        await page.emulateMedia({ colorScheme: scheme });
        const v = await axe(page);
        await page.close();
        assert.equal(v.length, 0, `${rel} in ${scheme} mode:\n${describe(v)}`);
      });
    }
    await t.test(`article with a note open (${pages.article})`, async () => {
      const page = await site.open(ctx, pages.article);
      await page.emulateMedia({ colorScheme: scheme });
      await page.locator('sup.noteref a').first().click();
      await page.locator('.sidenote.active, .note-sheet').first().waitFor();
      const v = await axe(page);
      await page.close();
      assert.equal(v.length, 0, `${pages.article} with a note open, ${scheme} mode:\n${describe(v)}`);
    });
    await t.test(`article with an entity's preview card open (${pages.article})`, async () => {
      const page = await site.open(ctx, pages.article);
      await page.emulateMedia({ colorScheme: scheme });
      await page.locator('.text a.mention').first().hover();
      await page.locator('.entity-card').waitFor();
      const v = await axe(page);
      await page.close();
      assert.equal(v.length, 0, `${pages.article} with a preview card open, ${scheme} mode:\n${describe(v)}`);
    });
    assert.deepEqual(ctx.external, [], 'network requests');
  });
}
