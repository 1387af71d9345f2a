//! How a text becomes search terms, in the index (`render::search`) and in
//! the reader's query (`static/search.js`, which ports these two functions
//! and is tested against them case by case through
//! `tests/browser/normalize-cases.json`).
//!
//! A *word* is a maximal run of word characters ([`arabic::is_word_char`])
//! in the normalised text ([`arabic::normalize`]); words are numbered from
//! 0 in each searchable unit, and a phrase is words at consecutive numbers.
//! Each word is indexed under its own form and under its forms without
//! proclitics, by the rules of mention matching (`mentions.rs`): one of
//! `و ف ب ك ل`, or `و`/`ف` followed by `ب ك ل`; after `ل` a word starting
//! with `ل` may be the contraction of the article (`للجيش` = `ل` +
//! `الجيش`). So `موسكو` finds `وبموسكو`, and a query `وبموسكو`, whose own
//! forms include `موسكو`, finds `موسكو`. The definite article is not a
//! proclitic (`مالي` does not find `المالي`). A form shorter than
//! [`MIN_STEM`] characters is not kept, so that a short word (`ولد`, `بلد`)
//! is not taken for a clitic and a two-letter remnant.

use std::borrow::Cow;

use crate::arabic::is_word_char;

/// The fewest characters a word keeps once its proclitics are removed.
pub const MIN_STEM: usize = 3;

/// The words of an already normalised text, in order.
pub fn words(normalized: &str) -> impl Iterator<Item = &str> {
    normalized.split(|c: char| !word_char(c)).filter(|w| !w.is_empty())
}

/// [`is_word_char`], answered at once for ASCII and the Arabic letters
/// (the indexer asks it for every character of every text).
fn word_char(c: char) -> bool {
    match c {
        _ if c.is_ascii() => c.is_ascii_alphanumeric(),
        '\u{0621}'..='\u{064A}' => true,
        _ => is_word_char(c),
    }
}

/// The forms a word is indexed under: the word itself first, then its
/// forms without proclitics (see the module documentation), without
/// repetition.
pub fn forms(word: &str) -> Vec<Cow<'_, str>> {
    let mut out = Vec::new();
    each_form(word, &mut |form| out.push(form));
    out
}

/// Calls `f` with each of [`forms`], without collecting them.
pub fn each_form<'a>(word: &'a str, f: &mut dyn FnMut(Cow<'a, str>)) {
    f(Cow::Borrowed(word));
    let long = |form: &str| form.chars().nth(MIN_STEM - 1).is_some();
    let mut rest = word;
    // An optional conjunction, then an optional preposition. Each form is
    // shorter than the one before, so none repeats another.
    if let Some(after) = rest.strip_prefix(['و', 'ف']) {
        if long(after) {
            f(Cow::Borrowed(after));
        }
        rest = after;
    }
    if let Some(after) = rest.strip_prefix(['ب', 'ك', 'ل']) {
        if long(after) {
            f(Cow::Borrowed(after));
        }
        // `ل` + `ال…` is written `لل…`; `ا` + `after` is as long as `rest`,
        // which no earlier form is.
        if rest.starts_with('ل') && after.starts_with('ل') && after.chars().nth(MIN_STEM - 2).is_some() {
            f(Cow::Owned(format!("ا{after}")));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (word, its forms after itself)
    const CASES: &[(&str, &[&str])] = &[
        ("موسكو", &[]),
        ("بموسكو", &["موسكو"]),
        ("وبموسكو", &["بموسكو", "موسكو"]),
        ("وباماكو", &["باماكو", "اماكو"]),
        ("للجيش", &["لجيش", "الجيش"]),
        ("وللجيش", &["للجيش", "لجيش", "الجيش"]),
        ("بالجيش", &["الجيش"]),
        ("فالجيش", &["الجيش"]),
        ("المالي", &[]),
        // Too short to be a clitic and a stem.
        ("ولد", &[]),
        ("بلد", &[]),
        ("وtigr", &["tigr"]),
        ("bank", &[]),
    ];

    #[test]
    fn a_word_is_indexed_under_its_forms_without_proclitics() {
        for (word, expected) in CASES {
            let got = forms(word);
            assert_eq!(got[0], *word);
            let rest: Vec<&str> = got[1..].iter().map(|c| c.as_ref()).collect();
            assert_eq!(&rest, expected, "{word}");
        }
    }

    #[test]
    fn words_split_at_every_character_that_is_not_part_of_a_word() {
        let text = crate::arabic::normalize("قال «لافروف»، في موسكو: T-72B3 (2023) وبـ“مواصلة");
        let got: Vec<&str> = words(&text).collect();
        assert_eq!(got, ["قال", "لافروف", "في", "موسكو", "t", "72b3", "2023", "وب", "مواصله"]);
    }
}
