// The JavaScript port of milaf's Arabic normaliser and search terms
// (static/search.js) gives the same text, words and forms as the Rust ones
// (src/arabic.rs, src/terms.rs) on every case of normalize-cases.json,
// which `cargo test --test search` keeps equal to the Rust output on the
// sample dossier's texts and on hard cases.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { normalize, normalizeWithMap, words, forms, unpack } = require('../../themes/default/static/search.js');
const cases = require('./normalize-cases.json');

test('the JavaScript normaliser agrees with the Rust one on every case', () => {
  assert.ok(cases.length > 100, `only ${cases.length} cases`);
  const wrong = cases.filter((c) => normalize(c.input) !== c.expected);
  assert.deepEqual(wrong.map((c) => ({ input: c.input, js: normalize(c.input), rust: c.expected })), []);
});

test('the JavaScript cuts words and their forms without proclitics as the Rust index does', () => {
  assert.ok(cases.some((c) => c.terms.some((forms) => forms.length > 2)), 'no case with proclitics');
  const wrong = cases.filter((c) => JSON.stringify(words(c.expected).map(forms)) !== JSON.stringify(c.terms));
  assert.deepEqual(wrong.map((c) => ({ input: c.input, js: words(c.expected).map(forms), rust: c.terms })), []);
});

test('the map points each normalised unit back into the text as written', () => {
  for (const c of cases) {
    const m = normalizeWithMap(c.input);
    assert.equal(m.map.length, m.text.length + 1, c.input);
    assert.equal(m.map[m.map.length - 1], c.input.length);
    for (let i = 1; i < m.map.length; i++) assert.ok(m.map[i] >= m.map[i - 1], `map goes backwards in ${path.basename(c.input)}`);
  }
});

test('the JavaScript unpacks a unit shard\'s text as the Rust index packed it', () => {
  assert.ok(cases.some((c) => c.packed.includes('~')), 'no case with an escape');
  assert.ok(cases.some((c) => c.packed.length < c.input.length * 0.8 || Buffer.byteLength(c.packed) < Buffer.byteLength(c.input) * 0.7), 'nothing packed smaller');
  const wrong = cases.filter((c) => unpack(c.packed) !== c.input);
  assert.deepEqual(wrong.map((c) => ({ input: c.input, packed: c.packed, js: unpack(c.packed) })), []);
});
