//! End-to-end tests of the sample dossier in `content/`: it is real
//! editorial work and the main fixture, so it must check clean, keep its
//! originals byte for byte, and build to the same bytes every time.

mod common;

use std::collections::BTreeMap;

/// SHA-256 of the five captured articles as they came with the
/// specification (`shared/seeds/*.txt`).
const SEEDS: &[(&str, &str)] = &[
    ("mali-second-shipment", "97f5dda5b59dc067f7f33e6feeb3fd17034a996b2e303e45eb07e92758c45049"),
    ("camara-defenders-day", "4bbdb99cdd654c1bcf2109e831ece1ab69c0cfceb8b39641c9b797604cd1ceb1"),
    ("russian-equipment-bamako", "9be5cc203518b8ddf71ff6dd487a81e110e37500d28a9bbae42218e6a77d4e55"),
    ("goita-strategic-weapons", "04ac62b104aafce45e8f3d0c6217c62132af480a7e662ec892cb3debe3fb9189"),
    ("diop-lavrov-moscow", "9c95b0fb9e553fed3b850c395c12c1bb2cd21277a609de2545e3f7847396080c"),
];

#[test]
fn the_sample_checks_clean() {
    let (dossier, diags, _) = milaf::check(common::repo()).unwrap();
    assert!(diags.is_empty(), "{}", milaf::diag::render_human(&diags));
    assert!(dossier.is_some());
}

#[test]
fn originals_are_the_seeds_byte_for_byte() {
    let content = common::repo().join("content");
    for (id, sha) in SEEDS {
        let bytes = std::fs::read(content.join(format!("originals/{id}.txt"))).unwrap();
        assert_eq!(milaf::import::sha256_hex(&bytes), *sha, "{id}");
        let article = std::fs::read_to_string(content.join(format!("articles/{id}.md"))).unwrap();
        assert!(article.contains(&format!("\noriginal_sha256: {sha}\n")), "{id} records another hash");
    }
    // Where the specification's folder is beside the repository, compare
    // with the files themselves too.
    let seeds = common::repo().join("../shared/seeds");
    if let Ok(dir) = std::fs::read_dir(&seeds) {
        let mut by_hash = BTreeMap::new();
        for e in dir {
            let bytes = std::fs::read(e.unwrap().path()).unwrap();
            by_hash.insert(milaf::import::sha256_hex(&bytes), bytes);
        }
        for (id, sha) in SEEDS {
            let ours = std::fs::read(content.join(format!("originals/{id}.txt"))).unwrap();
            assert_eq!(by_hash.get(*sha), Some(&ours), "{id}");
        }
    }
}

#[test]
fn every_body_paragraph_is_text_of_its_original() {
    let (dossier, _, _) = milaf::check(common::repo()).unwrap();
    let dossier = dossier.unwrap();
    for a in &dossier.articles {
        let original = std::fs::read_to_string(&a.original.as_ref().unwrap().path).unwrap();
        let lines: Vec<&str> = original.lines().map(str::trim).collect();
        for b in a.blocks.iter() {
            assert!(lines.contains(&b.text.as_str()), "{}: «{}» is not a line of the original", a.id, b.text);
        }
    }
}

#[test]
fn two_builds_are_byte_identical() {
    let first = common::build(common::repo());
    let second = common::build(common::repo());
    assert_eq!(first.len(), second.len());
    for (a, b) in first.iter().zip(&second) {
        assert_eq!(a.path, b.path);
        assert!(a.bytes == b.bytes, "{} differs between two builds", a.path);
    }
}

#[test]
fn every_page_is_rtl_arabic_and_self_contained() {
    for f in common::build(common::repo()).iter().filter(|f| f.path.ends_with(".html")) {
        let html = String::from_utf8_lossy(&f.bytes);
        assert!(html.contains("<html lang=\"ar\" dir=\"rtl\">"), "{}", f.path);
        for attr in ["href", "src"] {
            for v in common::attr_values(&html, attr) {
                // The 404 page, served by a host at any address, links from
                // the site's path there (`base_url`'s), never another host.
                let site_path = f.path == "404.html" && v.starts_with("/mali-russia/");
                assert!(site_path || (!v.starts_with('/') && !v.starts_with("//")), "{}: absolute link {v}", f.path);
                if v.starts_with("http") {
                    assert!(!html.contains(&format!("src=\"{v}\"")), "{}: external resource {v}", f.path);
                }
            }
        }
        assert!(!html.contains("<link rel=\"stylesheet\" href=\"http"), "{}", f.path);
    }
}

/// A mention as the test sees it: entity id, article id, the two
/// characters before it, and its text.
type Seen = (String, String, String, String);

/// The Arabic matching rules hold on the real texts: proclitics are
/// accepted, the definite article is not a clitic of a name, spelling
/// variants reach one entity, and Latin models are found in Arabic text.
#[test]
fn sample_mentions_follow_the_arabic_rules() {
    let (dossier, _, _) = milaf::check(common::repo()).unwrap();
    let d = dossier.unwrap();
    let mut seen: Vec<Seen> = Vec::new();
    for a in &d.articles {
        for m in &a.mentions {
            let text = &a.blocks[m.block as usize].text;
            let before: String =
                text[..m.start as usize].chars().rev().take(2).collect::<Vec<_>>().into_iter().rev().collect();
            let id = d.entities[m.entity as usize].id.clone();
            seen.push((id, a.id.clone(), before, text[m.start as usize..m.end as usize].to_string()));
        }
    }
    let has = |id: &str, f: &dyn Fn(&Seen) -> bool| seen.iter().any(|s| s.0 == id && f(s));
    // No adjective المالي / المالية is a mention of Mali.
    assert!(
        seen.iter().filter(|s| s.0 == "mali").all(|s| s.3 == "مالي"),
        "{:?}",
        seen.iter().filter(|s| s.0 == "mali").collect::<Vec<_>>()
    );
    assert!(seen.iter().filter(|s| s.0 == "mali").count() >= 30);
    // Proclitics: لموسكو (goita ¶9), وباماكو (mali-second-shipment ¶1).
    assert!(has("moscow", &|s| s.1 == "goita-strategic-weapons" && s.2.ends_with('ل')));
    assert!(has("bamako", &|s| s.1 == "mali-second-shipment" && s.2.ends_with('و')));
    // The contraction لل: «للجيش المالي» is a mention of the army.
    assert!(has("malian-armed-forces", &|s| s.3.starts_with("لجيش")));
    // Spelling variants reach one entity.
    assert!(has("sergey-lavrov", &|s| s.3 == "سيرغي لافروف") && has("sergey-lavrov", &|s| s.3 == "سيرجي لافروف"));
    assert!(has("africa-corps", &|s| s.3 == "فيلق أفريقيا") && has("africa-corps", &|s| s.3 == "الفيلق الإفريقي"));
    // Latin models inside Arabic text, and a Latin alias after و.
    assert!(has("t-72b3", &|s| s.3 == "T-72B3"));
    assert!(has("tigr", &|s| s.3 == "Tigr" && s.2.ends_with('و')));
    // The longest alias wins: «مطار باماكو الدولي» is the airport, not Bamako.
    assert!(has("bamako-airport", &|s| s.3 == "مطار باماكو الدولي"));
}

/// `dossier.json` holds the resolved dossier, with positions counted in
/// characters of the NFC text: every mention and note passage it lists
/// points at exactly the words it quotes.
#[test]
fn the_export_positions_point_at_their_words() {
    let files = common::build(common::repo());
    let json = files.iter().find(|f| f.path == "dossier.json").expect("dossier.json");
    let v: serde_json::Value = serde_json::from_slice(&json.bytes).unwrap();
    let slice =
        |text: &str, s: u64, e: u64| -> String { text.chars().skip(s as usize).take((e - s) as usize).collect() };
    // The words of each mention, from the model the export was written from.
    let (dossier, _, _) = milaf::check(common::repo()).unwrap();
    let d = dossier.unwrap();
    let words_of = |article: &str| -> Vec<String> {
        let a = d.articles.iter().find(|a| a.id == article).unwrap();
        a.mentions
            .iter()
            .map(|m| a.blocks[m.block as usize].text[m.start as usize..m.end as usize].to_string())
            .collect()
    };
    let mut checked = 0;
    let mut in_original = 0;
    let mut as_text = 0;
    for a in v["articles"].as_array().unwrap() {
        // A paragraph is its text, or the byte range of the original's line
        // that holds it byte for byte (the original is read as a reader of
        // the export would, next to it, and checked against its SHA-256).
        let original = a["original"]["file"].as_str().map(|f| {
            let bytes = std::fs::read(common::repo().join("content/originals").join(f)).unwrap();
            assert_eq!(a["original"]["sha256"].as_str().unwrap(), milaf::import::sha256_hex(&bytes));
            bytes
        });
        let paragraphs: Vec<String> = a["paragraphs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| match p.as_str() {
                Some(text) => {
                    as_text += 1;
                    text.to_string()
                }
                None => {
                    in_original += 1;
                    let (s, e) = (p[0].as_u64().unwrap() as usize, p[1].as_u64().unwrap() as usize);
                    String::from_utf8(original.as_ref().expect("an offset needs an original")[s..e].to_vec()).unwrap()
                }
            })
            .collect();
        let paragraphs: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
        let words = words_of(a["id"].as_str().unwrap());
        let mentions = a["mentions"].as_array().unwrap();
        assert_eq!(mentions.len(), words.len());
        for (m, words) in mentions.iter().zip(&words) {
            if let Some(p) = m["paragraph"].as_u64() {
                // The words are the paragraph's: the export does not repeat them.
                let text = paragraphs[p as usize - 1];
                assert_eq!(&slice(text, m["start"].as_u64().unwrap(), m["end"].as_u64().unwrap()), words);
                assert!(m.get("text").is_none(), "a paragraph mention repeats its words");
                checked += 1;
            } else {
                assert_eq!(m["text"].as_str(), Some(words.as_str()), "a heading mention carries its words");
            }
        }
        for n in a["notes"].as_array().unwrap() {
            let p = &n["passage"];
            let text = paragraphs[p["paragraph"].as_u64().unwrap() as usize - 1];
            assert_eq!(
                slice(text, p["start"].as_u64().unwrap(), p["end"].as_u64().unwrap()),
                p["text"].as_str().unwrap()
            );
            checked += 1;
        }
    }
    assert!(checked > 250, "{checked}");
    // Most of the sample's paragraphs are lines of their originals: the
    // export points there; the others (edited, or with inline Markdown)
    // keep their text.
    assert!(in_original > 40 && as_text > 0, "{in_original} in the originals, {as_text} as text");
    assert_eq!(v["events"].as_array().unwrap().len(), 24);
}
