//! Per-page rendering (`render::render_path`), which `serve` uses to
//! render only what a reader asks for: every file of a whole build comes
//! out of it with the same bytes, on the sample dossier and every fixture
//! that builds, and paths the site does not have give nothing.

mod common;

use milaf::render::{render_path, Content, Templates};
use std::path::Path;

fn same_as_whole_build(root: &Path) -> usize {
    let (dossier, diags, sources) = milaf::check(root).unwrap();
    let d = dossier.unwrap_or_else(|| panic!("{}", milaf::diag::render_human(&diags)));
    let whole = milaf::write::in_memory(&d, sources.theme(&d.config.theme)).unwrap();
    let templates = Templates::new(sources.theme(&d.config.theme), &d.config.lang, d.config.numerals).unwrap();
    for f in &whole {
        match render_path(&d, &templates, &f.path).unwrap() {
            Some(Content::Bytes(b)) => assert!(b == f.bytes, "{}: {} differs", root.display(), f.path),
            Some(Content::Copy(from)) => assert_eq!(std::fs::read(from).unwrap(), f.bytes, "{}", f.path),
            None => panic!("{}: no page for {}", root.display(), f.path),
        }
    }
    whole.len()
}

#[test]
fn every_page_renders_alone_with_the_bytes_of_a_whole_build() {
    assert!(same_as_whole_build(common::repo()) > 50);
    let fixtures = common::repo().join("tests/fixtures");
    let mut built = 0;
    for feature in std::fs::read_dir(&fixtures).unwrap() {
        for case in std::fs::read_dir(feature.unwrap().path()).unwrap() {
            let case = case.unwrap().path();
            if milaf::check(&case).unwrap().0.is_some() {
                same_as_whole_build(&case);
                built += 1;
            }
        }
    }
    assert!(built >= 4, "only {built} fixtures built");
}

#[test]
fn paths_the_site_does_not_have_render_nothing() {
    let (dossier, _, _) = milaf::check(common::repo()).unwrap();
    let d = dossier.unwrap();
    let templates = Templates::new(None, &d.config.lang, d.config.numerals).unwrap();
    for path in [
        "",
        "nope.html",
        "articles/no-such-article/index.html",
        "entities/no-such-entity/index.html",
        "entities/no-such-entity/card.js",
        "pages/no-such-page/index.html",
        "static/nope.css",
        "../Cargo.toml",
        "articles/../../Cargo.toml",
        "timeline/a/b.html",
    ] {
        assert!(render_path(&d, &templates, path).unwrap().is_none(), "{path}");
    }
}

#[test]
fn an_entity_s_preview_card_is_one_script_beside_its_page_and_no_page_repeats_it() {
    let (dossier, _, sources) = milaf::check(common::repo()).unwrap();
    let d = dossier.unwrap();
    let whole = milaf::write::in_memory(&d, sources.theme(&d.config.theme)).unwrap();
    for (e, entity) in d.entities.iter().enumerate() {
        let path = format!("entities/{}/card.js", entity.id);
        let f = whole.iter().find(|f| f.path == path).unwrap_or_else(|| panic!("no {path}"));
        let text = String::from_utf8(f.bytes.clone()).unwrap();
        let prefix = format!("(window.MILAF_CARDS=window.MILAF_CARDS||{{}})[\"{}\"]=", entity.id);
        let json = text.strip_prefix(&prefix).and_then(|t| t.strip_suffix(";\n")).unwrap_or_else(|| panic!("{text}"));
        let card: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(card["name"], entity.name.as_str(), "{path}");
        assert_eq!(card["total"], d.index.mentions[e].len().to_string(), "{path}");
        assert!(card["kind"].as_str().is_some_and(|k| !k.is_empty()), "{path}");
    }
    // The links carry nothing but their address: no page holds the
    // cards' data again.
    for f in whole.iter().filter(|f| f.path.ends_with(".html")) {
        let html = String::from_utf8_lossy(&f.bytes);
        for attr in ["data-summary=", "data-total=", "data-kind="] {
            assert!(!html.contains(attr), "{} carries {attr}", f.path);
        }
    }
}

/// The `mentions/arabic` fixture, whose paragraphs name موسكو, لافروف and
/// others several times, with `extra` appended to its `dossier.yaml`.
fn mentions_fixture(extra: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_tree(&common::repo().join("tests/fixtures/mentions/arabic"), tmp.path());
    let yaml = tmp.path().join("content/dossier.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    std::fs::write(&yaml, format!("{text}{extra}")).unwrap();
    tmp
}

/// (links, plain anchors) among the mentions of the article page.
fn mention_markup(root: &Path) -> (usize, usize) {
    let files = common::build(root);
    let page = files.iter().find(|f| f.path == "articles/equipment/index.html").expect("the article page");
    let html = String::from_utf8(page.bytes.clone()).unwrap();
    (html.matches("<a class=\"mention\" id=\"m").count(), html.matches("<span id=\"m").count())
}

#[test]
fn the_first_mention_per_paragraph_is_a_link_unless_the_dossier_asks_for_all() {
    // 16 mentions; per paragraph, موسكو thrice, باماكو and لافروف's spellings
    // repeat: by default 7 mentions keep only their anchor.
    let first = mentions_fixture("");
    assert_eq!(mention_markup(first.path()), (9, 7));
    let explicit = mentions_fixture("link_mentions: first\n");
    assert_eq!(mention_markup(explicit.path()), (9, 7));
    let all = mentions_fixture("link_mentions: all\n");
    assert_eq!(mention_markup(all.path()), (16, 0));
}

#[test]
fn a_bad_link_mentions_value_is_a_check_error_at_its_line() {
    let bad = mentions_fixture("link_mentions: some\n");
    let (dossier, diags, _) = milaf::check(bad.path()).unwrap();
    assert!(dossier.is_none());
    let d = diags.iter().find(|d| d.message.contains("some")).unwrap_or_else(|| panic!("{diags:?}"));
    let at = d.location.as_ref().expect("a location");
    assert!(at.file.ends_with("dossier.yaml"), "{}", at.file);
    let lines = std::fs::read_to_string(bad.path().join("content/dossier.yaml")).unwrap().lines().count();
    assert_eq!(at.line, lines, "{d:?}");
}

#[test]
fn a_paragraph_lists_what_rests_on_it_from_elsewhere_and_not_the_notes_marked_in_it() {
    use milaf::index::Citer;
    let (dossier, _, sources) = milaf::check(common::repo()).unwrap();
    let d = dossier.unwrap();
    let whole = milaf::write::in_memory(&d, sources.theme(&d.config.theme)).unwrap();
    let (mut own, mut listed) = (0, 0);
    for (&(a, n), citers) in &d.index.citers {
        let art = &d.articles[a as usize];
        let path = format!("articles/{}/index.html", art.id);
        let page = whole.iter().find(|f| f.path == path).unwrap();
        let html = String::from_utf8_lossy(&page.bytes);
        let start = html.find(&format!("<div class=\"para\" id=\"p{n}\">")).unwrap_or_else(|| panic!("{path} ¶{n}"));
        let para = &html[start..start + html[start..].find("</div>").unwrap()];
        let list = para.find("<details class=\"backlinks\">").map_or("", |i| &para[i..]);
        for (range, citer) in citers {
            match *citer {
                Citer::Note(na, k)
                    if na == a
                        && range.is_some_and(|(s, e)| {
                            let p = &art.notes[k as usize].passage;
                            (p.paragraph, p.start, p.end) == (n, s, e)
                        }) =>
                {
                    // Marked in the text at the end of its passage, and not
                    // listed again.
                    let id = &art.notes[k as usize].id;
                    assert!(para.contains(&format!("href=\"#note-{id}\"")), "{path} ¶{n}: no marker of {id}");
                    // The note is listed only for what its body cites here.
                    let cites = citers.iter().filter(|(r, c)| *c == Citer::Note(na, k) && r != range).count();
                    let shown = list.matches(&format!("<li><a href=\"#note-{id}\">")).count();
                    assert_eq!(shown, cites, "{path} ¶{n}: {id} listed for its own passage");
                    own += 1;
                }
                Citer::Note(na, k) if na != a => {
                    let other = &d.articles[na as usize];
                    let href = format!("../../articles/{}/index.html#note-{}", other.id, other.notes[k as usize].id);
                    assert!(list.contains(&href), "{path} ¶{n}: {href} not listed");
                    listed += 1;
                }
                Citer::Entity(e) => {
                    let href = format!("../../entities/{}/index.html\"", d.entities[e as usize].id);
                    assert!(list.contains(&href), "{path} ¶{n}: {href} not listed");
                    listed += 1;
                }
                _ => {}
            }
        }
    }
    assert!(
        own > 20 && listed > 5,
        "the sample has {own} notes marked in their paragraph and {listed} citers elsewhere"
    );
}

#[test]
fn a_cited_excerpt_names_its_language_only_where_it_is_not_the_page_s() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let write = |rel: &str, text: &str| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("content/dossier.yaml", "title: ملف\nlang: ar\nkinds:\n  - { id: place, label: أماكن, singular: مكان }\n");
    write("content/articles/wire.md", "---\ntitle: Wire report\nlang: en\n---\nThe convoy reached Bamako on Monday.\n");
    write("content/articles/local.md", "---\ntitle: خبر محلي\n---\nوصلت القافلة إلى باماكو يوم الاثنين.\n");
    write(
        "content/annotations/local.yaml",
        "- id: both\n  kind: note\n  quote: وصلت القافلة\n  body: كما في البرقية [@wire \"reached Bamako\"] وفي الخبر [@local \"إلى باماكو\"].\n",
    );
    let files = common::build(root);
    let page = String::from_utf8_lossy(&files.iter().find(|f| f.path == "articles/local/index.html").unwrap().bytes)
        .into_owned();
    assert!(
        page.contains("<q class=\"excerpt\" lang=\"en\" dir=\"ltr\"><a href=\"../../articles/wire/index.html#p1-"),
        "{page}"
    );
    assert!(
        page.contains("<q class=\"excerpt\"><a href=\"#p1-")
            || page.contains("<q class=\"excerpt\"><a href=\"../../articles/local/index.html#p1-"),
        "{page}"
    );
}
