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
//!
//! Then each form is also indexed under its *spelling key*
//! ([`spelling_key`]) when that differs from it: foreign names reach Arabic
//! in several spellings of the sounds Arabic lacks, so the letters that
//! stand for one such sound become one letter, in the search key only
//! (mention matching, anchoring and sorting keep `arabic::normalize`):
//! - g: `غ ج ق ك` and `گ ڭ ݣ ڨ چ` (Persian, Moroccan, Tunisian and Egyptian
//!   letters for g) → `گ` (`فاغنر`, `فاجنر`, `فاقنر`; `غويتا`, `جويتا`);
//! - v: `ف ڤ ۋ` → `ڤ` (`ڤاغنر`, `فاغنر`);
//! - p: `ب پ` → `پ` (`پوتين`, `بوتين`).
//!
//! `ch` is written `تش` as often as `چ`, but `تش` also begins Arabic words
//! (`تشرين`) and spells Chad (`تشاد`), so it is not folded. A query's own
//! spelling still comes first: the browser ranks a word found as typed (or
//! without its proclitics) before one found only through its key, so `قلب`
//! lists `قلب` before `كلب`.

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

/// Calls `f` with each of [`forms`], without collecting them: the forms
/// without proclitics, then the spelling key of each that has one.
pub fn each_form<'a>(word: &'a str, f: &mut dyn FnMut(Cow<'a, str>)) {
    let mut keys: Vec<String> = Vec::new();
    each_clitic_form(word, &mut |form| {
        if let Some(key) = spelling_key(&form) {
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        f(form);
    });
    for key in keys {
        f(Cow::Owned(key));
    }
}

/// The letter that stands for each letter of a sound foreign names spell
/// in several ways (see the module documentation), or `None`.
fn spelling_letter(c: char) -> Option<char> {
    match c {
        'غ' | 'ج' | 'ق' | 'ك' | 'ڭ' | 'ݣ' | 'ڨ' | 'چ' => Some('گ'),
        'ف' | 'ۋ' => Some('ڤ'),
        'ب' => Some('پ'),
        _ => None,
    }
}

/// A word's spelling key: the word with each letter of a foreign sound
/// (g, v, p) written one way; `None` when that is the word itself. Its
/// letters (`گ ڤ پ`) are never the key of a word without them, so a key
/// matches only words that are spelt the same up to those letters.
pub fn spelling_key(word: &str) -> Option<String> {
    if !word.chars().any(|c| spelling_letter(c).is_some()) {
        return None;
    }
    Some(word.chars().map(|c| spelling_letter(c).unwrap_or(c)).collect())
}

/// The word and its forms without proclitics (the forms of [`each_form`]
/// but the spelling keys).
pub fn each_clitic_form<'a>(word: &'a str, f: &mut dyn FnMut(Cow<'a, str>)) {
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
        ("موسكو", &["موسگو"]),
        ("بموسكو", &["موسكو", "پموسگو", "موسگو"]),
        ("وبموسكو", &["بموسكو", "موسكو", "وپموسگو", "پموسگو", "موسگو"]),
        ("وباماكو", &["باماكو", "اماكو", "وپاماگو", "پاماگو", "اماگو"]),
        ("للجيش", &["لجيش", "الجيش", "للگيش", "لگيش", "الگيش"]),
        ("بالجيش", &["الجيش", "پالگيش", "الگيش"]),
        ("فالجيش", &["الجيش", "ڤالگيش", "الگيش"]),
        ("المالي", &[]),
        // Too short to be a clitic and a stem.
        ("ولد", &[]),
        ("بلد", &["پلد"]),
        ("وtigr", &["tigr"]),
        ("bank", &[]),
        // Foreign names: one key for their spellings.
        ("فاغنر", &["اغنر", "ڤاگنر", "اگنر"]),
        ("فاجنر", &["اجنر", "ڤاگنر", "اگنر"]),
        ("ڤاغنر", &["ڤاگنر"]),
        ("غويتا", &["گويتا"]),
        ("جويتا", &["گويتا"]),
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
