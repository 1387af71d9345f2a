// `milaf serve` in a real browser: after a failed build the live script
// shows the diagnostics over the last good page (an alertdialog that takes
// the focus, text only, the offending value marked in its line, no axe-core
// violation); a page opened while the build is broken shows it too; Escape
// closes it; fixing the content reloads the page with the new text and
// without the overlay. Runs the debug binary (`cargo build` first, as
// .ci/checks.sh does; MILAF_BIN overrides) on a temporary copy of the
// tests/fixtures/anchoring/passages dossier, on 127.0.0.1 only.
// MILAF_SHOTS=DIR keeps a screenshot of the overlay.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const site = require('./lib/site');

const REPO = path.resolve(__dirname, '..', '..');
const BIN = process.env.MILAF_BIN || path.join(REPO, 'target', 'debug', 'milaf');
const FIXTURE = path.join(REPO, 'tests', 'fixtures', 'anchoring', 'passages', 'content');
const ANNOTATIONS = path.join('content', 'annotations', 'shipment.yaml');
const AXE = require.resolve('axe-core/axe.min.js');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice'];
const WAIT = 20000;

/** Starts `milaf serve --port 0` on `root`; resolves with the child and its URL. */
function serve(root) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, ['--root', root, 'serve', '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    const timer = setTimeout(() => reject(new Error(`no "serving" line in 60 s:\n${log}`)), 60000);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`milaf serve exited (${code}):\n${log}`)); });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      log += chunk;
      const m = /^serving (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(log);
      if (m) { clearTimeout(timer); resolve({ child, url: m[1], log: () => log }); }
    });
  });
}

function edit(root, replacements) {
  const file = path.join(root, ANNOTATIONS);
  let text = fs.readFileSync(file, 'utf8');
  for (const [from, to] of replacements) {
    assert.ok(text.includes(from), `${ANNOTATIONS} has no ${from}`);
    text = text.replace(from, to);
  }
  fs.writeFileSync(file, text);
}

test('serve: build errors over the last good page, then a reload once fixed', async (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'milaf-serve-'));
  fs.cpSync(FIXTURE, path.join(root, 'content'), { recursive: true });
  const server = await serve(root);
  const browser = await site.launch();
  t.after(async () => {
    await browser.close();
    server.child.kill();
    fs.rmSync(root, { recursive: true, force: true });
  });
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(`${server.url}articles/shipment/`, { waitUntil: 'load' });
  assert.equal(await page.locator('[role="alertdialog"]').count(), 0, 'no overlay while the build is good');

  const newNote = 'ملاحظة كتبت والمعاينة مفتوحة.';
  edit(root, [['تتداخل هذه الملاحظة مع السابقة.', newNote], ['speaker: omar-diarra', 'speaker: omar-diara']]);
  const dialog = page.locator('[role="alertdialog"]');
  await dialog.waitFor({ timeout: WAIT });
  const text = await dialog.innerText();
  assert.match(text, /Build failed: 1 error/);
  assert.match(text, /unknown entity 'omar-diara'/);
  assert.match(text, /content\/annotations\/shipment\.yaml:15:12/);
  assert.match(text, /help: did you mean 'omar-diarra'\?/);
  assert.equal(await dialog.locator('mark').innerText(), 'omar-diara', 'the offending value is marked');
  assert.equal(await dialog.locator('pre').getAttribute('dir'), 'auto');
  assert.ok(await dialog.evaluate((d) => d === document.activeElement), 'the dialog has the focus');
  assert.ok(!(await page.content()).includes(newNote), 'the page is still the last good build');
  if (process.env.MILAF_SHOTS) await page.screenshot({ path: path.join(process.env.MILAF_SHOTS, 'serve-overlay.png') });

  // Evaluated, not added as a <script>: the page's Content-Security-Policy,
  // which the live script works under, refuses inline scripts.
  await page.evaluate(fs.readFileSync(AXE, 'utf8'));
  const violations = await page.evaluate(async (tags) => {
    const r = await window.axe.run('#milaf-build-errors', { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  }, TAGS);
  assert.deepEqual(violations, [], 'axe-core on the overlay');

  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached', timeout: WAIT });

  const later = await ctx.newPage();
  await later.goto(server.url, { waitUntil: 'load' });
  await later.locator('[role="alertdialog"]').waitFor({ timeout: WAIT });
  await later.close();

  edit(root, [['speaker: omar-diara\n', 'speaker: omar-diarra\n']]);
  await page.waitForFunction((note) => document.body.textContent.includes(note), newNote, { timeout: WAIT });
  assert.equal(await page.locator('[role="alertdialog"]').count(), 0, 'the reloaded page has no overlay');
});
