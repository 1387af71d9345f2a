// The Content-Security-Policy that every page declares in a <meta> is one
// the theme satisfies: each page opens from file:// with no policy
// violation, its own scripts run under it (milaf.js marks the document),
// and the policy is in force (an inline script added to a page is refused
// and reported, which also shows that the check can fail).
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const site = require('./lib/site');

// Recorded before any script of the page runs.
const RECORD = `
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__violations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber);
  });
`;

test('every page declares a Content-Security-Policy and violates none of it', async (t) => {
  const files = site.htmlFiles();
  assert.ok(files.length > 0, 'the build has no page');
  const browser = await site.launch();
  t.after(() => browser.close());
  const ctx = await site.newContext(browser);
  await ctx.addInitScript(RECORD);
  const page = await ctx.newPage();
  const problems = [];
  for (const rel of files) {
    await page.goto(site.fileUrl(rel), { waitUntil: 'load' });
    const info = await page.evaluate(() => ({
      policy: (document.querySelector('meta[http-equiv="Content-Security-Policy"]') || {}).content || null,
      violations: window.__violations,
    }));
    if (!info.policy) problems.push(`${rel}: no Content-Security-Policy <meta>`);
    else if (/unsafe-inline|unsafe-eval|\*/.test(info.policy)) problems.push(`${rel}: the policy lets inline code or any host through: ${info.policy}`);
    for (const v of info.violations) problems.push(`${rel}: violation: ${v}`);
  }
  assert.deepEqual(problems, [], `${problems.length} problem(s):\n${problems.join('\n')}`);
});

test("the theme's scripts run under the policy, and an inline script does not", async (t) => {
  const browser = await site.launch();
  t.after(() => browser.close());
  const ctx = await site.newContext(browser);
  await ctx.addInitScript(RECORD);
  const page = await ctx.newPage();
  await page.goto(site.fileUrl(site.must('search/index.html', 'search page')), { waitUntil: 'load' });
  // search/index.js and static/search.js ran: the index is loaded.
  assert.equal(await page.evaluate(() => typeof window.MILAF_SEARCH), 'object', 'the search index script did not run');
  const ran = await page.evaluate(() => {
    window.__inline = false;
    const s = document.createElement('script');
    s.textContent = 'window.__inline = true;';
    document.body.appendChild(s);
    return window.__inline;
  });
  assert.equal(ran, false, 'an inline script ran despite the policy');
  await page.waitForFunction(() => window.__violations.length > 0);
  const violations = await page.evaluate(() => window.__violations);
  assert.ok(violations.some((v) => v.startsWith('script-src')), `no script-src violation reported: ${violations}`);
});
