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
/// characters of the NFC text: every mention, note passage and citation it
/// lists points at exactly the words it stands for. Format 6 repeats none
/// of those words (a heading mention aside), so they are read back from
/// the paragraphs, which are the export's text or lines of the originals
/// next to it, and compared with the model's words and, for a quote
/// citation, with the words the citing body quotes.
#[test]
fn the_export_positions_point_at_their_words() {
    let files = common::build(common::repo());
    let json = files.iter().find(|f| f.path == "dossier.json").expect("dossier.json");
    let v: serde_json::Value = serde_json::from_slice(&json.bytes).unwrap();
    let slice =
        |text: &str, s: u64, e: u64| -> String { text.chars().skip(s as usize).take((e - s) as usize).collect() };
    let num = |x: &serde_json::Value| x.as_u64().unwrap_or_else(|| panic!("a number: {x}"));
    // The words of each mention and note, from the model the export was written from.
    let (dossier, _, _) = milaf::check(common::repo()).unwrap();
    let d = dossier.unwrap();
    let article = |id: &str| d.articles.iter().find(|a| a.id == id).unwrap();
    let mut in_original = 0;
    let mut as_text = 0;
    // A paragraph is its text, or the byte range of the original's line
    // that holds it byte for byte (the original is read as a reader of the
    // export would, next to it, and checked against its SHA-256; its file
    // is `<id>.txt` unless named).
    let mut paragraphs: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for a in v["articles"].as_array().unwrap() {
        let id = a["id"].as_str().unwrap();
        let original = a.get("original").map(|o| {
            let file = o.get("file").map_or(format!("{id}.txt"), |f| f.as_str().unwrap().to_string());
            let bytes = std::fs::read(common::repo().join("content/originals").join(file)).unwrap();
            assert_eq!(o["sha256"].as_str().unwrap(), milaf::import::sha256_hex(&bytes));
            assert_eq!(num(&o["bytes"]), bytes.len() as u64);
            bytes
        });
        let texts = a["paragraphs"]
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
                    let (s, e) = (num(&p[0]) as usize, num(&p[1]) as usize);
                    String::from_utf8(original.as_ref().expect("an offset needs an original")[s..e].to_vec()).unwrap()
                }
            })
            .collect();
        paragraphs.insert(id.to_string(), texts);
    }
    let words_at = |article: &str, p: u64, s: u64, e: u64| slice(&paragraphs[article][p as usize - 1], s, e);
    let mut checked = 0;
    for a in v["articles"].as_array().unwrap() {
        let id = a["id"].as_str().unwrap();
        let model = article(id);
        let mentions = a["mentions"].as_array().unwrap();
        assert_eq!(mentions.len(), model.mentions.len());
        for (m, mm) in mentions.iter().zip(model.mentions.iter()) {
            let words = &model.blocks[mm.block as usize].text[mm.start as usize..mm.end as usize];
            assert_eq!(m[0].as_str().unwrap(), d.entities[mm.entity as usize].id);
            if let Some(p) = m[1].as_u64() {
                // The words are the paragraph's: the export does not repeat them.
                assert_eq!(m.as_array().unwrap().len(), 4, "a paragraph mention repeats its words: {m}");
                assert_eq!(words_at(id, p, num(&m[2]), num(&m[3])), words);
                checked += 1;
            } else {
                assert_eq!(m[4].as_str(), Some(words), "a heading mention carries its words");
            }
        }
        let notes = a["notes"].as_array().unwrap();
        assert_eq!(notes.len(), model.notes.len());
        for (n, nm) in notes.iter().zip(model.notes.iter()) {
            // The passage is in the article that holds the note, which it does not name.
            let p = &n["passage"];
            assert_eq!(p.as_array().unwrap().len(), 3, "{p}");
            assert_eq!(words_at(id, num(&p[0]), num(&p[1]), num(&p[2])), model.passage_text(&nm.passage));
            checked += 1;
        }
    }
    // Every body's citations, in the order of its references, against what
    // the body's Markdown says: `[@article]`, `[@article#pN]` or
    // `[@article "quoted words"]`.
    let mut bodies: Vec<(&str, &serde_json::Value)> = Vec::new();
    for a in v["articles"].as_array().unwrap() {
        for n in
            a["notes"].as_array().unwrap().iter().chain(a.get("about").and_then(|x| x.as_array()).into_iter().flatten())
        {
            bodies.push((n.get("body").and_then(|x| x.as_str()).unwrap_or(""), n));
        }
    }
    for e in v["entities"].as_array().unwrap() {
        bodies.push((e.get("description").and_then(|x| x.as_str()).unwrap_or(""), e));
    }
    for r in v["events"].as_array().unwrap().iter().chain(v["pages"].as_array().unwrap()) {
        bodies.push((r.get("body").and_then(|x| x.as_str()).unwrap_or(""), r));
    }
    let mut cited = 0;
    for (body, record) in bodies {
        let citations: &[serde_json::Value] = record.get("citations").and_then(|c| c.as_array()).map_or(&[], |c| c);
        let mut refs = Vec::new();
        let mut rest = body;
        while let Some(at) = rest.find("[@") {
            rest = &rest[at + 2..];
            let end = rest.find(['#', ' ', ']']).unwrap();
            let (target, after) = rest.split_at(end);
            let (at, close) = match after.as_bytes()[0] {
                b'#' => (Some(after[2..after.find(']').unwrap()].parse::<u64>().unwrap()), None),
                b' ' => (None, Some(&after[2..after.find("\"]").unwrap()])),
                _ => (None, None),
            };
            refs.push((target, at, close));
        }
        assert_eq!(citations.len(), refs.len(), "{body}");
        for (c, (target, paragraph, words)) in citations.iter().zip(refs) {
            let c = c.as_array().unwrap();
            assert_eq!(c[0].as_str(), Some(target), "{body}");
            match (paragraph, words) {
                (None, None) => assert_eq!(c.len(), 1),
                (Some(p), None) => {
                    assert_eq!((c.len(), num(&c[1])), (2, p));
                    assert!(p as usize <= paragraphs[target].len());
                }
                (_, Some(words)) => {
                    assert_eq!(c.len(), 4, "{body}");
                    assert_eq!(words_at(target, num(&c[1]), num(&c[2]), num(&c[3])), words, "{body}");
                    cited += 1;
                }
            }
        }
    }
    for e in v["events"].as_array().unwrap() {
        for c in e["sources"].as_array().unwrap() {
            let c = c.as_array().unwrap();
            let target = c[0].as_str().unwrap();
            assert!(paragraphs.contains_key(target));
            if c.len() == 4 {
                let model = article(target);
                let words = words_at(target, num(&c[1]), num(&c[2]), num(&c[3]));
                assert!(!words.is_empty() && model.blocks.iter().any(|b| b.text.contains(&words)), "{words}");
                cited += 1;
            }
        }
    }
    assert!(checked > 250, "{checked}");
    assert!(cited > 100, "{cited}");
    // Most of the sample's paragraphs are lines of their originals: the
    // export points there; the others (edited, or with inline Markdown)
    // keep their text.
    assert!(in_original > 40 && as_text > 0, "{in_original} in the originals, {as_text} as text");
    assert_eq!(v["events"].as_array().unwrap().len(), 24);
}
