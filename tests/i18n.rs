//! The interface wording: the built-in catalogues agree with the CLDR
//! plural rules for every counted noun (a table over 0, 1, 2, 3, 10, 11,
//! 99, 100, 101, 1000), a dossier theme's catalogue overrides a key and
//! falls back to the built-in one for the others, an unknown key is an
//! error naming it, and no Arabic interface wording is left in `src/`.

use milaf::config::Numerals;
use milaf::i18n::{Catalogue, Entry};

const NS: [u64; 10] = [0, 1, 2, 3, 10, 11, 99, 100, 101, 1000];

fn builtin(lang: &str) -> Catalogue {
    Catalogue::new(lang, Numerals::Ascii, &[]).unwrap()
}

/// Every counted noun of the Arabic catalogue, with the exact text for
/// each n of `NS`.
const ARABIC: &[(&str, [&str; 10])] = &[
    (
        "count.article",
        [
            "لا مقالات",
            "مقال واحد",
            "مقالان",
            "3 مقالات",
            "10 مقالات",
            "11 مقالًا",
            "99 مقالًا",
            "100 مقال",
            "101 مقال",
            "1000 مقال",
        ],
    ),
    (
        "count.entity",
        [
            "لا كيانات",
            "كيان واحد",
            "كيانان",
            "3 كيانات",
            "10 كيانات",
            "11 كيانًا",
            "99 كيانًا",
            "100 كيان",
            "101 كيان",
            "1000 كيان",
        ],
    ),
    (
        "count.note",
        [
            "لا ملاحظات",
            "ملاحظة واحدة",
            "ملاحظتان",
            "3 ملاحظات",
            "10 ملاحظات",
            "11 ملاحظة",
            "99 ملاحظة",
            "100 ملاحظة",
            "101 ملاحظة",
            "1000 ملاحظة",
        ],
    ),
    (
        "count.editorial_note",
        [
            "لا ملاحظات تحريرية",
            "ملاحظة تحريرية واحدة",
            "ملاحظتان تحريريتان",
            "3 ملاحظات تحريرية",
            "10 ملاحظات تحريرية",
            "11 ملاحظة تحريرية",
            "99 ملاحظة تحريرية",
            "100 ملاحظة تحريرية",
            "101 ملاحظة تحريرية",
            "1000 ملاحظة تحريرية",
        ],
    ),
    (
        "count.event",
        ["لا أحداث", "حدث واحد", "حدثان", "3 أحداث", "10 أحداث", "11 حدثًا", "99 حدثًا", "100 حدث", "101 حدث", "1000 حدث"],
    ),
    (
        "count.mention",
        [
            "لا إشارات",
            "إشارة واحدة",
            "إشارتان",
            "3 إشارات",
            "10 إشارات",
            "11 إشارة",
            "99 إشارة",
            "100 إشارة",
            "101 إشارة",
            "1000 إشارة",
        ],
    ),
    (
        "count.paragraph",
        [
            "لا فقرات",
            "فقرة واحدة",
            "فقرتان",
            "3 فقرات",
            "10 فقرات",
            "11 فقرة",
            "99 فقرة",
            "100 فقرة",
            "101 فقرة",
            "1000 فقرة",
        ],
    ),
    (
        "count.source",
        [
            "لا مصادر",
            "مصدر واحد",
            "مصدران",
            "3 مصادر",
            "10 مصادر",
            "11 مصدرًا",
            "99 مصدرًا",
            "100 مصدر",
            "101 مصدر",
            "1000 مصدر",
        ],
    ),
    (
        "count.byte",
        [
            "لا بايتات",
            "بايت واحد",
            "بايتان",
            "3 بايتات",
            "10 بايتات",
            "11 بايتًا",
            "99 بايتًا",
            "100 بايت",
            "101 بايت",
            "1000 بايت",
        ],
    ),
    (
        "count.citer",
        [
            "لا شيء يستند إلى هذه الفقرة",
            "يستند إلى هذه الفقرة موضع واحد",
            "يستند إلى هذه الفقرة موضعان",
            "يستند إلى هذه الفقرة 3 مواضع",
            "يستند إلى هذه الفقرة 10 مواضع",
            "يستند إلى هذه الفقرة 11 موضعًا",
            "يستند إلى هذه الفقرة 99 موضعًا",
            "يستند إلى هذه الفقرة 100 موضع",
            "يستند إلى هذه الفقرة 101 موضع",
            "يستند إلى هذه الفقرة 1000 موضع",
        ],
    ),
];

const ENGLISH: &[(&str, [&str; 10])] = &[
    (
        "count.article",
        [
            "0 articles",
            "1 article",
            "2 articles",
            "3 articles",
            "10 articles",
            "11 articles",
            "99 articles",
            "100 articles",
            "101 articles",
            "1000 articles",
        ],
    ),
    (
        "count.entity",
        [
            "0 entities",
            "1 entity",
            "2 entities",
            "3 entities",
            "10 entities",
            "11 entities",
            "99 entities",
            "100 entities",
            "101 entities",
            "1000 entities",
        ],
    ),
    (
        "count.note",
        [
            "0 notes",
            "1 note",
            "2 notes",
            "3 notes",
            "10 notes",
            "11 notes",
            "99 notes",
            "100 notes",
            "101 notes",
            "1000 notes",
        ],
    ),
    (
        "count.editorial_note",
        [
            "0 editorial notes",
            "1 editorial note",
            "2 editorial notes",
            "3 editorial notes",
            "10 editorial notes",
            "11 editorial notes",
            "99 editorial notes",
            "100 editorial notes",
            "101 editorial notes",
            "1000 editorial notes",
        ],
    ),
    (
        "count.event",
        [
            "0 events",
            "1 event",
            "2 events",
            "3 events",
            "10 events",
            "11 events",
            "99 events",
            "100 events",
            "101 events",
            "1000 events",
        ],
    ),
    (
        "count.mention",
        [
            "0 mentions",
            "1 mention",
            "2 mentions",
            "3 mentions",
            "10 mentions",
            "11 mentions",
            "99 mentions",
            "100 mentions",
            "101 mentions",
            "1000 mentions",
        ],
    ),
    (
        "count.paragraph",
        [
            "0 paragraphs",
            "1 paragraph",
            "2 paragraphs",
            "3 paragraphs",
            "10 paragraphs",
            "11 paragraphs",
            "99 paragraphs",
            "100 paragraphs",
            "101 paragraphs",
            "1000 paragraphs",
        ],
    ),
    (
        "count.source",
        [
            "0 sources",
            "1 source",
            "2 sources",
            "3 sources",
            "10 sources",
            "11 sources",
            "99 sources",
            "100 sources",
            "101 sources",
            "1000 sources",
        ],
    ),
    (
        "count.byte",
        [
            "0 bytes",
            "1 byte",
            "2 bytes",
            "3 bytes",
            "10 bytes",
            "11 bytes",
            "99 bytes",
            "100 bytes",
            "101 bytes",
            "1000 bytes",
        ],
    ),
    (
        "count.citer",
        [
            "0 items rest on this paragraph",
            "1 item rests on this paragraph",
            "2 items rest on this paragraph",
            "3 items rest on this paragraph",
            "10 items rest on this paragraph",
            "11 items rest on this paragraph",
            "99 items rest on this paragraph",
            "100 items rest on this paragraph",
            "101 items rest on this paragraph",
            "1000 items rest on this paragraph",
        ],
    ),
];

fn check_table(lang: &str, table: &[(&str, [&str; 10])]) {
    let cat = builtin(lang);
    // The table names every counted noun of the catalogue, and only those.
    let counted: Vec<&str> = cat.keys().filter(|(_, e)| matches!(e, Entry::Counted(_))).map(|(k, _)| k).collect();
    let mut listed: Vec<&str> = table.iter().map(|(k, _)| *k).collect();
    listed.sort();
    assert_eq!(counted, listed, "{lang}: the table must list every counted noun");
    let mut wrong = Vec::new();
    for (key, expected) in table {
        for (n, want) in NS.iter().zip(expected) {
            let got = cat.count(key, *n).unwrap();
            if got != *want {
                wrong.push(format!("{lang} {key} {n}: got «{got}», want «{want}»"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_arabic_counted_noun_agrees_with_its_number_by_cldr_rules() {
    check_table("ar", ARABIC);
}

#[test]
fn every_english_counted_noun_agrees_with_its_number_by_cldr_rules() {
    check_table("en", ENGLISH);
}

#[test]
fn a_regional_arabic_dossier_takes_the_arabic_catalogue_and_its_numerals() {
    let cat = Catalogue::new("ar-EG", Numerals::Arabic, &[]).unwrap();
    assert_eq!(cat.count("count.article", 5).unwrap(), "٥ مقالات");
    assert_eq!(cat.count("count.article", 11).unwrap(), "١١ مقالًا");
    assert_eq!(cat.count("count.article", 102).unwrap(), "١٠٢ مقال");
    // A language the built-in theme lacks reads the English one.
    let fr = Catalogue::new("fr", Numerals::Ascii, &[]).unwrap();
    assert_eq!(fr.get("nav.home").unwrap(), "Home");
    // French CLDR rules: 0 and 1 are `one`.
    assert_eq!(fr.count("count.article", 0).unwrap(), "0 article");
}

#[test]
fn the_builtin_catalogues_have_the_same_keys_and_arabic_nouns_have_all_six_forms() {
    let ar = builtin("ar");
    let en = builtin("en");
    let keys = |c: &Catalogue| c.keys().map(|(k, _)| k.to_string()).collect::<Vec<_>>();
    assert_eq!(keys(&ar), keys(&en));
    for (k, e) in ar.keys() {
        if let Entry::Counted(f) = e {
            assert!(
                f.zero.is_some() && f.one.is_some() && f.two.is_some() && f.few.is_some() && f.many.is_some(),
                "{k} lacks a form"
            );
        }
    }
}

#[test]
fn a_theme_catalogue_overrides_one_key_and_the_others_fall_back_to_the_builtin_one() {
    let user = vec![(
        "ar.yaml".to_string(),
        "nav:\n  home: البداية\ncount:\n  article: { one: مقالة واحدة, other: \"{n} مقالة\" }\n".to_string(),
    )];
    let cat = Catalogue::new("ar", Numerals::Ascii, &user).unwrap();
    assert_eq!(cat.get("nav.home").unwrap(), "البداية");
    assert_eq!(cat.get("nav.search").unwrap(), "بحث", "a key the theme lacks comes from the built-in catalogue");
    assert_eq!(cat.count("count.article", 1).unwrap(), "مقالة واحدة");
    // A category the theme leaves out takes its `other` form.
    assert_eq!(cat.count("count.article", 2).unwrap(), "2 مقالة");
    // A catalogue for another language changes nothing.
    let other = vec![("en.yaml".to_string(), "nav:\n  home: Start\n".to_string())];
    assert_eq!(Catalogue::new("ar", Numerals::Ascii, &other).unwrap().get("nav.home").unwrap(), "الرئيسية");
}

#[test]
fn a_broken_theme_catalogue_is_an_error_naming_its_file_and_line() {
    let user = vec![("ar.yaml".to_string(), "nav:\n  home: [a, b\n".to_string())];
    let err = Catalogue::new("ar", Numerals::Ascii, &user).unwrap_err();
    let shown = milaf::diag::render_human(&[err]);
    assert!(shown.contains("i18n/ar.yaml"), "{shown}");
    let user = vec![("ar.yaml".to_string(), "count:\n  article: { one: x }\n".to_string())];
    let err = Catalogue::new("ar", Numerals::Ascii, &user).unwrap_err();
    let shown = milaf::diag::render_human(&[err]);
    assert!(shown.contains("count.article") && shown.contains("other"), "{shown}");
}

#[test]
fn an_unknown_key_is_an_error_naming_it() {
    let cat = builtin("ar");
    assert_eq!(cat.get("nav.nowhere").unwrap_err().to_string(), "no catalogue of the theme has the key `nav.nowhere`");
    assert!(cat.count("nav.home", 3).is_err(), "a text is not a counted noun");
    assert!(cat.get("count.article").is_err(), "a counted noun is not a text");
}
