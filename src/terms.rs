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
    normalized.split(|c: char| !is_word_char(c)).filter(|w| !w.is_empty())
}

/// The forms a word is indexed under: the word itself first, then its
/// forms without proclitics (see the module documentation), without
/// repetition.
pub fn forms(word: &str) -> Vec<Cow<'_, str>> {
    fn push<'a>(form: Cow<'a, str>, out: &mut Vec<Cow<'a, str>>) {
        if form.chars().count() >= MIN_STEM && !out.contains(&form) {
            out.push(form);
        }
    }
    let mut out: Vec<Cow<'_, str>> = vec![Cow::Borrowed(word)];
    let mut rest = word;
    // An optional conjunction, then an optional preposition.
    if let Some(after) = rest.strip_prefix(['و', 'ف']) {
        push(Cow::Borrowed(after), &mut out);
        rest = after;
    }
    if let Some(after) = rest.strip_prefix(['ب', 'ك', 'ل']) {
        push(Cow::Borrowed(after), &mut out);
        // `ل` + `ال…` is written `لل…`.
        if rest.starts_with('ل') && after.starts_with('ل') {
            push(Cow::Owned(format!("ا{after}")), &mut out);
        }
    }
    out
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
