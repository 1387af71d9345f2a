//! `milaf suggest`: what an editor may have missed in the articles, each
//! with the article's file:line:col and a reason. Nothing here is an error:
//! a build never runs it, and it changes no file.
//!
//! Five kinds, over the checked dossier and the articles' text:
//! - **unlinked**: occurrences of a name that are not linked, and why
//!   (`link: false`, `not_mentions`, a mention override, a longer name
//!   around it, the definite article);
//! - **variant**: other spellings of an existing name in the text
//!   (`ج/غ/ق/ك` for g, `ي/ى`, `ة/ه`, hamza forms, doubled letters, a Latin
//!   spelling of an Arabic name), proposed as aliases with their counts;
//! - **name**: name-like words that are no entity yet: after a title
//!   (`الجنرال …`, `وزير …`), in quotation marks, Latin words, and word
//!   sequences repeated across the dossier, most frequent first;
//! - **ambiguous**: linked names that may be an adjective after a noun
//!   (`ضغط مالي`), with their context, unless an override decided them;
//! - **date**: date expressions (`31 مارس الماضي`, `فبراير 2022`,
//!   `نهاية عام 2023`, `الشهر الماضي`) in paragraphs no event cites, with
//!   the date they give against the article's publication date.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::arabic::{self, is_word_char};
use crate::diag;
use crate::load::{Kind as FileKind, Sources};
use crate::mentions::{may_be_adjective, Matcher};
use crate::model::{Article, BlockKind, CiteAt, Dossier};

/// What a suggestion is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Unlinked,
    Variant,
    Name,
    Ambiguous,
    Date,
}

impl Kind {
    fn heading(self) -> &'static str {
        match self {
            Kind::Unlinked => "names not linked",
            Kind::Variant => "other spellings of existing names (aliases to add?)",
            Kind::Name => "names that are no entity yet",
            Kind::Ambiguous => "linked names that may be adjectives (review)",
            Kind::Date => "dates in the text that no event covers",
        }
    }
}

/// One place in an article.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Place {
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// The paragraph number, when the place is in a paragraph.
    pub paragraph: Option<u32>,
}

/// One suggestion: the words, what they may be, why, and where (the first
/// place, then every place).
#[derive(Debug, Clone, Serialize)]
pub struct Suggestion {
    pub kind: Kind,
    /// The words as written (at the first place).
    pub text: String,
    /// What the words may be, in a sentence.
    pub message: String,
    /// Why the suggestion is made.
    pub reason: String,
    /// The entity concerned, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity: Option<String>,
    /// For a date: the EDTF value it gives.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    pub count: usize,
    pub places: Vec<Place>,
}

/// A place in the dossier: article index, block index, byte range.
type At = (usize, usize, usize, usize);

/// All suggestions for the articles named in `only` (all when empty), in
/// the order of the five kinds, the most frequent first within a kind.
/// `sources` are the files as `load` read them, before `parse` dropped the
/// article bodies: places are found in the articles' text.
pub fn suggest(d: &Dossier, sources: &Sources, only: &[String]) -> Vec<Suggestion> {
    let maps = SourceMaps::new(d, sources);
    let chosen: Vec<usize> =
        (0..d.articles.len()).filter(|&a| only.is_empty() || only.iter().any(|o| o == &d.articles[a].id)).collect();
    let mut out = Vec::new();
    out.extend(unlinked(d, &chosen, &maps));
    let variants = variants(d, &chosen, &maps);
    // A word proposed as another spelling is not proposed as a new name.
    let spelled: BTreeSet<&Place> = variants.iter().flat_map(|v| &v.places).collect();
    let mut names = names(d, &chosen, &maps);
    names.retain(|n| !n.places.iter().any(|p| spelled.contains(p)));
    out.extend(variants);
    out.extend(names);
    out.extend(ambiguous(d, &chosen, &maps));
    out.extend(dates(d, &chosen, &maps));
    out
}

/// The article files' text and each block's map to it.
struct SourceMaps<'a> {
    /// Per article: its file's path and text, and its blocks' map.
    files: Vec<Option<(&'a str, &'a str, crate::parse::article::SourceMap)>>,
}

impl<'a> SourceMaps<'a> {
    fn new(d: &Dossier, sources: &'a Sources) -> SourceMaps<'a> {
        let by_stem: BTreeMap<&str, &crate::load::SourceFile> =
            sources.files.iter().filter(|f| f.kind == FileKind::Article).map(|f| (f.stem.as_str(), f)).collect();
        let files = d
            .articles
            .iter()
            .map(|a| {
                by_stem
                    .get(a.id.as_str())
                    .map(|f| (f.path.as_str(), f.text.as_str(), crate::parse::article::source_map(&f.text)))
            })
            .collect();
        SourceMaps { files }
    }

    fn places(&self, d: &Dossier, at: Vec<At>) -> Vec<Place> {
        at.into_iter().map(|at| self.place(d, at)).collect()
    }

    fn place(&self, d: &Dossier, (a, b, start, end): At) -> Place {
        let paragraph = match d.articles[a].blocks.get(b).map(|x| x.kind) {
            Some(BlockKind::Paragraph(n)) => Some(n),
            _ => None,
        };
        let Some((path, text, maps)) = &self.files[a] else {
            return Place { file: d.articles[a].id.clone(), line: 0, column: 0, paragraph };
        };
        let map = maps.get(b).map_or(&[][..], Vec::as_slice);
        let s = crate::parse::article::source_offset(map, start as u32).min(text.len());
        let e = crate::parse::article::source_offset(map, end as u32).clamp(s, text.len());
        let loc = diag::locate(path, text, s, e);
        Place { file: path.to_string(), line: loc.line, column: loc.column, paragraph }
    }
}

/// Grouped suggestions, the most frequent first (then by first place).
fn most_frequent_first(mut out: Vec<Suggestion>) -> Vec<Suggestion> {
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.places.cmp(&b.places)));
    out
}

/// Suggestions gathered by a key: the count and every place.
struct Tally<K: Ord> {
    found: BTreeMap<K, (String, Vec<At>)>,
}

impl<K: Ord> Tally<K> {
    fn new() -> Self {
        Tally { found: BTreeMap::new() }
    }

    fn add(&mut self, key: K, text: &str, at: At) {
        self.found.entry(key).or_insert_with(|| (text.to_string(), Vec::new())).1.push(at);
    }
}

fn words_of(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (is_word_char(c) || c == '-' && start.is_some(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    // A trailing hyphen is not part of a word.
    out.into_iter().map(|(s, e)| (s, s + text[s..e].trim_end_matches('-').len())).filter(|(s, e)| e > s).collect()
}

fn overlaps(a: &Article, b: usize, start: usize, end: usize) -> bool {
    a.mentions.iter().any(|m| m.block as usize == b && (m.start as usize) < end && start < m.end as usize)
}

fn overridden(a: &Article, b: usize, start: usize, end: usize) -> bool {
    a.overrides.iter().any(|&[ob, s, e]| ob as usize == b && (s as usize) < end && start < e as usize)
}

// ---------------------------------------------------------------- unlinked

fn unlinked(d: &Dossier, chosen: &[usize], maps: &SourceMaps) -> Vec<Suggestion> {
    // Every alias of every entity, linkable or not, without not_mentions.
    let aliases: Vec<(usize, &str)> =
        d.entities.iter().enumerate().flat_map(|(e, x)| x.aliases.iter().map(move |a| (e, a.as_str()))).collect();
    let matcher = Matcher::new(&aliases, &[]);
    // The same names with the definite article, which is not a proclitic.
    let with_article: Vec<String> = aliases
        .iter()
        .map(|(_, a)| {
            let n = arabic::normalize(a);
            if n.starts_with("ال") || !n.chars().next().is_some_and(|c| ('\u{0621}'..='\u{064A}').contains(&c)) {
                String::new()
            } else {
                format!("ال{n}")
            }
        })
        .collect();
    let article_forms: Vec<(usize, &str)> =
        aliases.iter().zip(&with_article).map(|((e, _), f)| (*e, f.as_str())).collect();
    let definite = Matcher::new(&article_forms, &[]);
    let mut tally: Tally<(usize, String, String)> = Tally::new();
    for &a in chosen {
        let art = &d.articles[a];
        for (b, block) in art.blocks.iter().enumerate() {
            for m in matcher.find(&block.text) {
                let linked = art.mentions.iter().any(|x| {
                    x.block as usize == b
                        && x.entity as usize == m.entity
                        && x.start as usize <= m.start
                        && m.end <= x.end as usize
                });
                if linked {
                    continue;
                }
                let e = &d.entities[m.entity];
                let other = art
                    .mentions
                    .iter()
                    .find(|x| x.block as usize == b && (x.start as usize) < m.end && m.start < x.end as usize);
                let reason = if !e.link {
                    format!("`{}` has `link: false`", e.id)
                } else if overridden(art, b, m.start, m.end) {
                    format!("a mention override in the annotations of `{}` decides this place", art.id)
                } else if let Some(x) = other {
                    let words = block.text.get(x.start as usize..x.end as usize).unwrap_or("");
                    format!(
                        "it is part of «{words}», a name of `{}` (the longest name wins)",
                        d.entities[x.entity as usize].id
                    )
                } else if !e.not_mentions.is_empty() {
                    format!("a phrase under `not_mentions` of `{}` holds it", e.id)
                } else {
                    format!("another entity takes this name before `{}`", e.id)
                };
                let text = &block.text[m.start..m.end];
                tally.add((m.entity, arabic::normalize(text), reason), text, (a, b, m.start, m.end));
            }
            for m in definite.find(&block.text) {
                let e = &d.entities[m.entity];
                if overlaps(art, b, m.start, m.end) {
                    continue;
                }
                let reason = format!(
                    "with the definite article the word is not the name of `{}` (an adjective or another noun: «الجيش المالي»)",
                    e.id
                );
                let text = &block.text[m.start..m.end];
                tally.add((m.entity, arabic::normalize(text), reason), text, (a, b, m.start, m.end));
            }
        }
    }
    let out: Vec<Suggestion> = tally
        .found
        .into_iter()
        .map(|((e, _, reason), (text, places))| Suggestion {
            kind: Kind::Unlinked,
            message: format!("«{text}» is not linked to `{}`", d.entities[e].id),
            text,
            reason,
            entity: Some(d.entities[e].id.clone()),
            date: None,
            count: places.len(),
            places: maps.places(d, places),
        })
        .collect();
    most_frequent_first(out)
}

// ---------------------------------------------------------------- variants

/// A key under which spellings of one name meet: the normal form with
/// `ج غ ق ك گ` as one letter (g), `ى ئ` as `ي`, `ؤ` as `و`, and doubled
/// letters as one.
fn loose(s: &str) -> String {
    let mut out = String::new();
    for c in arabic::normalize(s).chars() {
        let c = match c {
            'ج' | 'غ' | 'ق' | 'ك' | 'گ' | 'ڨ' => 'ك',
            'ى' | 'ئ' => 'ي',
            'ؤ' => 'و',
            'ڤ' => 'ف',
            'پ' => 'ب',
            c => c,
        };
        if !out.ends_with(c) || c == ' ' {
            out.push(c);
        }
    }
    out
}

/// The consonants of a name, in classes that Arabic and Latin spellings of
/// one foreign name share: `Wagner` and `فاغنر` both give `fgnr`.
fn skeleton(s: &str) -> String {
    let s = arabic::normalize(s).to_lowercase();
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let first = i == 0;
        let (class, step) = match (c, next) {
            ('s' | 'c', Some('h')) | ('ش', _) => (Some('x'), if c == 'ش' { 1 } else { 2 }),
            ('t', Some('h')) => (Some('t'), 2),
            ('k' | 'g' | 'q' | 'c' | 'j' | 'ج' | 'غ' | 'ق' | 'ك' | 'گ', _) => (Some('g'), 1),
            ('x', _) => (Some('g'), 1),
            ('b' | 'p' | 'ب' | 'پ', _) => (Some('b'), 1),
            ('t' | 'ت' | 'ط', _) => (Some('t'), 1),
            ('d' | 'د' | 'ض', _) => (Some('d'), 1),
            ('s' | 'س' | 'ص' | 'ث', _) => (Some('s'), 1),
            ('z' | 'ز' | 'ذ' | 'ظ', _) => (Some('z'), 1),
            ('f' | 'v' | 'ف' | 'ڤ', _) => (Some('f'), 1),
            // `w` and `و` are consonants only at the start of a word.
            ('w' | 'و', _) => (first.then_some('f'), 1),
            ('l' | 'ل', _) => (Some('l'), 1),
            ('m' | 'م', _) => (Some('m'), 1),
            ('n' | 'ن', _) => (Some('n'), 1),
            ('r' | 'ر', _) => (Some('r'), 1),
            _ => (None, 1),
        };
        if let Some(k) = class {
            if !out.ends_with(k) {
                out.push(k);
            }
        }
        i += step;
    }
    out
}

fn is_latin_word(w: &str) -> bool {
    w.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && w.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

fn variants(d: &Dossier, chosen: &[usize], maps: &SourceMaps) -> Vec<Suggestion> {
    // Every alias by its loose key and, for one-word Arabic names with
    // three consonants or more, by its skeleton.
    let mut by_loose: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_skeleton: BTreeMap<String, (usize, String)> = BTreeMap::new();
    let mut exact: BTreeSet<String> = BTreeSet::new();
    let mut longest = 1;
    for (e, x) in d.entities.iter().enumerate() {
        for a in &x.aliases {
            let n = arabic::normalize(a).trim().to_lowercase();
            longest = longest.max(n.split(' ').count());
            by_loose.entry(loose(&n)).or_insert(e);
            if !n.contains(' ') && !n.is_ascii() {
                let k = skeleton(&n);
                if k.len() >= 3 {
                    by_skeleton.entry(k).or_insert((e, a.clone()));
                }
            }
            exact.insert(n);
        }
    }
    let mut tally: Tally<(usize, String)> = Tally::new();
    let mut latin_of: BTreeMap<(usize, String), String> = BTreeMap::new();
    for &a in chosen {
        let art = &d.articles[a];
        for (b, block) in art.blocks.iter().enumerate() {
            let text = &block.text;
            let words = words_of(text);
            for i in 0..words.len() {
                for n in 1..=longest.min(words.len() - i) {
                    let (s0, _) = words[i];
                    let (_, e0) = words[i + n - 1];
                    // Only words separated by single spaces form a name.
                    if (i..i + n - 1).any(|k| &text[words[k].1..words[k + 1].0] != " ") {
                        break;
                    }
                    for strip in 0..=2 {
                        let Some(start) = proclitics(text, s0, strip) else { continue };
                        let form = &text[start..e0];
                        let normal = arabic::normalize(form).trim().to_lowercase();
                        if exact.contains(&normal) {
                            continue;
                        }
                        let hit = by_loose.get(&loose(&normal)).copied().or_else(|| {
                            let (e, alias) =
                                by_skeleton.get(&skeleton(form)).filter(|_| n == 1 && is_latin_word(form))?;
                            latin_of.insert((*e, normal.clone()), alias.clone());
                            Some(*e)
                        });
                        if let Some(e) = hit {
                            if overlaps(art, b, start, e0) {
                                continue;
                            }
                            tally.add((e, normal), form, (a, b, start, e0));
                        }
                    }
                }
            }
        }
    }
    let out: Vec<Suggestion> = tally
        .found
        .into_iter()
        .map(|((e, normal), (text, places))| {
            let x = &d.entities[e];
            let latin = latin_of.get(&(e, normal));
            Suggestion {
                kind: Kind::Variant,
                message: format!("«{text}» may be `{}` ({}): add it to its aliases", x.id, x.name),
                reason: if let Some(alias) = latin {
                    format!("a Latin spelling with the consonants of «{alias}»")
                } else {
                    format!("spelt like a name of `{}` but for letters that vary in transcription", x.id)
                },
                text,
                entity: Some(x.id.clone()),
                date: None,
                count: places.len(),
                places: maps.places(d, places),
            }
        })
        .collect();
    most_frequent_first(out)
}

/// The start of a word after `strip` one-letter proclitics (`و ف ب ك ل`),
/// or `None` when the word has not that many.
fn proclitics(text: &str, start: usize, strip: usize) -> Option<usize> {
    let mut at = start;
    for k in 0..strip {
        let c = text[at..].chars().next()?;
        let ok = if k == 0 { matches!(c, 'و' | 'ف' | 'ب' | 'ك' | 'ل') } else { matches!(c, 'ب' | 'ك' | 'ل') };
        if !ok {
            return None;
        }
        at += c.len_utf8();
    }
    // At least two letters stay.
    (text[at..].chars().take_while(|&c| is_word_char(c)).count() >= 2).then_some(at)
}

// ------------------------------------------------------------------- names

/// Titles after which a person's name follows (normalised).
const TITLES: &[&str] = &[
    "الجنرال",
    "العقيد",
    "اللواء",
    "العميد",
    "الفريق",
    "المشير",
    "الرائد",
    "النقيب",
    "الرئيس",
    "رئيس",
    "الوزير",
    "وزير",
    "وزيره",
    "السفير",
    "السفيره",
    "المتحدث",
    "الناطق",
    "السيد",
    "السيده",
    "الدكتور",
    "الشيخ",
    "الامير",
    "الملك",
    "المستشار",
    "الخبير",
    "المحلل",
    "الباحث",
    "الصحفي",
    "الكاتب",
    "المراسل",
    "القايد",
    "زعيم",
    "قايد",
];

/// Words that do not start or end a name, besides the particles of
/// [`crate::mentions::PARTICLES`]: verbs of saying, relatives, time words.
const STOPWORDS: &[&str] = &[
    "التي",
    "الذي",
    "الذين",
    "وقال",
    "قال",
    "واكد",
    "اكد",
    "وهو",
    "وهي",
    "كان",
    "كانت",
    "خلال",
    "حيث",
    "انه",
    "عام",
    "العام",
    "يوم",
];

fn names(d: &Dossier, chosen: &[usize], maps: &SourceMaps) -> Vec<Suggestion> {
    let mut tally: Tally<(String, &'static str)> = Tally::new();
    let titles: BTreeSet<&str> = TITLES.iter().copied().collect();
    let stop: BTreeSet<&str> = STOPWORDS.iter().chain(crate::mentions::PARTICLES).copied().collect();
    // Word sequences across the chosen articles, for the repeated ones.
    let mut ngrams: BTreeMap<String, Vec<(At, String)>> = BTreeMap::new();
    for &a in chosen {
        let art = &d.articles[a];
        for (b, block) in art.blocks.iter().enumerate() {
            let text = &block.text;
            let words = words_of(text);
            let normal: Vec<String> = words.iter().map(|&(s, e)| arabic::normalize(&text[s..e])).collect();
            let spaced = |k: usize| k + 1 < words.len() && &text[words[k].1..words[k + 1].0] == " ";
            let free = |s: usize, e: usize| !overlaps(art, b, s, e);
            // After a title: skip its attributes (definite words), then up
            // to three words of a name.
            for (k, w) in normal.iter().enumerate() {
                let bare = w.strip_prefix('و').filter(|r| titles.contains(r)).unwrap_or(w);
                if !titles.contains(bare) {
                    continue;
                }
                // `والمحلل` is definite too.
                let definite = |w: &str| w.starts_with("ال") || w.starts_with("وال") || w.starts_with("لل");
                let mut j = k + 1;
                while j < words.len() && spaced(j - 1) && definite(&normal[j]) && j - k <= 3 {
                    j += 1;
                }
                let first = j;
                while j < words.len()
                    && j - first < 3
                    && spaced(j - 1)
                    && !definite(&normal[j])
                    && !stop.contains(normal[j].as_str())
                    && !normal[j].chars().all(|c| c.is_ascii_digit())
                {
                    j += 1;
                }
                if j > first {
                    let (s, e) = (words[first].0, words[j - 1].1);
                    if free(s, e) {
                        tally.add((arabic::normalize(&text[s..e]), "title"), &text[s..e], (a, b, s, e));
                    }
                }
            }
            // In quotation marks: one to four words.
            for (open, close) in [('"', '"'), ('«', '»'), ('“', '”')] {
                let mut from = 0;
                while let Some(o) = text[from..].find(open).map(|o| from + o) {
                    let inner = o + open.len_utf8();
                    let Some(c) = text[inner..].find(close).map(|c| inner + c) else { break };
                    let quoted = text[inner..c].trim();
                    let count = quoted.split_whitespace().count();
                    if (1..=4).contains(&count) && quoted.chars().any(char::is_alphabetic) {
                        let s = inner + (text[inner..c].len() - text[inner..c].trim_start().len());
                        let e = s + quoted.len();
                        if free(s, e) {
                            tally.add((arabic::normalize(quoted), "quoted"), quoted, (a, b, s, e));
                        }
                    }
                    from = c + close.len_utf8();
                }
            }
            // Latin words, and runs of them.
            let mut k = 0;
            while k < words.len() {
                let w = &text[words[k].0..words[k].1];
                if !is_latin_word(w) || w.len() < 2 {
                    k += 1;
                    continue;
                }
                let mut j = k + 1;
                while j < words.len() && spaced(j - 1) && is_latin_word(&text[words[j].0..words[j].1]) {
                    j += 1;
                }
                let (s, e) = (words[k].0, words[j - 1].1);
                if free(s, e) {
                    tally.add((text[s..e].to_lowercase(), "latin"), &text[s..e], (a, b, s, e));
                }
                k = j;
            }
            // Two- and three-word sequences without a name in them.
            for n in 2..=3 {
                for k in 0..words.len().saturating_sub(n - 1) {
                    if (k..k + n - 1).any(|i| !spaced(i)) {
                        continue;
                    }
                    let key: Vec<&str> = normal[k..k + n].iter().map(String::as_str).collect();
                    if stop.contains(key[0]) || stop.contains(key[n - 1]) || key.iter().any(|w| w.chars().count() < 3) {
                        continue;
                    }
                    let (s, e) = (words[k].0, words[k + n - 1].1);
                    if free(s, e) {
                        ngrams.entry(key.join(" ")).or_default().push(((a, b, s, e), text[s..e].to_string()));
                    }
                }
            }
        }
    }
    // Repeated sequences: in two articles at least, three times at least,
    // and not part of a longer repeated one as often.
    let repeated: Vec<(&String, &Vec<(At, String)>)> = ngrams
        .iter()
        .filter(|(_, v)| v.len() >= 3 && v.iter().map(|((a, ..), _)| a).collect::<BTreeSet<_>>().len() >= 2)
        .collect();
    for (key, places) in &repeated {
        let covered =
            repeated.iter().any(|(k, v)| k.len() > key.len() && k.contains(key.as_str()) && v.len() >= places.len());
        if covered {
            continue;
        }
        for (at, text) in places.iter() {
            tally.add(((*key).clone(), "repeated"), text, *at);
        }
    }
    let out: Vec<Suggestion> = tally
        .found
        .into_iter()
        .map(|((_, why), (text, places))| {
            let reason = match why {
                "title" => "follows a title (الجنرال، الرئيس، وزير …)",
                "quoted" => "written in quotation marks",
                "latin" => "a word in Latin letters",
                _ => "the same words recur across articles",
            };
            Suggestion {
                kind: Kind::Name,
                message: format!("«{text}» may name an entity the dossier does not have"),
                reason: reason.to_string(),
                text,
                entity: None,
                date: None,
                count: places.len(),
                places: maps.places(d, places),
            }
        })
        .collect();
    most_frequent_first(out)
}

// --------------------------------------------------------------- ambiguous

fn ambiguous(d: &Dossier, chosen: &[usize], maps: &SourceMaps) -> Vec<Suggestion> {
    let mut out = Vec::new();
    for &a in chosen {
        let art = &d.articles[a];
        for m in &art.mentions {
            let b = m.block as usize;
            let Some(block) = art.blocks.get(b) else { continue };
            let (s, e) = (m.start as usize, m.end as usize);
            if overridden(art, b, s, e) || !may_be_adjective(&block.text, s, e) {
                continue;
            }
            let word_start = block.text[..s].trim_end().rfind(' ').map_or(0, |i| i + 1);
            let context = &block.text[word_start..e];
            let x = &d.entities[m.entity as usize];
            out.push(Suggestion {
                kind: Kind::Ambiguous,
                text: block.text[s..e].to_string(),
                message: format!("«{context}»: `{}` or an adjective?", x.id),
                reason: format!(
                    "the name follows an indefinite noun; if it is not `{}`, add `- mention: false` with `quote: {context}` to the annotations of `{}`; if it is, `- mention: {}`",
                    x.id, art.id, x.id
                ),
                entity: Some(x.id.clone()),
                date: None,
                count: 1,
                places: vec![maps.place(d, (a, b, s, e))],
            });
        }
    }
    out
}

// ------------------------------------------------------------------- dates

/// Month names as news texts write them (normalised), with their number:
/// the Egyptian series, the Levantine one and the Maghrebi one.
const MONTHS: &[(&str, u8)] = &[
    ("يناير", 1),
    ("فبراير", 2),
    ("مارس", 3),
    ("ابريل", 4),
    ("مايو", 5),
    ("يونيو", 6),
    ("يونيه", 6),
    ("يوليو", 7),
    ("يوليه", 7),
    ("اغسطس", 8),
    ("سبتمبر", 9),
    ("اكتوبر", 10),
    ("نوفمبر", 11),
    ("ديسمبر", 12),
    ("شباط", 2),
    ("اذار", 3),
    ("نيسان", 4),
    ("ايار", 5),
    ("حزيران", 6),
    ("تموز", 7),
    ("اب", 8),
    ("ايلول", 9),
    ("جانفي", 1),
    ("فيفري", 2),
    ("افريل", 4),
    ("ماي", 5),
    ("جوان", 6),
    ("جويليه", 7),
    ("اوت", 8),
];

/// Two-word Levantine months.
const MONTHS2: &[(&str, u8)] = &[("كانون الثاني", 1), ("تشرين الاول", 10), ("تشرين الثاني", 11), ("كانون الاول", 12)];

/// A date expression found: where, and what it gives.
pub(crate) struct Found {
    pub start: usize,
    pub end: usize,
    /// Empty when the expression needs a publication date it has not.
    pub edtf: String,
    pub how: String,
}

fn month_at(normal: &[String], k: usize) -> Option<(u8, usize)> {
    if k + 1 < normal.len() {
        let two = format!("{} {}", normal[k], normal[k + 1]);
        if let Some(&(_, m)) = MONTHS2.iter().find(|(n, _)| *n == two) {
            return Some((m, 2));
        }
    }
    let w = normal.get(k)?;
    // `في مارس` is written `بمارس` or `ومارس` too.
    let bare = |w: &str| MONTHS.iter().find(|(n, _)| *n == w).map(|&(_, m)| m);
    bare(w).or_else(|| w.strip_prefix(['و', 'ب', 'ف']).and_then(bare)).map(|m| (m, 1))
}

/// A word of digits (ASCII or Arabic-Indic) as ASCII, or `None`.
fn ascii_digits(w: &str) -> Option<String> {
    let digits: String = w
        .chars()
        .map(|c| match c {
            '٠'..='٩' => char::from_digit(c as u32 - '٠' as u32, 10).unwrap_or(c),
            c => c,
        })
        .collect();
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

fn year_of(w: &str) -> Option<i32> {
    let digits = ascii_digits(w)?;
    let y: i32 = digits.parse().ok()?;
    (digits.len() == 4 && (1900..=2100).contains(&y)).then_some(y)
}

fn day_of(w: &str) -> Option<u8> {
    let digits = ascii_digits(w)?;
    let d: u8 = digits.parse().ok()?;
    (digits.len() <= 2 && (1..=31).contains(&d)).then_some(d)
}

/// The date expressions of one block's text, resolved against the
/// publication date (year, month, day; `None` parts unknown).
pub(crate) fn find_dates(text: &str, published: Option<(i32, Option<u8>, Option<u8>)>) -> Vec<Found> {
    let words = words_of(text);
    let normal: Vec<String> = words.iter().map(|&(s, e)| arabic::normalize(&text[s..e])).collect();
    let w = |k: usize| normal.get(k).map_or("", String::as_str);
    let mut out = Vec::new();
    let mut k = 0;
    while k < words.len() {
        let mut found: Option<(usize, String, String)> = None;
        // [day] month [year | الماضي | المقبل]
        let day = day_of(w(k));
        let m_at = if day.is_some() { k + 1 } else { k };
        if let Some((month, len)) = month_at(&normal, m_at) {
            let after = m_at + len;
            // `مارس 2022`, `مارس عام 2022`.
            let year = year_of(w(after)).map(|y| (y, after)).or_else(|| {
                matches!(w(after), "عام" | "سنه").then(|| year_of(w(after + 1)).map(|y| (y, after + 1))).flatten()
            });
            let (year, last, how) = match (year, w(after)) {
                (Some((y, at)), _) => (Some(y), at, "as written".to_string()),
                // `الماضي` is any past month, this one included when the
                // day is before publication.
                (None, "الماضي") => (
                    published.map(|(py, pm, pd)| {
                        let earlier = match (pm, day, pd) {
                            (Some(pm), _, _) if month < pm => true,
                            (Some(pm), Some(dd), Some(pd)) if month == pm => dd < pd,
                            _ => false,
                        };
                        if earlier {
                            py
                        } else {
                            py - 1
                        }
                    }),
                    after,
                    "«الماضي»: the last such month before publication".to_string(),
                ),
                (None, "المقبل" | "القادم") => (
                    published.map(|(py, pm, _)| if pm.is_some_and(|pm| month <= pm) { py + 1 } else { py }),
                    after,
                    "«المقبل»: the next such month after publication".to_string(),
                ),
                (None, _) => (published.map(|(py, ..)| py), after - 1, "no year: the year of publication".to_string()),
            };
            // A bare month name with no day and no year is too weak
            // (`ماي`, `اب` are also words).
            if day.is_some() || last >= after {
                if let Some(y) = year {
                    let edtf = match day {
                        Some(dd) => format!("{y:04}-{month:02}-{dd:02}"),
                        None => format!("{y:04}-{month:02}"),
                    };
                    found = Some((last, edtf, how));
                } else {
                    found = Some((last, String::new(), format!("{how}; the article has no publication date")));
                }
            }
        }
        // نهاية/أواخر/مطلع/بداية/أوائل/منتصف [عام] YYYY, or عام YYYY
        if found.is_none() {
            let part = match w(k) {
                "نهايه" | "اواخر" | "اخر" => Some("late"),
                "مطلع" | "بدايه" | "اوايل" => Some("early"),
                "منتصف" => Some("mid"),
                _ => None,
            };
            let (year_at, part) = match part {
                Some(p) if matches!(w(k + 1), "عام" | "سنه") => (k + 2, Some(p)),
                Some(p) => (k + 1, Some(p)),
                None if matches!(w(k), "عام" | "سنه") => (k + 1, None),
                None => (usize::MAX, None),
            };
            if let Some(y) = year_of(w(year_at)) {
                // EDTF level 2 sub-year groupings: the last or first
                // quarter; the middle of the year as its summer.
                let (edtf, how) = match part {
                    Some("late") => (format!("{y:04}-36"), "the last quarter of the year (EDTF 36: Q4)"),
                    Some("early") => (format!("{y:04}-33"), "the first quarter of the year (EDTF 33: Q1)"),
                    Some(_) => (format!("{y:04}-06~"), "the middle of the year, approximately"),
                    None => (format!("{y:04}"), "as written"),
                };
                found = Some((year_at, edtf, how.to_string()));
            }
        }
        // Relative to publication.
        if found.is_none() {
            let two = format!("{} {}", w(k), w(k + 1));
            let rel = match two.as_str() {
                "الشهر الماضي" => Some(-1),
                "العام الماضي" | "السنه الماضيه" => Some(-12),
                "الشهر الجاري" | "الشهر الحالي" => Some(0),
                "العام الجاري" | "العام الحالي" => Some(0),
                "العام المقبل" | "العام القادم" => Some(12),
                "الشهر المقبل" | "الشهر القادم" => Some(1),
                _ => None,
            };
            if let Some(delta) = rel {
                let by_year = two.starts_with("العام") || two.starts_with("السنه");
                let edtf = published.and_then(|(py, pm, _)| {
                    if by_year {
                        Some(format!("{:04}", py + delta / 12))
                    } else {
                        let m0 = py * 12 + pm? as i32 - 1 + delta;
                        Some(format!("{:04}-{:02}", m0.div_euclid(12), m0.rem_euclid(12) + 1))
                    }
                });
                let how = "relative to the publication date".to_string();
                found = Some((k + 1, edtf.unwrap_or_default(), how));
            }
        }
        match found {
            Some((last, edtf, how)) => {
                out.push(Found { start: words[k].0, end: words[last.min(words.len() - 1)].1, edtf, how });
                k = last + 1;
            }
            None => k += 1,
        }
    }
    out
}

fn dates(d: &Dossier, chosen: &[usize], maps: &SourceMaps) -> Vec<Suggestion> {
    let mut out = Vec::new();
    for &a in chosen {
        let art = &d.articles[a];
        let published = art.published.as_ref().map(|p| {
            let (y, m, dd) = p.earliest();
            let precision = p.precision();
            use crate::date::Precision;
            let m = (!matches!(precision, Precision::Year)).then_some(m);
            let dd = matches!(precision, Precision::Day).then_some(dd);
            (y, m, dd)
        });
        // Paragraphs an event cites (a whole-article citation covers none).
        let cited: BTreeSet<u32> = d.index.article_events[a]
            .iter()
            .flat_map(|&v| &d.events[v as usize].sources)
            .filter(|c| c.article as usize == a)
            .filter_map(|c| match c.at {
                CiteAt::Paragraph(n) => Some(n),
                CiteAt::Passage(p) => Some(p.paragraph),
                CiteAt::Article => None,
            })
            .collect();
        for (b, block) in art.blocks.iter().enumerate() {
            if let BlockKind::Paragraph(n) = block.kind {
                if cited.contains(&n) {
                    continue;
                }
            }
            for f in find_dates(&block.text, published) {
                let text = block.text[f.start..f.end].to_string();
                out.push(Suggestion {
                    kind: Kind::Date,
                    message: if f.edtf.is_empty() {
                        format!("«{text}»: a date no event covers")
                    } else {
                        format!("«{text}» = {}: a date no event covers", f.edtf)
                    },
                    reason: f.how,
                    text,
                    entity: None,
                    date: (!f.edtf.is_empty()).then_some(f.edtf),
                    count: 1,
                    places: vec![maps.place(d, (a, b, f.start, f.end))],
                });
            }
        }
    }
    out
}

// ---------------------------------------------------------------- printing

/// The suggestions as an editor reads them in a terminal, grouped by kind.
pub fn render_human(suggestions: &[Suggestion]) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let mut kind = None;
    for s in suggestions {
        if kind != Some(s.kind) {
            kind = Some(s.kind);
            let n = suggestions.iter().filter(|x| x.kind == s.kind).count();
            let _ = writeln!(out, "\n== {} ({n})", s.kind.heading());
        }
        let first = &s.places[0];
        let times = if s.count > 1 { format!(" ×{}", s.count) } else { String::new() };
        let _ = writeln!(out, "{}:{}:{}: {}{times}", first.file, first.line, first.column, s.message);
        let _ = writeln!(out, "    why: {}", s.reason);
        if s.places.len() > 1 {
            let more: Vec<String> = s.places[1..].iter().take(5).map(|p| format!("{}:{}", p.file, p.line)).collect();
            let rest = if s.places.len() > 6 { format!(" and {} more", s.places.len() - 6) } else { String::new() };
            let _ = writeln!(out, "    also: {}{rest}", more.join(", "));
        }
    }
    if suggestions.is_empty() {
        out.push_str("no suggestions\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_name_meet() {
        assert_eq!(loose("فاجنر"), loose("فاغنر"));
        assert_eq!(loose("فاكنر"), loose("فاغنر"));
        assert_eq!(loose("مالى"), loose("مالي"));
        assert_eq!(loose("لافرّوف"), loose("لافروف"));
        assert_eq!(loose("موسكوو"), loose("موسكو"));
        assert_ne!(loose("باماكو"), loose("موسكو"));
        assert_eq!(skeleton("Wagner"), skeleton("فاغنر"));
        assert_eq!(skeleton("Bamako"), skeleton("باماكو"));
        assert_eq!(skeleton("Lavrov"), skeleton("لافروف"));
        assert_ne!(skeleton("Moscow"), skeleton("باماكو"));
    }

    #[test]
    fn dates_resolve_against_publication() {
        let found = |text: &str, p| -> Vec<(String, String)> {
            find_dates(text, p).into_iter().map(|f| (text[f.start..f.end].to_string(), f.edtf)).collect()
        };
        let pub_ = Some((2022, Some(5), Some(11)));
        assert_eq!(found("أعلنت في 31 مارس الماضي تلقيها", pub_), vec![("31 مارس الماضي".into(), "2022-03-31".into())]);
        assert_eq!(found("وفي 12 يونيو الماضي", pub_), vec![("12 يونيو الماضي".into(), "2021-06-12".into())]);
        assert_eq!(found("في 2 مايو الماضي", pub_), vec![("2 مايو الماضي".into(), "2022-05-02".into())]);
        assert_eq!(found("في 20 مايو الماضي", pub_), vec![("20 مايو الماضي".into(), "2021-05-20".into())]);
        assert_eq!(found("منذ فبراير 2022 وحتى", pub_), vec![("فبراير 2022".into(), "2022-02".into())]);
        assert_eq!(found("في نهاية عام 2023 بعد", pub_), vec![("نهاية عام 2023".into(), "2023-36".into())]);
        assert_eq!(found("منذ أواخر 2021", pub_), vec![("أواخر 2021".into(), "2021-36".into())]);
        assert_eq!(found("في الشهر الماضي", pub_), vec![("الشهر الماضي".into(), "2022-04".into())]);
        assert_eq!(
            found("في الشهر الماضي", Some((2022, Some(1), None))),
            vec![("الشهر الماضي".into(), "2021-12".into())]
        );
        assert_eq!(found("في 24 شباط 2022", None), vec![("24 شباط 2022".into(), "2022-02-24".into())]);
        assert_eq!(found("حتى ١٥ كانون الثاني ٢٠٢٣", None), vec![("١٥ كانون الثاني ٢٠٢٣".into(), "2023-01-15".into())]);
        assert!(found("قال ماي إن", pub_).is_empty(), "a bare month word");
        assert_eq!(found("عقد في مارس الماضي", None), vec![("مارس الماضي".into(), String::new())]);
    }
}
