//! The search index: every paragraph and heading of every article, every
//! article title, note, entity (its names, and its description), event and
//! free page is a *unit* (what a result links to: `#pN`, the note's anchor,
//! the record's page), and every word of every unit is in the index, at any
//! size of dossier.
//!
//! The index is a set of scripts, so that search works from `file://`
//! where `fetch` is refused: each file assigns its data to
//! `window.MILAF_SHARDS[name]`, and the search page adds a `<script>`
//! element for each one it needs. `search/index.js` (loaded with the page)
//! is the manifest: how many units there are and the first term of each
//! term shard. The other files, under `search/shards/`, are
//! - `tN.js`, term shards: the terms (`crate::terms`: words of the
//!   normalised text and their forms without proclitics) in UTF-16 order
//!   (the order of JavaScript's string comparison), cut where a shard would
//!   pass [`TERM_SHARD`]; each term with the number of units holding it and
//!   its postings, or, when they pass [`INLINE_MAX`], the numbers of the
//!   pieces that hold them;
//! - `oN.js`, the pieces of long postings (each below [`SHARD_LIMIT`], cut
//!   between units);
//! - `dN.js`, the units `N × UNITS_PER_SHARD` and the next ones: text as
//!   written (for the snippet, packed by [`pack_text`]), kind, anchor and
//!   result group (the article, or the entity, event or page itself) with
//!   its title and link.
//!
//! When everything fits in [`SHARD_LIMIT`], `search/index.js` holds every
//! shard itself and no other file is written: a small dossier loads one
//! file, as before the index was split.
//!
//! Each shard's value is a string: its payload compressed with raw
//! deflate (RFC 1951, at the fixed levels [`LEVEL`] and [`PIECE_LEVEL`],
//! so the same index gives the same bytes), 7 bits per character
//! ([`text7`]: about 1.2 bytes of script per byte, where base64 takes
//! 1.33); `search.js` takes the bits back from the characters' codes and
//! inflates them with `DecompressionStream("deflate-raw")`, which needs no
//! `fetch` and no `eval`. The payloads:
//! - a unit shard: JSON, `{"g": [[number, kind, title, link], …], "u":
//!   [[group, kind, anchor, label, packed text], …]}`;
//! - a term shard: a JSON array of `[term, units, postings]`, a line feed,
//!   then the inline postings of its terms one after the other: `postings`
//!   is their length in bytes there, or the array of the numbers of the
//!   pieces that hold them;
//! - a piece: postings alone.
//!
//! Postings are bytes: for each unit holding the term, a head, the
//! difference from the previous unit's number (from 0 for the first of a
//! list or piece) times two, plus one when the term occurs once in the
//! unit, followed, when it does not, by the number of occurrences; then
//! the word numbers of the occurrences, each as the difference from the
//! previous one. Every number is a little-endian varint of 7 bits per byte
//! (the 8th bit says that more follow).
//!
//! The index is built in parallel over fixed ranges of units, each range
//! normalised and cut into words once, its postings merged in unit order
//! into one string per term; the units' texts are not kept: the unit shards
//! are made afterwards, in parallel, from the dossier.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use rayon::prelude::*;

use super::{date_view, page_view, url, PageOut, Sink};
use crate::i18n::Catalogue;
use crate::model::*;
use crate::rich::{Block, Inline, RawRef};
use crate::{arabic, terms};

const ROOT: &str = "../";

/// The most a file of the index may weigh.
pub const SHARD_LIMIT: usize = 512 * 1024;

/// Where a term shard is cut: small, since a query loads a term shard for
/// each of its words (and its forms), and the manifest names the first
/// term of each (132 of them for 100,000 synthetic articles).
pub const TERM_SHARD: usize = 64 * 1024;

/// Postings longer than this go to pieces of their own, so that a term
/// shard holds many terms and a query for a rare word loads little.
pub const INLINE_MAX: usize = 8 * 1024;

/// The weights that decide how the index is cut (tests make them small).
#[derive(Debug, Clone, Copy)]
struct Limits {
    /// The most any file may weigh (one file, a piece of postings).
    shard: usize,
    /// Where a term shard is cut.
    terms: usize,
    inline: usize,
}

const LIMITS: Limits = Limits { shard: SHARD_LIMIT, terms: TERM_SHARD, inline: INLINE_MAX };

/// How many units a unit shard holds: small, since a page of results
/// loads one shard per result in the worst case; 64 rather than 32 since
/// deflate gains from the larger ones (14 % fewer bytes in all at 10,000
/// articles, and a shard weighs what a shard of 32 units weighed before
/// shards were compressed).
pub const UNITS_PER_SHARD: u32 = 64;

/// How many units one parallel task of the indexer takes.
const UNITS_PER_TASK: u32 = 4096;

/// The shards' folder, relative to the site.
const SHARDS: &str = "search/shards/";

/// The visible text of editorial Markdown, from its tree: link texts in
/// place of wiki links, nothing for citation markers, an image's alt, code
/// as written, blocks and line breaks as spaces.
pub(super) fn plain(d: &Dossier, rich: &Rich) -> String {
    /// The body and its resolved references, taken in reading order.
    struct Walk<'a> {
        rich: &'a Rich,
        refs: std::slice::Iter<'a, Option<Ref>>,
    }
    fn inlines(d: &Dossier, w: &mut Walk, list: &[Inline<RawRef>], text: &mut String) {
        for inline in list {
            match inline {
                Inline::Text(t) | Inline::Code(t) | Inline::Image { alt: t, .. } => text.push_str(t),
                Inline::Emphasis(c)
                | Inline::Strong(c)
                | Inline::Strikethrough(c)
                | Inline::Link { children: c, .. } => inlines(d, w, c, text),
                Inline::SoftBreak | Inline::HardBreak => text.push(' '),
                Inline::Ref { span, .. } => match w.refs.next() {
                    Some(Some(Ref::Link { target, text: shown })) => {
                        let name = match *target {
                            Target::Entity(e) => &d.entities[e as usize].name,
                            Target::Article(a) | Target::Paragraph(a, _) => &d.articles[a as usize].title,
                            Target::Page(p) => &d.pages[p as usize].title,
                        };
                        text.push_str(shown.as_deref().unwrap_or(name));
                    }
                    Some(Some(Ref::Cite(_))) => {}
                    Some(None) | None => text.push_str(w.rich.token(span)),
                },
            }
        }
    }
    fn blocks(d: &Dossier, w: &mut Walk, list: &[Block<RawRef>], text: &mut String) {
        for block in list {
            match block {
                Block::Paragraph(c) | Block::Plain(c) | Block::Heading { content: c, .. } => inlines(d, w, c, text),
                Block::List { items, .. } => items.iter().for_each(|item| blocks(d, w, item, text)),
                Block::Quote(inner) => blocks(d, w, inner, text),
                Block::Code { text: code, .. } => text.push_str(code),
                Block::Table { head, rows, .. } => {
                    for cell in head.iter().chain(rows.iter().flatten()) {
                        inlines(d, w, cell, text);
                        text.push(' ');
                    }
                }
                Block::Rule => {}
            }
            text.push(' ');
        }
    }
    let mut text = String::new();
    blocks(d, &mut Walk { rich, refs: rich.refs.iter() }, &rich.blocks, &mut text);
    tidy_spaces(&text)
}

/// `text` with its runs of white space as one space, none at either end,
/// and none before `.`, `،` or `؛` (citation markers leave one before the
/// punctuation they preceded).
fn tidy_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() && !word.starts_with(['.', '،', '؛']) {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The record a unit belongs to; its result group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Entity(usize),
    Event(usize),
    Page(usize),
    Article(usize),
}

/// One searchable unit.
struct Unit<'a> {
    group: Group,
    kind: &'static str,
    /// The fragment id it links to, or empty (the record's page).
    anchor: String,
    /// What the reader sees beside the kind (`¶3`), or empty.
    label: String,
    text: Cow<'a, str>,
}

/// Where each unit is. Names and titles come first, so that results in
/// the order of their units (at equal closeness) start with the records a
/// query names: each entity's name and aliases, each article's title, then
/// each entity's role and description, each event, each free page, then
/// each article's blocks and notes, article after article.
struct Layout<'c> {
    /// The wording of the units' labels and the groups' titles.
    cat: &'c Catalogue,
    entities: u32,
    articles: u32,
    events: u32,
    pages: u32,
    /// The number of each article's first body unit, and the total.
    bodies: Vec<u32>,
}

/// The kinds of units before the article bodies, in order.
const HEADS: [fn(&Dossier, usize) -> Unit<'_>; 5] = [name_unit, title_unit, entity_unit, event_unit, page_unit];

impl<'c> Layout<'c> {
    fn of(d: &Dossier, cat: &'c Catalogue) -> Layout<'c> {
        let (entities, articles, events, pages) =
            (d.entities.len() as u32, d.articles.len() as u32, d.events.len() as u32, d.pages.len() as u32);
        let mut at = 2 * entities + articles + events + pages;
        let mut bodies = Vec::with_capacity(d.articles.len() + 1);
        for a in &d.articles {
            bodies.push(at);
            at += (a.blocks.len() + a.notes.len() + a.about.len()) as u32;
        }
        bodies.push(at);
        Layout { cat, entities, articles, events, pages, bodies }
    }

    fn total(&self) -> u32 {
        self.bodies.last().copied().unwrap_or(0)
    }

    fn unit_shards(&self) -> u32 {
        self.total().div_ceil(UNITS_PER_SHARD)
    }

    /// Calls `f` with each unit whose number is in `range`, in order.
    fn each<'a>(&self, d: &'a Dossier, range: Range<u32>, f: &mut dyn FnMut(u32, Unit<'a>)) {
        let counts = [self.entities, self.articles, self.entities, self.events, self.pages];
        let mut base = 0;
        for (count, make) in counts.into_iter().zip(HEADS) {
            let from = range.start.max(base);
            let to = range.end.min(base + count);
            for id in from..to {
                f(id, make(d, (id - base) as usize));
            }
            base += count;
        }
        if range.end <= base {
            return;
        }
        // The article whose body holds the start, then the next ones.
        let start = range.start.max(base);
        let mut a = self.bodies.partition_point(|&b| b <= start).saturating_sub(1);
        while a < d.articles.len() && self.bodies[a] < range.end {
            let first = self.bodies[a];
            for (k, unit) in article_units(d, self.cat, a).into_iter().enumerate() {
                let n = first + k as u32;
                if range.contains(&n) {
                    f(n, unit);
                }
            }
            a += 1;
        }
    }
}

fn name_unit(d: &Dossier, i: usize) -> Unit<'_> {
    let e = &d.entities[i];
    let mut text = e.name.clone();
    for alias in &e.aliases {
        text.push_str(" · ");
        text.push_str(alias);
    }
    Unit { group: Group::Entity(i), kind: "name", anchor: String::new(), label: String::new(), text: Cow::Owned(text) }
}

fn title_unit(d: &Dossier, i: usize) -> Unit<'_> {
    Unit {
        group: Group::Article(i),
        kind: "title",
        anchor: String::new(),
        label: String::new(),
        text: Cow::Borrowed(&d.articles[i].title),
    }
}

fn entity_unit(d: &Dossier, i: usize) -> Unit<'_> {
    let e = &d.entities[i];
    let mut text = e.role.clone().unwrap_or_default();
    text.push(' ');
    text.push_str(&plain(d, &e.description));
    Unit {
        group: Group::Entity(i),
        kind: "entity",
        anchor: String::new(),
        label: String::new(),
        text: Cow::Owned(text.trim().to_string()),
    }
}

fn event_unit(d: &Dossier, i: usize) -> Unit<'_> {
    let ev = &d.events[i];
    Unit {
        group: Group::Event(i),
        kind: "event",
        anchor: String::new(),
        label: String::new(),
        text: Cow::Owned(format!("{} {}", ev.title, plain(d, &ev.body))),
    }
}

fn page_unit(d: &Dossier, i: usize) -> Unit<'_> {
    let p = &d.pages[i];
    Unit {
        group: Group::Page(i),
        kind: "page",
        anchor: String::new(),
        label: String::new(),
        text: Cow::Owned(format!("{} {}", p.title, plain(d, &p.body))),
    }
}

/// An article's body units: its blocks in order (a heading links to the
/// paragraph after it), then its notes, each with its passage and body,
/// then its notes on the whole article.
fn article_units<'a>(d: &'a Dossier, cat: &Catalogue, i: usize) -> Vec<Unit<'a>> {
    let a = &d.articles[i];
    let mut units = Vec::with_capacity(a.blocks.len() + a.notes.len() + a.about.len());
    for (k, b) in a.blocks.iter().enumerate() {
        let (kind, anchor, label) = match b.kind {
            BlockKind::Paragraph(n) => {
                ("p", format!("p{n}"), cat.tf("paragraph.ref", &[("n", &super::number(n, d.config.numerals))]))
            }
            BlockKind::Heading(_) => {
                let next = a.blocks[k..].iter().find_map(|b| match b.kind {
                    BlockKind::Paragraph(n) => Some(format!("p{n}")),
                    BlockKind::Heading(_) => None,
                });
                ("h", next.unwrap_or_default(), String::new())
            }
        };
        units.push(Unit { group: Group::Article(i), kind, anchor, label, text: Cow::Borrowed(&b.text) });
    }
    for note in a.notes.iter() {
        units.push(Unit {
            group: Group::Article(i),
            kind: note.kind.as_str(),
            anchor: format!("note-{}", note.id),
            label: String::new(),
            text: Cow::Owned(format!("{} {}", a.passage_text(&note.passage), plain(d, &note.body))),
        });
    }
    for note in a.about.iter() {
        units.push(Unit {
            group: Group::Article(i),
            kind: note.kind.as_str(),
            anchor: format!("note-{}", note.id),
            label: String::new(),
            text: Cow::Owned(plain(d, &note.body)),
        });
    }
    units
}

/// A result group as the unit shards give it: number, kind, title, link.
fn group_view(d: &Dossier, layout: &Layout, g: Group) -> (u32, &'static str, String, String) {
    let (e, a, v) = (layout.entities, layout.articles, layout.events);
    match g {
        Group::Entity(i) => (i as u32, "entity", d.entities[i].name.clone(), url::entity(ROOT, &d.entities[i].id)),
        Group::Article(i) => {
            (e + i as u32, "article", d.articles[i].title.clone(), url::article(ROOT, &d.articles[i].id))
        }
        Group::Event(i) => {
            let ev = &d.events[i];
            (
                e + a + i as u32,
                "event",
                format!("{}: {}", date_view(d, layout.cat, &ev.date).text, ev.title),
                url::event(d, ROOT, ev),
            )
        }
        Group::Page(i) => (e + a + v + i as u32, "page", d.pages[i].title.clone(), url::page(ROOT, &d.pages[i].id)),
    }
}

/// Writes `v` as a varint of 7 bits per byte, low bits first (the high
/// bit says that more follow).
fn put(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v & 0x7f) as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads the varint at `*at` (written by `put`), moving past it.
fn get(bytes: &[u8], at: &mut usize) -> u32 {
    let mut v = 0u32;
    let mut shift = 0;
    while let Some(&b) = bytes.get(*at) {
        *at += 1;
        if shift < 32 {
            v |= u32::from(b & 0x7f) << shift;
        }
        shift += 7;
        if b < 0x80 {
            break;
        }
    }
    v
}

/// Writes the head of a unit's postings: its difference from the
/// previous unit, doubled, plus 1 when the term occurs once in it;
/// otherwise the number of occurrences follows.
fn put_head(out: &mut Vec<u8>, gap: u32, count: u32) {
    put(out, (gap << 1) | u32::from(count == 1));
    if count != 1 {
        put(out, count);
    }
}

/// Reads a unit's head (`put_head`): the difference and the count.
fn get_head(bytes: &[u8], at: &mut usize) -> (u32, u32) {
    let h = get(bytes, at);
    let count = if h & 1 == 1 { 1 } else { get(bytes, at) };
    (h >> 1, count)
}

/// The postings of one term over a range of units: the first unit is
/// `first`, and `bytes` starts after its head (the head is written when
/// ranges join, from the difference between them and `first_count`).
struct Postings {
    first: u32,
    first_count: u32,
    last: u32,
    units: u32,
    bytes: Vec<u8>,
}

/// A term's postings over all units, difference of the first from 0: the
/// postings of each range of units, each in an allocation of its own
/// size, joined only when the term is written.
struct Term {
    last: u32,
    units: u32,
    parts: Vec<Box<[u8]>>,
    /// Their length in all.
    len: usize,
}

impl Term {
    /// The postings as written.
    fn bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.len);
        for part in &self.parts {
            out.extend_from_slice(part);
        }
        out
    }
}

/// A fast hash for the indexer's maps of terms (the multiply-rotate hash
/// of rustc's `FxHasher`): SipHash's resistance to chosen keys buys
/// nothing against a dossier's own words, and hashing every word of every
/// text is a good part of the index's cost. Iteration order never reaches
/// the output: terms are sorted before they are written.
#[derive(Default, Clone, Copy)]
struct TermHasher(u64);

impl TermHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl std::hash::Hasher for TermHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type Terms<V> = HashMap<Box<str>, V, std::hash::BuildHasherDefault<TermHasher>>;

/// The postings of every term over the units in `range`.
fn postings_of(d: &Dossier, layout: &Layout, range: Range<u32>) -> Vec<(Box<str>, Postings)> {
    let mut ids: Terms<u32> = Terms::default();
    let mut lists: Vec<Postings> = Vec::new();
    let mut found: Vec<(u32, u32)> = Vec::new();
    layout.each(d, range, &mut |unit, u| {
        let normal = arabic::normalize(&u.text);
        found.clear();
        for (pos, word) in terms::words(&normal).enumerate() {
            // Not the spelling keys: a key has no postings of its own, its
            // entry names the terms it stands for (`spelling_keys`).
            terms::each_clitic_form(word, &mut |form| {
                let id = match ids.get(&*form) {
                    Some(&id) => id,
                    None => {
                        let id = lists.len() as u32;
                        ids.insert(form.into(), id);
                        lists.push(Postings { first: unit, first_count: 0, last: unit, units: 0, bytes: Vec::new() });
                        id
                    }
                };
                found.push((id, pos as u32));
            });
        }
        // Each term's positions in order.
        found.sort_unstable();
        for run in found.chunk_by(|a, b| a.0 == b.0) {
            let p = &mut lists[run[0].0 as usize];
            if p.units > 0 {
                put_head(&mut p.bytes, unit - p.last, run.len() as u32);
            } else {
                p.first_count = run.len() as u32;
            }
            p.last = unit;
            p.units += 1;
            let mut prev = 0;
            for &(_, pos) in run {
                put(&mut p.bytes, pos - prev);
                prev = pos;
            }
        }
    });
    let mut terms: Vec<(u32, Box<str>)> = ids.into_iter().map(|(term, id)| (id, term)).collect();
    terms.sort_unstable_by_key(|t| t.0);
    terms.into_iter().zip(lists).map(|((_, term), p)| (term, p)).collect()
}

/// Every term with its postings, in UTF-16 order: ranges of units indexed
/// in parallel a few at a time and merged in order, so that only the
/// postings themselves (a few bytes per word) are held, never the texts.
fn postings(d: &Dossier, layout: &Layout) -> Vec<(Box<str>, Term)> {
    let total = layout.total();
    let ranges: Vec<Range<u32>> = (0..total.div_ceil(UNITS_PER_TASK))
        .map(|k| k * UNITS_PER_TASK..((k + 1) * UNITS_PER_TASK).min(total))
        .collect();
    let mut all: Terms<Term> = Terms::default();
    let batch = 2 * rayon::current_num_threads().max(1);
    for group in ranges.chunks(batch) {
        let parts: Vec<_> = group.par_iter().map(|r| postings_of(d, layout, r.clone())).collect();
        for part in parts {
            for (term, p) in part {
                // The range's postings after the difference from the
                // previous range's last unit, in a buffer of their size.
                let part = |gap: u32| {
                    let mut bytes = Vec::with_capacity(p.bytes.len() + 10);
                    put_head(&mut bytes, gap, p.first_count);
                    bytes.extend_from_slice(&p.bytes);
                    bytes.into_boxed_slice()
                };
                match all.get_mut(&term) {
                    Some(t) => {
                        let bytes = part(p.first - t.last);
                        t.len += bytes.len();
                        t.parts.push(bytes);
                        t.last = p.last;
                        t.units += p.units;
                    }
                    None => {
                        let bytes = part(p.first);
                        all.insert(term, Term { last: p.last, units: p.units, len: bytes.len(), parts: vec![bytes] });
                    }
                }
            }
        }
    }
    let mut sorted: Vec<(Box<str>, Term)> = all.into_iter().collect();
    sorted.par_sort_unstable_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
    sorted
}

/// Postings cut into pieces of at most `max` bytes between units, each
/// starting with its first unit's number (difference from 0).
fn pieces(bytes: &[u8], max: usize) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut piece: Vec<u8> = Vec::new();
    let (mut at, mut unit, mut last) = (0, 0u32, 0u32);
    while at < bytes.len() {
        let (gap, count) = get_head(bytes, &mut at);
        unit += gap;
        let start = at;
        for _ in 0..count {
            get(bytes, &mut at);
        }
        if !piece.is_empty() && piece.len() + (at - start) + 10 > max {
            out.push(std::mem::take(&mut piece));
        }
        let gap = if piece.is_empty() { unit } else { unit - last };
        put_head(&mut piece, gap, count);
        last = unit;
        piece.extend_from_slice(&bytes[start..at]);
    }
    if !piece.is_empty() {
        out.push(piece);
    }
    out
}

/// The deflate level of the shards: fixed, so that the same index gives
/// the same bytes.
const LEVEL: u32 = 6;

/// The deflate level of the postings pieces: their bytes are nearly
/// random small numbers, on which libdeflate's level 1 (its greedy
/// matcher) gives as few bytes as its higher levels, in a third of the
/// time.
const PIECE_LEVEL: u32 = 1;

/// The script that registers one shard: its payload compressed with raw
/// deflate (RFC 1951), written as a string by [`text7`]. `search.js`
/// decodes it with `DecompressionStream`.
fn shard_script(name: &str, payload: &[u8]) -> Vec<u8> {
    let mut script = format!("(window.MILAF_SHARDS=window.MILAF_SHARDS||{{}})[\"{name}\"]=\"").into_bytes();
    let level = if name.starts_with('o') { PIECE_LEVEL } else { LEVEL };
    text7(&deflate(payload, level), &mut script);
    script.extend_from_slice(b"\";\n");
    script
}

/// `bytes` compressed with raw deflate at `level` (libdeflate's levels,
/// 1 to 12).
fn deflate(bytes: &[u8], level: u32) -> Vec<u8> {
    use libdeflater::{CompressionLvl, Compressor};
    thread_local! {
        /// A compressor per level, kept by each thread: making one
        /// allocates its tables, and a build compresses thousands of
        /// shards.
        static COMPRESSORS: std::cell::RefCell<BTreeMap<u32, Compressor>> =
            const { std::cell::RefCell::new(BTreeMap::new()) };
    }
    COMPRESSORS.with_borrow_mut(|compressors| {
        let c = compressors
            .entry(level)
            .or_insert_with(|| Compressor::new(CompressionLvl::new(level as i32).unwrap_or_default()));
        let mut out = vec![0; c.deflate_compress_bound(bytes.len())];
        // The buffer has the room the bound asks for, so this cannot fail.
        let n = c.deflate_compress(bytes, &mut out).unwrap_or(0);
        out.truncate(n);
        out
    })
}

/// The 7-bit values [`text7`] writes as two bytes: those that cannot
/// stand in a JavaScript string as they are (NUL for safety, line feed,
/// carriage return, `"`, `\\`) and `<`, so that no `</` occurs.
const ESCAPED: [u8; 6] = [0x00, 0x0A, 0x0D, b'"', b'<', b'\\'];

/// Appends `bytes` as the characters of a JavaScript string literal, 7
/// bits per character (their bits in order, the most significant first,
/// the last character padded with zero bits): a character is the 7 bits'
/// value, as one byte of UTF-8, or for the values of [`ESCAPED`] the
/// character U+0100 plus the value (two bytes of UTF-8). The reader takes
/// the low 7 bits of each character's code, and knows the number of bytes
/// from the number of characters (`chars × 7 / 8`, rounded down). About
/// 1.2 bytes a byte, against 1.33 for base64.
fn text7(bytes: &[u8], out: &mut Vec<u8>) {
    out.reserve(bytes.len() * 6 / 5 + 8);
    const fn escaped() -> [bool; 128] {
        let mut t = [false; 128];
        let mut i = 0;
        while i < ESCAPED.len() {
            t[ESCAPED[i] as usize] = true;
            i += 1;
        }
        t
    }
    const IS_ESCAPED: [bool; 128] = escaped();
    let mut put = |v: u32| {
        let v = v as u8 & 0x7f;
        if IS_ESCAPED[v as usize] {
            let c = char::from_u32(0x100 + u32::from(v)).unwrap_or('?');
            out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
        } else {
            out.push(v);
        }
    };
    let (mut acc, mut bits) = (0u32, 0);
    for &b in bytes {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 7 {
            bits -= 7;
            put(acc >> bits);
        }
        acc &= (1 << bits) - 1;
    }
    if bits > 0 {
        put(acc << (7 - bits));
    }
}

/// The bytes [`text7`] wrote as `text`.
fn from_text7(text: &str) -> Vec<u8> {
    let n = text.chars().count() * 7 / 8;
    let mut out = Vec::with_capacity(n);
    let (mut acc, mut bits) = (0u32, 0);
    for c in text.chars() {
        acc = (acc << 7) | (c as u32 & 0x7f);
        bits += 7;
        if bits >= 8 {
            bits -= 8;
            if out.len() < n {
                out.push((acc >> bits) as u8);
            }
        }
        acc &= (1 << bits) - 1;
    }
    out
}

/// The payload of a shard's script (`shard_script`), or `None` if it is
/// not one: what the search page decodes.
pub fn shard_payload(script: &str) -> Option<(String, Vec<u8>)> {
    use std::io::Read;
    let rest = script.trim_end().strip_prefix("(window.MILAF_SHARDS=window.MILAF_SHARDS||{})[\"")?;
    let (name, value) = rest.split_once("\"]=\"")?;
    let value = value.strip_suffix("\";")?;
    let bytes = from_text7(value);
    let mut payload = Vec::new();
    flate2::read::DeflateDecoder::new(&bytes[..]).read_to_end(&mut payload).ok()?;
    Some((name.to_string(), payload))
}

/// Compresses the payloads in parallel and hands their scripts to `emit`
/// in order.
fn emit_all(
    batch: &mut Vec<(String, Vec<u8>)>,
    emit: &mut dyn FnMut(String, Vec<u8>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let scripts: Vec<(String, Vec<u8>)> =
        batch.par_drain(..).map(|(name, payload)| (name.clone(), shard_script(&name, &payload))).collect();
    scripts.into_iter().try_for_each(|(name, script)| emit(name, script))
}

/// How many bytes of payloads `term_shards` compresses at a time.
const BATCH: usize = 8 << 20;

/// The units a term's postings hold, in order.
fn units_of(t: &Term, out: &mut Vec<u32>) {
    let mut unit = 0;
    for part in &t.parts {
        let mut at = 0;
        while at < part.len() {
            let (gap, count) = get_head(part, &mut at);
            unit += gap;
            out.push(unit);
            for _ in 0..count {
                get(part, &mut at);
            }
        }
    }
}

/// The spelling keys of the terms (`terms::spelling_key`), in UTF-16
/// order, each with the terms it stands for and the number of units that
/// hold any of them or the key itself as written. The index holds no
/// postings for a key: its term shard entry names these terms, whose
/// postings the search page joins (a third of the postings' bytes at
/// 10,000 articles were keys' copies of their terms').
fn spelling_keys(sorted: &[(Box<str>, Term)]) -> Vec<(String, Vec<usize>, u32)> {
    let mut keys: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, (term, _)) in sorted.iter().enumerate() {
        if let Some(key) = terms::spelling_key(term) {
            keys.entry(key).or_default().push(i);
        }
    }
    let mut keys: Vec<(String, Vec<usize>)> = keys.into_iter().collect();
    keys.par_sort_unstable_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
    keys.into_par_iter()
        .map(|(key, members)| {
            let mut units = Vec::new();
            for &i in &members {
                units_of(&sorted[i].1, &mut units);
            }
            if let Ok(i) = sorted.binary_search_by(|(t, _)| t.encode_utf16().cmp(key.encode_utf16())) {
                units_of(&sorted[i].1, &mut units);
            }
            units.sort_unstable();
            units.dedup();
            (key, members, units.len() as u32)
        })
        .collect()
}

/// Writes the term shards and pieces through `emit` (name, script), in
/// order, and returns the first term of each term shard.
///
/// A term shard's payload is a JSON array of its terms, each as `[term,
/// number of units, postings]`, then a line feed, then the postings of
/// every term held in the shard, one after the other: `postings` is their
/// length in bytes there, or the array of the numbers of the pieces that
/// hold them. A spelling key's entry has a fourth member, the terms it
/// stands for, and its number of units counts theirs (its postings are
/// those of the key as written, often none). A piece's payload is
/// postings alone.
fn term_shards(
    sorted: Vec<(Box<str>, Term)>,
    limits: Limits,
    emit: &mut dyn FnMut(String, Vec<u8>) -> anyhow::Result<()>,
) -> anyhow::Result<Vec<String>> {
    // The keys' entries, with the names of their terms; those of keys
    // that are no term as written, with empty postings, in their place.
    let keys = spelling_keys(&sorted);
    let mut key_entries: Vec<(Box<str>, u32, String)> = keys
        .into_iter()
        .map(|(key, members, units)| {
            let names: Vec<&str> = members.iter().map(|&i| &*sorted[i].0).collect();
            (key.into_boxed_str(), units, serde_json::to_string(&names).unwrap_or_default())
        })
        .collect();
    key_entries.reverse();
    let mut merged: Vec<Entry> = Vec::with_capacity(sorted.len() + key_entries.len());
    for (term, t) in sorted {
        while key_entries.last().is_some_and(|k| k.0.encode_utf16().cmp(term.encode_utf16()).is_lt()) {
            let (key, units, names) = key_entries.pop().unwrap_or_default();
            merged.push((key, Term { last: 0, units, parts: Vec::new(), len: 0 }, Some((units, names))));
        }
        if key_entries.last().is_some_and(|k| k.0 == term) {
            let (_, units, names) = key_entries.pop().unwrap_or_default();
            merged.push((term, t, Some((units, names))));
        } else {
            merged.push((term, t, None));
        }
    }
    while let Some((key, units, names)) = key_entries.pop() {
        merged.push((key, Term { last: 0, units, parts: Vec::new(), len: 0 }, Some((units, names))));
    }
    term_entries(merged, limits, emit)
}

/// A term of a term shard: its postings, and for a spelling key the
/// number of units and the JSON array of the terms it stands for.
type Entry = (Box<str>, Term, Option<(u32, String)>);

/// Writes the term shards of `term_shards`, and the pieces.
fn term_entries(
    sorted: Vec<Entry>,
    limits: Limits,
    emit: &mut dyn FnMut(String, Vec<u8>) -> anyhow::Result<()>,
) -> anyhow::Result<Vec<String>> {
    let mut firsts: Vec<String> = Vec::new();
    let mut entries: Vec<String> = Vec::new();
    let mut inline: Vec<u8> = Vec::new();
    let mut weight = 0;
    let mut piece_count = 0usize;
    let mut batch: Vec<(String, Vec<u8>)> = Vec::new();
    let mut batched = 0;
    let flush =
        |entries: &mut Vec<String>, inline: &mut Vec<u8>, firsts: &[String], batch: &mut Vec<(String, Vec<u8>)>| {
            let name = format!("t{}", firsts.len() - 1);
            let mut payload = format!("[{}]\n", entries.join(",")).into_bytes();
            payload.append(inline);
            entries.clear();
            batch.push((name, payload));
        };
    // A piece or term shard is cut so that its script stays below the
    // limit even if deflate gains nothing: `text7` writes at most 2 bytes
    // for 7 bits.
    let piece_max = (limits.shard - 128) * 7 / 16;
    for (term, t, key) in sorted {
        let bytes = t.bytes();
        let postings = if bytes.len() > limits.inline {
            let mut numbers = Vec::new();
            for piece in pieces(&bytes, piece_max) {
                batched += piece.len();
                batch.push((format!("o{piece_count}"), piece));
                numbers.push(piece_count.to_string());
                piece_count += 1;
            }
            format!("[{}]", numbers.join(","))
        } else {
            bytes.len().to_string()
        };
        let term_json = serde_json::to_string(&*term).unwrap_or_default();
        let entry = match key {
            Some((units, names)) => format!("[{term_json},{units},{postings},{names}]"),
            None => format!("[{term_json},{},{postings}]", t.units),
        };
        let inline_len = if bytes.len() > limits.inline { 0 } else { bytes.len() };
        if entries.is_empty() || weight + entry.len() + inline_len > limits.terms.min(piece_max) {
            if !entries.is_empty() {
                batched += weight;
                flush(&mut entries, &mut inline, &firsts, &mut batch);
            }
            firsts.push(term.to_string());
            weight = 0;
        }
        weight += entry.len() + 1 + inline_len;
        entries.push(entry);
        if inline_len > 0 {
            inline.extend_from_slice(&bytes);
        }
        if batched > BATCH {
            emit_all(&mut batch, emit)?;
            batched = 0;
        }
    }
    if !entries.is_empty() {
        flush(&mut entries, &mut inline, &firsts, &mut batch);
    }
    emit_all(&mut batch, emit)?;
    Ok(firsts)
}

/// A unit shard as its script holds it.
#[derive(serde::Serialize)]
struct UnitShard<'a> {
    /// Each group the units belong to: number, kind, title, link.
    g: Vec<(u32, &'static str, String, String)>,
    /// Each unit: its group (index into `g`), kind, anchor, label, text
    /// (packed by [`pack_text`]).
    u: Vec<(usize, &'static str, String, String, Cow<'a, str>)>,
}

/// The ASCII letters that stand for Arabic characters in a packed text,
/// the n-th for the n-th character of [`packed_arabic`].
pub const PACK_LETTERS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvw";
/// Written before an ASCII character that is itself in a packed text.
pub const PACK_ESCAPE: char = '~';

/// The Arabic characters a packed text writes as one ASCII letter each:
/// the letters U+0621–U+063A and U+0640–U+0652 (tatweel, letters,
/// harakat), the Arabic comma, semicolon and question mark, and the
/// superscript alef U+0670.
pub fn packed_arabic() -> impl Iterator<Item = char> {
    (0x621..=0x63A).chain(0x640..=0x652).chain([0x60C, 0x61B, 0x61F, 0x670]).filter_map(char::from_u32)
}

/// A unit's text, packed for its shard: Arabic letters take two bytes in
/// UTF-8 and most of a unit's text is Arabic, so each of the common Arabic
/// characters ([`packed_arabic`]) is written as one ASCII letter of
/// [`PACK_LETTERS`]; an ASCII character that is one of those letters or
/// [`PACK_ESCAPE`] is written after [`PACK_ESCAPE`]; anything else as is.
/// `search.js` (`unpack`) reverses it; about 45 % fewer bytes for an
/// Arabic text.
pub fn pack_text(text: &str) -> String {
    /// For each character of U+0600–U+06FF, the ASCII letter it is packed
    /// as (0: not packed); for each ASCII character, whether it is escaped.
    struct Table {
        arabic: [u8; 256],
        escaped: [bool; 128],
    }
    static TABLE: std::sync::OnceLock<Table> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut t = Table { arabic: [0; 256], escaped: [false; 128] };
        for (a, l) in packed_arabic().zip(PACK_LETTERS.bytes()) {
            t.arabic[a as usize - 0x600] = l;
        }
        for l in PACK_LETTERS.bytes().chain([PACK_ESCAPE as u8]) {
            t.escaped[l as usize] = true;
        }
        t
    });
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let u = c as usize;
        if u < 128 {
            if table.escaped[u] {
                out.push(PACK_ESCAPE);
            }
            out.push(c);
        } else if (0x600..0x700).contains(&u) && table.arabic[u - 0x600] != 0 {
            out.push(char::from(table.arabic[u - 0x600]));
        } else {
            out.push(c);
        }
    }
    out
}

/// The text [`pack_text`] packed (what `search.js` does when it reads a
/// unit).
pub fn unpack_text(packed: &str) -> String {
    let arabic: Vec<char> = packed_arabic().collect();
    let mut out = String::with_capacity(packed.len() * 2);
    let mut chars = packed.chars();
    while let Some(c) = chars.next() {
        if c == PACK_ESCAPE {
            out.extend(chars.next());
        } else if let Some(i) = PACK_LETTERS.find(c) {
            out.push(arabic[i]);
        } else {
            out.push(c);
        }
    }
    out
}

/// The unit shard `k`: its units' groups, then the units.
fn unit_shard(d: &Dossier, layout: &Layout, k: u32) -> Vec<u8> {
    let range = k * UNITS_PER_SHARD..((k + 1) * UNITS_PER_SHARD).min(layout.total());
    let mut groups: Vec<Group> = Vec::new();
    let mut units = Vec::new();
    layout.each(d, range, &mut |_, unit| {
        let g = match groups.iter().position(|&g| g == unit.group) {
            Some(g) => g,
            None => {
                groups.push(unit.group);
                groups.len() - 1
            }
        };
        units.push((g, unit.kind, unit.anchor, unit.label, Cow::Owned(pack_text(&unit.text))));
    });
    let shard = UnitShard { g: groups.into_iter().map(|g| group_view(d, layout, g)).collect(), u: units };
    shard_script(&format!("d{k}"), &serde_json::to_vec(&shard).unwrap_or_default())
}

/// The manifest: what the search page needs before its first query.
fn manifest(layout: &Layout, firsts: &[String]) -> String {
    serde_json::json!({
        "units": layout.total(),
        // Units 0 to `names` - 1 are the entities' names and aliases.
        "names": layout.entities,
        "per": UNITS_PER_SHARD,
        "terms": firsts,
        "shards": "shards/",
    })
    .to_string()
}

fn manifest_script(json: &str) -> Vec<u8> {
    format!("window.MILAF_SEARCH={};\n", super::script_json(json)).into_bytes()
}

/// The index as a whole in memory, when it fits in one file: that file.
fn one_file(d: &Dossier, layout: &Layout, sorted: Vec<(Box<str>, Term)>, limits: Limits) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let firsts = term_shards(sorted, limits, &mut |_, bytes| {
        out.extend_from_slice(&bytes);
        Ok(())
    })
    .ok()?;
    for k in 0..layout.unit_shards() {
        out.extend(unit_shard(d, layout, k));
        if out.len() > limits.shard {
            return None;
        }
    }
    out.extend(manifest_script(&manifest(layout, &firsts)));
    (out.len() <= limits.shard).then_some(out)
}

/// The weight of the postings, a lower bound of the index's.
fn weight(sorted: &[(Box<str>, Term)]) -> usize {
    sorted.iter().map(|(t, p)| t.len() + p.len + 8).sum()
}

/// Writes the index: `search/index.js` alone when it fits, else the
/// manifest and the shards (term shards while the unit shards are made in
/// parallel).
pub fn write_index(d: &Dossier, cat: &Catalogue, sink: &dyn Sink) -> anyhow::Result<()> {
    write_within(d, cat, sink, LIMITS)
}

fn write_within(d: &Dossier, cat: &Catalogue, sink: &dyn Sink, limits: Limits) -> anyhow::Result<()> {
    let layout = Layout::of(d, cat);
    let sorted = postings(d, &layout);
    if weight(&sorted) <= limits.shard {
        // Small: build it whole in memory (twice at worst).
        if let Some(js) = one_file(d, &layout, sorted, limits) {
            return sink.file("search/index.js", &js);
        }
        return write_sharded(d, &layout, postings(d, &layout), sink, limits);
    }
    write_sharded(d, &layout, sorted, sink, limits)
}

fn write_sharded(
    d: &Dossier,
    layout: &Layout,
    sorted: Vec<(Box<str>, Term)>,
    sink: &dyn Sink,
    limits: Limits,
) -> anyhow::Result<()> {
    let (firsts, units) = rayon::join(
        || term_shards(sorted, limits, &mut |name, bytes| sink.file(&format!("{SHARDS}{name}.js"), &bytes)),
        || {
            (0..layout.unit_shards())
                .into_par_iter()
                .try_for_each(|k| sink.file(&format!("{SHARDS}d{k}.js"), &unit_shard(d, layout, k)))
        },
    );
    units?;
    sink.file("search/index.js", &manifest_script(&manifest(layout, &firsts?)))
}

/// One file of the index, as `write_index` writes it, or `None`. Every
/// call but a unit shard's builds the postings of the whole dossier: the
/// preview, which asks for the files one by one, keeps an `IndexFiles`
/// per build instead.
pub fn index_file(d: &Dossier, cat: &Catalogue, path: &str) -> Option<Vec<u8>> {
    index_file_within(d, cat, path, LIMITS)
}

fn index_file_within(d: &Dossier, cat: &Catalogue, path: &str, limits: Limits) -> Option<Vec<u8>> {
    if let Some(k) = unit_shard_number(path) {
        // A unit shard needs no postings, only to know the index is sharded.
        let layout = Layout::of(d, cat);
        return (k < layout.unit_shards() && is_sharded(d, &layout, limits)).then(|| unit_shard(d, &layout, k));
    }
    IndexFiles::within(d, cat, limits).files.remove(path)
}

/// `k` for `search/shards/d{k}.js`, the path of a unit shard.
fn unit_shard_number(path: &str) -> Option<u32> {
    let k = path.strip_prefix(SHARDS)?.strip_suffix(".js")?.strip_prefix('d')?;
    k.parse::<u32>().ok().filter(|n| n.to_string() == k)
}

/// Whether `write_index` writes the index in shards: it does unless the
/// postings and the texts fit in one file.
fn is_sharded(d: &Dossier, layout: &Layout, limits: Limits) -> bool {
    let sorted = postings(d, layout);
    weight(&sorted) > limits.shard || one_file(d, layout, sorted, limits).is_none()
}

/// The files of the index but its unit shards (the manifest and the term
/// shards, or the one file), built once from one pass over the postings:
/// what the preview holds for a build, so that the reader's requests for
/// the manifest and the term shards cost a look-up each. The unit shards,
/// three quarters of the bytes, are made on request: each needs only its
/// own units.
pub struct IndexFiles {
    files: BTreeMap<String, Vec<u8>>,
    unit_shards: u32,
}

impl IndexFiles {
    pub fn new(d: &Dossier, cat: &Catalogue) -> IndexFiles {
        IndexFiles::within(d, cat, LIMITS)
    }

    fn within(d: &Dossier, cat: &Catalogue, limits: Limits) -> IndexFiles {
        let layout = Layout::of(d, cat);
        let mut files = BTreeMap::new();
        let sorted = postings(d, &layout);
        if weight(&sorted) <= limits.shard {
            if let Some(js) = one_file(d, &layout, sorted, limits) {
                files.insert("search/index.js".to_string(), js);
                return IndexFiles { files, unit_shards: 0 };
            }
            return IndexFiles::sharded(&layout, postings(d, &layout), limits);
        }
        IndexFiles::sharded(&layout, sorted, limits)
    }

    fn sharded(layout: &Layout, sorted: Vec<(Box<str>, Term)>, limits: Limits) -> IndexFiles {
        let mut files = BTreeMap::new();
        let firsts = term_shards(sorted, limits, &mut |name, bytes| {
            files.insert(format!("{SHARDS}{name}.js"), bytes);
            Ok(())
        })
        .unwrap_or_default();
        files.insert("search/index.js".to_string(), manifest_script(&manifest(layout, &firsts)));
        IndexFiles { files, unit_shards: layout.unit_shards() }
    }

    /// The file at `path`, with the bytes `write_index` writes there.
    pub fn get(&self, d: &Dossier, cat: &Catalogue, path: &str) -> Option<Vec<u8>> {
        if let Some(k) = unit_shard_number(path) {
            return (k < self.unit_shards).then(|| unit_shard(d, &Layout::of(d, cat), k));
        }
        self.files.get(path).cloned()
    }
}

/// The search page. Its script writes in the catalogue's words, handed to
/// it as JSON in a `data-words` attribute (`search.*`, the kinds of units,
/// the counted noun `count.hit` by plural category, and the digits).
pub fn page(d: &Dossier, cat: &Catalogue) -> PageOut {
    let forms = cat.forms("count.hit");
    let form = |f: Option<&String>| f.cloned();
    let kinds: std::collections::BTreeMap<&str, String> =
        ["entity", "name", "article", "title", "p", "h", "note", "quote", "correction", "context", "event", "page"]
            .into_iter()
            .map(|k| (k, cat.t(&format!("search.kind.{k}")).to_string()))
            .collect();
    // What part of a record a place found is, where it differs from the
    // record's kind (an entity's description, an event's or a page's text).
    let parts: std::collections::BTreeMap<&str, String> =
        ["entity", "event", "page"].into_iter().map(|k| (k, cat.t(&format!("search.part.{k}")).to_string())).collect();
    let words = serde_json::json!({
        "none": cat.t("search.none"),
        "rest": cat.t("search.rest"),
        "more": cat.t("search.more"),
        "failed": cat.t("search.failed"),
        "kinds": kinds,
        "parts": parts,
        "hit": {
            "zero": forms.and_then(|f| form(f.zero.as_ref())),
            "one": forms.and_then(|f| form(f.one.as_ref())),
            "two": forms.and_then(|f| form(f.two.as_ref())),
            "few": forms.and_then(|f| form(f.few.as_ref())),
            "many": forms.and_then(|f| form(f.many.as_ref())),
            "other": forms.map(|f| f.other.clone()),
        },
        "digits": super::number(1234567890u64, d.config.numerals),
    });
    let view = page_view(d, ROOT, cat.t("search.title").to_string(), "search", SearchPage { words: words.to_string() });
    ("search/index.html".to_string(), "search.html", view, Vec::new())
}

#[derive(serde::Serialize)]
struct SearchPage {
    words: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};
    use std::sync::Mutex;

    #[test]
    fn spaces_are_tidied_to_one_between_words_and_none_before_closing_punctuation() {
        let cases = [
            ("  قال   الوزير \n\t اليوم  ", "قال الوزير اليوم"),
            ("في باماكو . ثم", "في باماكو. ثم"),
            ("في باماكو ، ثم ؛ بعد", "في باماكو، ثم؛ بعد"),
            ("النص . . ، النهاية", "النص..، النهاية"),
            (". أول", ". أول"),
            ("a.b ، c", "a.b، c"),
            ("", ""),
            (" \n ", ""),
        ];
        for (text, want) in cases {
            assert_eq!(tidy_spaces(text), want, "{text:?}");
        }
    }

    /// The files an index writes, by path.
    struct Files(Mutex<BTreeMap<String, Vec<u8>>>);

    impl Sink for Files {
        fn file(&self, path: &str, bytes: &[u8]) -> anyhow::Result<()> {
            let old = self.0.lock().unwrap().insert(path.to_string(), bytes.to_vec());
            assert!(old.is_none(), "{path} written twice");
            Ok(())
        }
        fn stream(
            &self,
            _: &str,
            _: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
        ) -> anyhow::Result<()> {
            unreachable!("the index is written file by file")
        }
        fn copy(&self, _: &str, _: &std::path::Path) -> anyhow::Result<()> {
            unreachable!("the index copies nothing")
        }
    }

    fn sample() -> Dossier {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let (d, diags, _) = crate::check(root).unwrap();
        d.unwrap_or_else(|| panic!("{diags:?}"))
    }

    fn ar() -> Catalogue {
        Catalogue::new("ar", crate::config::Numerals::Ascii, &[]).unwrap()
    }

    fn written(d: &Dossier, limits: Limits) -> BTreeMap<String, Vec<u8>> {
        let files = Files(Mutex::new(BTreeMap::new()));
        write_within(d, &ar(), &files, limits).unwrap();
        files.0.into_inner().unwrap()
    }

    /// The manifest and the payload of every shard the files register,
    /// by name.
    fn scripts(files: &BTreeMap<String, Vec<u8>>) -> (serde_json::Value, BTreeMap<String, Vec<u8>>) {
        let mut manifest = serde_json::Value::Null;
        let mut shards = BTreeMap::new();
        for bytes in files.values() {
            for line in std::str::from_utf8(bytes).unwrap().lines() {
                if let Some(json) = line.strip_prefix("window.MILAF_SEARCH=") {
                    manifest = serde_json::from_str(json.strip_suffix(';').unwrap()).unwrap();
                    continue;
                }
                let (name, payload) = shard_payload(line).unwrap_or_else(|| panic!("not a shard: {line}"));
                assert!(shards.insert(name, payload).is_none());
            }
        }
        (manifest, shards)
    }

    /// A term shard's terms and the bytes of its inline postings.
    fn term_shard(payload: &[u8]) -> (Vec<serde_json::Value>, &[u8]) {
        let end = payload.iter().position(|&b| b == b'\n').unwrap();
        let entries: serde_json::Value = serde_json::from_slice(&payload[..end]).unwrap();
        (entries.as_array().unwrap().clone(), &payload[end + 1..])
    }

    /// Every (term, unit, word number) the postings hold.
    /// A spelling key's entry stands for the postings of the terms it
    /// names, joined with its own.
    fn postings_in(shards: &BTreeMap<String, Vec<u8>>, firsts: &[String]) -> BTreeSet<(String, u32, u32)> {
        let mut out = BTreeSet::new();
        let mut keys: Vec<(String, Vec<String>, u64)> = Vec::new();
        let mut previous: Option<String> = None;
        for (i, first) in firsts.iter().enumerate() {
            let (entries, mut inline) = term_shard(&shards[&format!("t{i}")]);
            assert_eq!(entries[0][0].as_str().unwrap(), first, "t{i} starts with the manifest's term");
            for e in entries {
                let term = e[0].as_str().unwrap().to_string();
                if let Some(p) = &previous {
                    assert!(p.encode_utf16().cmp(term.encode_utf16()).is_lt(), "{p} before {term}");
                }
                previous = Some(term.clone());
                let lists: Vec<&[u8]> = match &e[2] {
                    serde_json::Value::Number(n) => {
                        let (list, rest) = inline.split_at(n.as_u64().unwrap() as usize);
                        inline = rest;
                        vec![list]
                    }
                    pieces => pieces
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|n| &shards[&format!("o{}", n.as_u64().unwrap())][..])
                        .collect(),
                };
                let mut units = BTreeSet::new();
                for bytes in lists {
                    let (mut at, mut unit) = (0, 0);
                    while at < bytes.len() {
                        let (gap, count) = get_head(bytes, &mut at);
                        unit += gap;
                        let mut pos = 0;
                        for _ in 0..count {
                            pos += get(bytes, &mut at);
                            assert!(out.insert((term.clone(), unit, pos)), "{term} twice at {unit}:{pos}");
                        }
                        units.insert(unit);
                    }
                }
                match e.get(3) {
                    Some(names) => {
                        let names: Vec<String> =
                            names.as_array().unwrap().iter().map(|n| n.as_str().unwrap().to_string()).collect();
                        assert!(!names.is_empty(), "{term} stands for no term");
                        keys.push((term, names, e[1].as_u64().unwrap()));
                    }
                    None => assert_eq!(units.len() as u64, e[1].as_u64().unwrap(), "unit count of {term}"),
                }
            }
            assert!(inline.is_empty(), "t{i} holds postings no term points at");
        }
        for (key, names, count) in keys {
            let mut units: BTreeSet<u32> = out.iter().filter(|(t, _, _)| *t == key).map(|(_, u, _)| *u).collect();
            let mut joined = Vec::new();
            for name in &names {
                assert_eq!(terms::spelling_key(name).as_deref(), Some(&*key), "{key} stands for {name}");
                let of_name: Vec<(u32, u32)> =
                    out.iter().filter(|(t, _, _)| t == name).map(|&(_, u, p)| (u, p)).collect();
                assert!(!of_name.is_empty(), "{key} stands for {name}, which has no postings");
                joined.extend(of_name);
            }
            for (unit, pos) in joined {
                units.insert(unit);
                out.insert((key.clone(), unit, pos));
            }
            assert_eq!(units.len() as u64, count, "unit count of the key {key}");
        }
        out
    }

    /// Every word of every unit is found at its place under each of its
    /// forms, and the postings hold nothing else; every paragraph and note
    /// is a unit with its anchor.
    fn check_round_trip(d: &Dossier, files: &BTreeMap<String, Vec<u8>>) {
        let (manifest, shards) = scripts(files);
        let firsts: Vec<String> =
            manifest["terms"].as_array().unwrap().iter().map(|t| t.as_str().unwrap().to_string()).collect();
        let found = postings_in(&shards, &firsts);
        let units = manifest["units"].as_u64().unwrap() as u32;
        let per = manifest["per"].as_u64().unwrap() as u32;
        let mut expected = BTreeSet::new();
        let mut links = BTreeSet::new();
        for n in 0..units {
            let shard: serde_json::Value = serde_json::from_slice(&shards[&format!("d{}", n / per)]).unwrap();
            let unit = &shard["u"][(n % per) as usize];
            let group = &shard["g"][unit[0].as_u64().unwrap() as usize];
            let url = group[3].as_str().unwrap();
            let anchor = unit[2].as_str().unwrap();
            links.insert(if anchor.is_empty() { url.to_string() } else { format!("{url}#{anchor}") });
            let normal = arabic::normalize(&unpack_text(unit[4].as_str().unwrap()));
            for (pos, word) in terms::words(&normal).enumerate() {
                for form in terms::forms(word) {
                    expected.insert((form.into_owned(), n, pos as u32));
                }
            }
        }
        assert!(!expected.is_empty());
        let missing: Vec<_> = expected.difference(&found).take(8).collect();
        let extra: Vec<_> = found.difference(&expected).take(8).collect();
        assert_eq!(found.len(), expected.len(), "missing {missing:?} extra {extra:?}");
        assert!(found == expected, "the postings differ from the units' words");
        for a in &d.articles {
            let page = url::article(ROOT, &a.id);
            assert!(links.contains(&page), "{page}");
            for b in a.blocks.iter() {
                if let BlockKind::Paragraph(n) = b.kind {
                    assert!(links.contains(&format!("{page}#p{n}")), "{page}#p{n}");
                }
            }
            for note in a.notes.iter() {
                assert!(links.contains(&format!("{page}#note-{}", note.id)), "note {}", note.id);
            }
            for note in a.about.iter() {
                assert!(links.contains(&format!("{page}#note-{}", note.id)), "note on the article {}", note.id);
            }
        }
        for e in &d.entities {
            assert!(links.contains(&url::entity(ROOT, &e.id)));
        }
    }

    #[test]
    fn varints_and_heads_read_back_as_written() {
        let numbers = [0, 1, 31, 32, 127, 128, 1023, 1024, 16_383, 16_384, 1 << 20, (1 << 25) - 1, 1 << 25, u32::MAX];
        let mut bytes = Vec::new();
        for &n in &numbers {
            put(&mut bytes, n);
        }
        assert_eq!(bytes.len(), 1 + 1 + 1 + 1 + 1 + 2 + 2 + 2 + 2 + 3 + 3 + 4 + 4 + 5);
        let (mut at, mut back) = (0, Vec::new());
        while at < bytes.len() {
            back.push(get(&bytes, &mut at));
        }
        assert_eq!(back, numbers);
        // A unit holding its term once takes one byte for a small gap.
        let heads = [(0, 1), (5, 1), (63, 1), (64, 1), (5, 2), (0, 0), (1 << 30, 7), (1000, 1)];
        let mut bytes = Vec::new();
        for &(gap, count) in &heads {
            put_head(&mut bytes, gap, count);
        }
        assert_eq!(bytes.len(), 1 + 1 + 1 + 2 + 2 + 2 + 6 + 2);
        let (mut at, mut back) = (0, Vec::new());
        while at < bytes.len() {
            back.push(get_head(&bytes, &mut at));
        }
        assert_eq!(back, heads);
    }

    #[test]
    fn a_shard_script_holds_its_payload_deflated_in_a_string_of_7_bits_a_character() {
        // Every length modulo 3 (the padding), bytes that compress and
        // bytes that do not.
        let mut noise = Vec::new();
        let mut x = 1u32;
        for _ in 0..5000 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            noise.push((x >> 16) as u8);
        }
        let text = "مالي باماكو ".repeat(400).into_bytes();
        for payload in [&b""[..], b"a", b"ab", b"abc", b"abcd", &noise, &text] {
            let script = shard_script("t7", payload);
            let js = std::str::from_utf8(&script).unwrap();
            assert!(
                js.starts_with("(window.MILAF_SHARDS=window.MILAF_SHARDS||{})[\"t7\"]=\"") && js.ends_with("\";\n")
            );
            let value = &js[js.find("]=\"").unwrap() + 3..js.len() - 3];
            assert!(!value.contains(['"', '\\', '\n', '\r', '\0', '<']), "{value}");
            assert!(value.chars().all(|c| (c as u32) < 0x80 || (0x100..0x180).contains(&(c as u32))));
            assert_eq!(from_text7(value), deflate(payload, LEVEL));
            assert_eq!(shard_payload(js), Some(("t7".to_string(), payload.to_vec())));
            assert_eq!(shard_script("t7", payload), script, "the same payload gives the same bytes");
        }
        // A text compresses: its script is far smaller than the text.
        assert!(shard_script("d0", &text).len() * 10 < text.len());
        assert!(shard_script("o0", &noise).len() <= noise.len() * 5 / 4 + 128, "incompressible bytes grow little");
    }

    #[test]
    fn a_small_dossier_is_one_file_holding_every_word() {
        let d = sample();
        let files = written(&d, LIMITS);
        assert_eq!(files.keys().collect::<Vec<_>>(), ["search/index.js"]);
        check_round_trip(&d, &files);
        assert_eq!(index_file(&d, &ar(), "search/index.js").as_ref(), files.get("search/index.js"));
        let once = IndexFiles::new(&d, &ar());
        assert_eq!(once.get(&d, &ar(), "search/index.js").as_ref(), files.get("search/index.js"));
        assert_eq!(once.get(&d, &ar(), "search/shards/d0.js"), None, "a one-file index has no shards");
    }

    #[test]
    fn a_large_dossier_is_cut_into_shards_below_the_limit_holding_every_word() {
        let d = sample();
        // Small limits make the sample behave as a large dossier.
        let limits = Limits { shard: 512, terms: 512, inline: 64 };
        let files = written(&d, limits);
        let count = |prefix: &str| files.keys().filter(|p| p.starts_with(&format!("{SHARDS}{prefix}"))).count();
        assert!(count("t") > 5 && count("o") > 20 && count("d") > 3, "{:?}", files.keys().collect::<Vec<_>>());
        let (_, shards) = scripts(&files);
        let split = shards
            .iter()
            .filter(|(name, _)| name.starts_with('t'))
            .flat_map(|(_, payload)| term_shard(payload).0)
            .filter(|e| e[2].as_array().is_some_and(|pieces| pieces.len() > 1))
            .count();
        assert!(split > 0, "no term's postings span several pieces");
        // A unit shard holds 64 units as they are, and the manifest a term
        // per term shard: only term shards and pieces obey so small a limit.
        for (path, bytes) in &files {
            if path.starts_with(&format!("{SHARDS}t")) || path.starts_with(&format!("{SHARDS}o")) {
                assert!(bytes.len() <= limits.shard, "{path}: {} bytes", bytes.len());
            }
        }
        assert!(files.values().all(|b| !String::from_utf8_lossy(b).contains("</")), "a shard could close a script");
        check_round_trip(&d, &files);
        // One file at a time (the preview), the same bytes: the manifest,
        // and the first and last file of each kind.
        let mut some: Vec<&String> = vec![files.keys().find(|p| *p == "search/index.js").unwrap()];
        for kind in ["t", "o", "d"] {
            let of_kind: Vec<&String> = files.keys().filter(|p| p.starts_with(&format!("{SHARDS}{kind}"))).collect();
            some.extend([of_kind[0], of_kind[of_kind.len() - 1]]);
        }
        for path in some {
            assert_eq!(index_file_within(&d, &ar(), path, limits).as_ref(), files.get(path), "{path}");
        }
        for missing in ["search/shards/t999.js", "search/shards/d999.js", "search/shards/d01.js", "search/other.js"] {
            assert_eq!(index_file_within(&d, &ar(), missing, limits), None, "{missing}");
        }
        // Every file from the files the preview builds once per site.
        let once = IndexFiles::within(&d, &ar(), limits);
        for (path, bytes) in &files {
            assert_eq!(once.get(&d, &ar(), path).as_ref(), Some(bytes), "{path}");
        }
        for missing in ["search/shards/t999.js", "search/shards/d999.js", "search/shards/d01.js", "search/other.js"] {
            assert_eq!(once.get(&d, &ar(), missing), None, "{missing}");
        }
    }

    #[test]
    fn a_sharded_index_is_the_same_bytes_whatever_the_threads() {
        let d = sample();
        let limits = Limits { shard: 512, terms: 512, inline: 64 };
        let with = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| written(&d, limits))
        };
        let (one, three) = (with(1), with(3));
        assert!(one.keys().any(|p| p.starts_with(&format!("{SHARDS}o"))), "no postings piece");
        assert_eq!(one.keys().collect::<Vec<_>>(), three.keys().collect::<Vec<_>>());
        for (path, bytes) in &one {
            assert!(three[path] == *bytes, "{path} differs");
        }
    }

    #[test]
    fn pieces_cut_postings_between_units_and_start_from_zero() {
        let mut bytes = Vec::new();
        let mut expected = Vec::new();
        let mut prev = 0;
        for (k, unit) in [3u32, 40, 41, 900, 100_000, 100_001].into_iter().enumerate() {
            // Units holding the term once and twice.
            let positions: Vec<u32> = if k % 2 == 0 { vec![unit % 7] } else { vec![unit % 7, unit % 7 + 1000] };
            put_head(&mut bytes, unit - prev, positions.len() as u32);
            prev = unit;
            let mut p = 0;
            for &pos in &positions {
                put(&mut bytes, pos - p);
                p = pos;
            }
            expected.push((unit, positions));
        }
        let pieces = pieces(&bytes, 18);
        assert!(pieces.len() > 2);
        let mut got = Vec::new();
        for piece in &pieces {
            assert!(piece.len() <= 18);
            let (mut at, mut unit) = (0, 0);
            while at < piece.len() {
                let (gap, count) = get_head(piece, &mut at);
                unit += gap;
                let mut positions = Vec::new();
                let mut p = 0;
                for _ in 0..count {
                    p += get(piece, &mut at);
                    positions.push(p);
                }
                got.push((unit, positions));
            }
        }
        assert_eq!(got, expected);
    }
}
