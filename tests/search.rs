//! The search index and the JavaScript port of the normaliser and of the
//! search terms. This test keeps `tests/browser/normalize-cases.json` equal
//! to what the Rust normaliser (`arabic::normalize`) and the term rules
//! (`terms::words`, `terms::forms`) give on every text of the sample
//! dossier and on hard cases; the browser suite
//! (`tests/browser/normalize.test.js`) checks that the JavaScript in
//! `static/search.js` gives the same on each. Regenerate with
//! `UPDATE_EXPECT=1 cargo test --test search`.

mod common;

#[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
struct Case {
    input: String,
    expected: String,
    /// Each word of the normalised text with its forms without proclitics.
    terms: Vec<Vec<String>>,
    /// The text as a unit shard holds it (`render::search::pack_text`).
    packed: String,
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
    "وبموسكو للجيش وللجيش فالجيش بالأركان ولد بلد وTigr كالعادة لللجنة",
    // Foreign names in their Arabic spellings: one spelling key.
    "فاغنر فاجنر فاقنر ڤاغنر وبفاغنر غويتا جويتا قويتا كويتا بوتين پوتين ڭويتا ب بـ",
    // What a packed text writes with its escape: ASCII letters, `~`, and
    // letters next to the Arabic ones they stand for.
    "~A ~~ AzZ xyw ءA wي ؟~ \\ \"q\" <\u{1F600}> é",
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
    inputs
        .into_iter()
        .map(|input| {
            let expected = milaf::arabic::normalize(&input);
            let terms = milaf::terms::words(&expected)
                .map(|w| milaf::terms::forms(w).into_iter().map(|f| f.into_owned()).collect())
                .collect();
            let packed = milaf::render::search::pack_text(&input);
            assert_eq!(milaf::render::search::unpack_text(&packed), input);
            Case { expected, input, terms, packed }
        })
        .collect()
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

/// The sample's index: one file (it fits), each of whose units links to a
/// page of the site and to an anchor on it.
#[test]
fn the_sample_index_is_one_file_whose_units_link_to_their_spots() {
    let files = common::build(common::repo());
    let index: Vec<_> = files.iter().filter(|f| f.path.starts_with("search/") && f.path.ends_with(".js")).collect();
    assert_eq!(index.iter().map(|f| f.path.as_str()).collect::<Vec<_>>(), ["search/index.js"]);
    let text = String::from_utf8(index[0].bytes.clone()).unwrap();
    assert!(!text.contains("</script"), "the index cannot close its script element");
    let mut links = Vec::new();
    let mut shards = 0;
    for line in text.lines() {
        if line.starts_with("window.MILAF_SEARCH=") {
            continue;
        }
        // Every other line registers a shard, deflated; unit shards are `dN`.
        let (name, payload) = milaf::render::search::shard_payload(line).unwrap_or_else(|| panic!("{line}"));
        shards += 1;
        if !name.starts_with('d') {
            continue;
        }
        let shard: serde_json::Value = serde_json::from_slice(&payload).unwrap();
        for unit in shard["u"].as_array().unwrap() {
            let group = &shard["g"][unit[0].as_u64().unwrap() as usize];
            let (url, anchor) = (group[3].as_str().unwrap(), unit[2].as_str().unwrap());
            links.push((
                url.split('#').next().unwrap().to_string(),
                anchor.to_string(),
                unit[1].as_str().unwrap().to_string(),
            ));
        }
    }
    assert!(shards > 2, "{shards} shards");
    let (dossier, _, _) = milaf::check(common::repo()).unwrap();
    let d = dossier.unwrap();
    let paragraphs: usize = d.articles.iter().map(|a| a.paragraph_count() as usize).sum();
    let notes: usize = d.articles.iter().map(|a| a.notes.len() + a.about.len()).sum();
    assert_eq!(links.iter().filter(|(_, _, kind)| kind == "p").count(), paragraphs);
    assert_eq!(links.iter().filter(|(_, a, _)| a.starts_with("note-")).count(), notes);
    assert_eq!(links.iter().filter(|(_, _, kind)| kind == "name").count(), d.entities.len());
    assert_eq!(links.iter().filter(|(_, _, kind)| kind == "event").count(), d.events.len());
    for (url, anchor, _) in &links {
        let target = url.strip_prefix("../").unwrap();
        let page = files.iter().find(|f| f.path == target).unwrap_or_else(|| panic!("{url}"));
        if !anchor.is_empty() {
            let html = String::from_utf8_lossy(&page.bytes);
            assert!(html.contains(&format!("id=\"{anchor}\"")), "{url}#{anchor}");
        }
    }
}
