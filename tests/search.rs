//! The search index and the normaliser's JavaScript port. This test keeps
//! `tests/browser/normalize-cases.json` equal to what the Rust normaliser
//! gives on every text of the sample dossier and on hard cases; the browser
//! suite (`tests/browser/normalize.test.js`) checks that the JavaScript in
//! `static/search.js` gives the same on each. Regenerate with
//! `UPDATE_EXPECT=1 cargo test --test search`.

mod common;

#[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
struct Case {
    input: String,
    expected: String,
}

/// Hard cases on top of the sample's texts: marks, hamza forms precomposed
/// and decomposed, digits, Persian letters, invisible characters, case.
const HARD: &[&str] = &[
    "مِن وفّرتها مُسْتَمِرًّا هٰذا",
    "مالـــي لـ\"سكاي بـ“مواصلة",
    "أفريقيا إفريقيا آسيمي ٱلجيش مسؤول الجزائر ء",
    "\u{0627}\u{0654}فريقيا \u{0627}\u{0655}فريقيا",
    "إلى مستوى الشمالية",
    "کیدال ٢٠٢٣ ۱۴۰۲ عام ٢٠٢٢م",
    "T-72B3 BMP-3 Lé Monde Le\u{0301} Monde ΟΔΟΣ İstanbul",
    "موسكو  وباماكو\u{00A0}و\n\tمالي",
    "\u{200F}مالي\u{200E} \u{202B}روسيا\u{202C} \u{2067}x\u{2069} \u{00AD}\u{061C}\u{200B}",
    "ﷺ ﻻ ﺍ",
    "\u{FEFF}بداية",
];

fn cases() -> Vec<Case> {
    let (dossier, _, _) = milaf::check(common::repo()).unwrap();
    let d = dossier.unwrap();
    let mut inputs: Vec<String> = HARD.iter().map(|s| s.to_string()).collect();
    for a in &d.articles {
        inputs.push(a.title.clone());
        inputs.extend(a.blocks.iter().map(|b| b.text.clone()));
    }
    for e in &d.entities {
        inputs.extend(e.aliases.iter().cloned());
    }
    inputs.into_iter().map(|input| Case { expected: milaf::arabic::normalize(&input), input }).collect()
}

#[test]
fn the_javascript_cases_follow_the_rust_normaliser() {
    let path = common::repo().join("tests/browser/normalize-cases.json");
    let actual = serde_json::to_string_pretty(&cases()).unwrap() + "\n";
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&path, &actual).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(committed == actual, "{} is stale: run UPDATE_EXPECT=1 cargo test --test search", path.display());
}

#[test]
fn the_index_holds_every_paragraph_entity_note_and_event() {
    let files = common::build(common::repo());
    let js = files.iter().find(|f| f.path == "search/index.js").expect("search/index.js");
    let text = String::from_utf8(js.bytes.clone()).unwrap();
    let json = text.strip_prefix("window.MILAF_SEARCH = ").and_then(|t| t.trim_end().strip_suffix(';')).unwrap();
    let docs: Vec<serde_json::Value> = serde_json::from_str(json).unwrap();
    let count = |k: &str| docs.iter().filter(|d| d["k"] == k).count();
    let (dossier, _, _) = milaf::check(common::repo()).unwrap();
    let d = dossier.unwrap();
    let paragraphs: usize = d.articles.iter().map(|a| a.paragraph_count() as usize).sum();
    let notes: usize = d.articles.iter().map(|a| a.notes.len()).sum();
    assert_eq!(count("article"), paragraphs);
    assert_eq!(count("entity"), d.entities.len());
    assert_eq!(count("event"), d.events.len());
    assert_eq!(count("note") + count("quote") + count("correction") + count("context"), notes);
    // Links are relative to search/ and reach real pages.
    let broken = common::broken_links(&files);
    assert!(broken.is_empty());
    for doc in &docs {
        let u = doc["u"].as_str().unwrap();
        let target = u.strip_prefix("../").unwrap().split('#').next().unwrap();
        assert!(files.iter().any(|f| f.path == target), "{u}");
    }
    assert!(!text.contains("</script"), "the index cannot close its script element");
}
