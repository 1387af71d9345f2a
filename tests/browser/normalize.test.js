// The JavaScript port of milaf's Arabic normaliser (static/search.js) gives
// the same text as the Rust one (src/arabic.rs) on every case of
// normalize-cases.json, which `cargo test --test search` keeps equal to the
// Rust output on the sample dossier's texts and on hard cases.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { normalize, normalizeWithMap } = require('../../themes/default/static/search.js');
const cases = require('./normalize-cases.json');

test('the JavaScript normaliser agrees with the Rust one on every case', () => {
  assert.ok(cases.length > 100, `only ${cases.length} cases`);
  const wrong = cases.filter((c) => normalize(c.input) !== c.expected);
  assert.deepEqual(wrong.map((c) => ({ input: c.input, js: normalize(c.input), rust: c.expected })), []);
});

test('the map points each normalised unit back into the text as written', () => {
  for (const c of cases) {
    const m = normalizeWithMap(c.input);
    assert.equal(m.map.length, m.text.length + 1, c.input);
    assert.equal(m.map[m.map.length - 1], c.input.length);
    for (let i = 1; i < m.map.length; i++) assert.ok(m.map[i] >= m.map[i - 1], `map goes backwards in ${path.basename(c.input)}`);
  }
});
