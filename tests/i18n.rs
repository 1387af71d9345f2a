//! The interface wording: the built-in catalogues agree with the CLDR
//! plural rules for every counted noun (a table over 0, 1, 2, 3, 10, 11,
//! 99, 100, 101, 1000), a dossier theme's catalogue overrides a key and
//! falls back to the built-in one for the others, an unknown key is an
//! error naming it, and no Arabic interface wording is left in `src/`.

mod common;

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
        "count.quote",
        [
            "لا تصريحات",
            "تصريح واحد",
            "تصريحان",
            "3 تصريحات",
            "10 تصريحات",
            "11 تصريحًا",
            "99 تصريحًا",
            "100 تصريح",
            "101 تصريح",
            "1000 تصريح",
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
        "count.hit",
        [
            "لا مواضع",
            "موضع واحد",
            "موضعان",
            "3 مواضع",
            "10 مواضع",
            "11 موضعًا",
            "99 موضعًا",
            "100 موضع",
            "101 موضع",
            "1000 موضع",
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
        "count.quote",
        [
            "0 statements",
            "1 statement",
            "2 statements",
            "3 statements",
            "10 statements",
            "11 statements",
            "99 statements",
            "100 statements",
            "101 statements",
            "1000 statements",
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
        "count.hit",
        [
            "0 matches",
            "1 match",
            "2 matches",
            "3 matches",
            "10 matches",
            "11 matches",
            "99 matches",
            "100 matches",
            "101 matches",
            "1000 matches",
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

fn fixture(name: &str) -> std::path::PathBuf {
    common::repo().join("tests/fixtures").join(name)
}

/// The built page at `path` of the fixture `name`.
fn page(name: &str, path: &str) -> String {
    let files = common::build(&fixture(name));
    let f = files.iter().find(|f| f.path == path).unwrap_or_else(|| panic!("no {path}"));
    String::from_utf8(f.bytes.clone()).unwrap()
}

#[test]
fn an_inverse_label_shows_on_the_other_page_and_a_missing_one_reads_as_a_sentence_and_warns() {
    let alliance = page("wording/relation-inverse", "entities/alliance/index.html");
    assert!(
        alliance.contains("<li>عضو: <a href=\"../../entities/mali/index.html\" class=\"entity-link\">مالي</a></li>"),
        "{alliance}"
    );
    let mali = page("wording/relation-inverse", "entities/mali/index.html");
    assert!(
        mali.contains(
            "<li><a href=\"../../entities/algeria/index.html\" class=\"entity-link\">الجزائر</a> الجارة الشمالية لـ مالي</li>"
        ),
        "the relation without an inverse reads as a sentence: {mali}"
    );
    // Stated both ways (mali: «عضو في» alliance; alliance: «يضم» mali,
    // inverse «عضو في»), it is listed once.
    assert_eq!(mali.matches("عضو في").count(), 1, "{mali}");
    let (_, diags, _) = milaf::check(&fixture("wording/relation-inverse")).unwrap();
    let warned: Vec<_> = diags.iter().filter(|d| d.message.contains("no inverse label")).collect();
    assert_eq!(warned.len(), 1, "{diags:?}");
    let shown = milaf::diag::render_human(&diags);
    assert!(shown.contains("content/entities/algeria.yaml:4:11") && shown.contains("help: add `inverse:`"), "{shown}");
}

#[test]
fn a_quote_note_is_attributed_to_its_speaker_with_ila() {
    let html = page("anchoring/passages", "articles/shipment/index.html");
    assert!(
        html.contains("<span class=\"kind\">تصريح منسوب إلى <a class=\"speaker\" href=\"../../entities/omar-diarra/index.html\">عمر ديارا</a></span>"),
        "{html}"
    );
    assert!(html.contains("كلام منقول عن <a class=\"speaker\""), "{html}");
}

#[test]
fn paragraph_references_read_al_faqra_never_the_pilcrow() {
    for (name, path) in [
        ("anchoring/passages", "articles/shipment/index.html"),
        ("anchoring/passages", "entities/omar-diarra/index.html"),
        ("dates/maghrebi", "timeline/index.html"),
    ] {
        let html = page(name, path);
        assert!(!html.contains('¶'), "{name} {path}");
        assert!(html.contains("الفقرة 2"), "{name} {path}");
    }
    // The search index labels its paragraphs the same way.
    let files = common::build(&fixture("anchoring/passages"));
    let index = files.iter().find(|f| f.path == "search/index.js").unwrap();
    // Its shards are deflated: their payloads, as text.
    let index: String = String::from_utf8_lossy(&index.bytes)
        .lines()
        .filter_map(milaf::render::search::shard_payload)
        .map(|(_, payload)| String::from_utf8_lossy(&payload).into_owned())
        .collect();
    assert!(!index.contains('¶') && index.contains("الفقرة 2"));
}

#[test]
fn article_chips_follow_arabic_alphabetical_order_not_ids() {
    let html = page("wording/relation-inverse", "articles/neighbours/index.html");
    let chips = &html[html.find("class=\"chips\"").unwrap()..];
    let at = |name: &str| chips.find(name).unwrap_or_else(|| panic!("{name}"));
    // تحالف (ت) < الجزائر (ج, the article aside) < مالي (م); by id:
    // algeria < alliance < mali.
    assert!(at("تحالف دول الساحل") < at("الجزائر") && at("الجزائر") < at("مالي"), "{chips}");
}

#[test]
fn an_english_dossier_reads_in_english_with_time_running_left_to_right() {
    let html = page("wording/english", "timeline/index.html");
    assert!(html.contains("<html lang=\"en\" dir=\"ltr\">"));
    assert!(html.contains("1 event, in date order"), "{html}");
    assert!(html.contains("time runs from left to right"), "{html}");
    assert!(html.contains("between February 2025 and February 2026"), "{html}");
    let arabic = page("dates/maghrebi", "timeline/index.html");
    assert!(arabic.contains("والزمن يجري من اليمين إلى اليسار"));
}

#[test]
fn a_theme_catalogue_replaces_a_key_on_every_page_and_the_rest_stay_builtin() {
    let html = page("wording/theme-catalogue", "index.html");
    assert!(html.contains(">البداية</a>"), "the theme's key");
    assert!(html.contains(">الكيانات</a>"), "a key the theme lacks");
    // A broken catalogue in the theme is a content error with its place.
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&fixture("wording/theme-catalogue"), dir.path());
    std::fs::write(dir.path().join("themes/mine/i18n/ar.yaml"), "nav:\n  home: [البداية\n").unwrap();
    let (dossier, diags, _) = milaf::check(dir.path()).unwrap();
    assert!(dossier.is_none());
    let shown = milaf::diag::render_human(&diags);
    assert!(shown.contains("themes/mine/i18n/ar.yaml:"), "{shown}");
}

#[test]
fn a_template_asking_for_an_unknown_key_fails_the_build_naming_it() {
    let (dossier, _, _) = milaf::check(&fixture("wording/theme-catalogue")).unwrap();
    let d = dossier.unwrap();
    let templates = milaf::render::DEFAULT_TEMPLATES
        .iter()
        .map(|(n, t)| {
            let t =
                if *n == "404.html" { t.replace("not_found.title", "not_found.no_such_key") } else { t.to_string() };
            (n.to_string(), t)
        })
        .collect();
    let theme = milaf::load::Theme { templates, ..Default::default() };
    let err = milaf::write::in_memory(&d, Some(&theme)).map(|_| ()).unwrap_err();
    assert!(format!("{err:#}").contains("`not_found.no_such_key`"), "{err:#}");
    // `check` says where: the theme's template, its line and column.
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&fixture("wording/theme-catalogue"), dir.path());
    let folder = dir.path().join("themes/mine/templates");
    std::fs::create_dir_all(&folder).unwrap();
    for (name, text) in milaf::render::DEFAULT_TEMPLATES {
        let text = if *name == "404.html" {
            text.replace("not_found.title", "not_found.no_such_key")
        } else {
            text.to_string()
        };
        std::fs::write(folder.join(name), text).unwrap();
    }
    let (dossier, diags, _) = milaf::check(dir.path()).unwrap();
    assert!(dossier.is_none());
    let shown = milaf::diag::render_human(&diags);
    assert!(
        shown.contains("themes/mine/templates/404.html:3:") && shown.contains("`not_found.no_such_key`"),
        "{shown}"
    );
}

#[test]
fn the_keys_a_template_names_are_found_and_built_ones_are_left_to_the_render() {
    let keys: Vec<(&str, bool)> = milaf::i18n::template_keys(
        r#"{{ t(key="a.b") }} {{ count(key="count.x", n=3) }} {{ t(key="voices." ~ g.id) }} {{ at(key="no") }}"#,
    )
    .into_iter()
    .map(|(_, k, c)| (k, c))
    .collect();
    assert_eq!(keys, [("a.b", false), ("count.x", true)]);
}

/// Interface wording lives in the catalogues. Arabic letters may appear in
/// `src/` only in comments, tests, and the data of the Arabic rules
/// (normalising, matching, parsing dates, cleaning captured pages), which
/// are about the articles' text, not the interface; and on a line marked
/// `// not interface wording: <why>` (or the line after the marker).
#[test]
fn no_arabic_interface_wording_is_left_in_src() {
    // The files whose Arabic is data for reading the articles' Arabic.
    const RULES: &[&str] = &[
        "src/arabic.rs",   // the normaliser's letter classes
        "src/mentions.rs", // clitics and particles of mention matching
        "src/terms.rs",    // proclitics of search terms
        "src/suggest.rs",  // titles, month names and date phrases to recognise in articles
        "src/import.rs",   // boilerplate lines of captured news pages
    ];
    let is_letter = |c: char| matches!(c, '\u{0621}'..='\u{064A}' | '\u{0671}'..='\u{06D3}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFC}');
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(common::repo().join("src")).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = entry.path().strip_prefix(common::repo()).unwrap().to_string_lossy().replace('\\', "/");
        if RULES.contains(&rel.as_str()) {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let mut exempt = false;
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("#[cfg(test)]") {
                break;
            }
            let code = line.split("//").next().unwrap_or("");
            // The marker exempts its own line and the next one.
            let marked = line.contains("// not interface wording:");
            if std::mem::replace(&mut exempt, marked) || marked {
                continue;
            }
            if code.chars().any(is_letter) {
                found.push(format!("{rel}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "Arabic wording in Rust; move it to themes/default/i18n/:\n{}", found.join("\n"));
}

/// Every key the Rust code asks for by name exists in every built-in
/// catalogue (the code's `t`, `tf` and `n` would show the key itself).
#[test]
fn every_key_the_code_asks_for_is_in_every_builtin_catalogue() {
    let mut keys = std::collections::BTreeSet::new();
    for entry in walkdir::WalkDir::new(common::repo().join("src")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        // Keys passed to the lookups, and the keys the model's `*_key`
        // functions and the date formatter return.
        for call in [".t(\"", ".tf(\"", ".n(\""] {
            for (i, _) in text.match_indices(call) {
                let rest = &text[i + call.len()..];
                keys.insert(rest[..rest.find('"').unwrap()].to_string());
            }
        }
        for quoted in text.split('"').skip(1).step_by(2) {
            let ident = quoted.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '_');
            if ident && ["note.kind.", "note.by.", "date.", "timeline."].iter().any(|p| quoted.starts_with(p)) {
                keys.insert(quoted.to_string());
            }
        }
    }
    keys.retain(|k| !k.ends_with(".html") && !k.ends_with(".js"));
    assert!(keys.len() > 60, "{keys:?}");
    for lang in ["ar", "en"] {
        let cat = builtin(lang);
        let known: std::collections::BTreeSet<&str> = cat.keys().map(|(k, _)| k).collect();
        let missing: Vec<&String> = keys.iter().filter(|k| !known.contains(k.as_str())).collect();
        assert!(missing.is_empty(), "{lang} lacks {missing:?}");
    }
}
