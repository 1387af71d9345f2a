//! Pages stay usable when a dossier grows: an entity mentioned hundreds of
//! times gets paginated keyword-in-context lists, a timeline of hundreds
//! of events is split by year with a histogram overview, and the article
//! index is paginated. The dossier is generated into a temporary folder.

mod common;

use std::fmt::Write as _;

fn write(root: &std::path::Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn large_lists_are_paginated_and_every_link_resolves() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    write(root, "content/dossier.yaml", "title: ملف كبير\nkinds:\n  - { id: place, label: أماكن, singular: مكان }\n");
    write(root, "content/entities/mali.yaml", "name: مالي\nkind: place\n");
    let mut body = String::from("---\ntitle: مقال طويل\npublished: 2022-04\n---\n");
    for p in 1..=250 {
        let _ = writeln!(body, "زار الوفد مالي في اليوم رقم {p} من الرحلة.\n");
    }
    write(root, "content/articles/long.md", &body);
    for a in 1..=205 {
        write(
            root,
            &format!("content/articles/short-{a}.md"),
            &format!("---\ntitle: خبر {a}\n---\nنص قصير رقم {a}.\n"),
        );
    }
    let mut events = String::new();
    for e in 0..310 {
        let year = 2020 + e % 3;
        let month = 1 + e % 12;
        let _ = writeln!(
            events,
            "- id: event-{e}\n  date: {year}-{month:02}\n  title: حدث {e}\n  sources: [{{ article: long, paragraph: {} }}]",
            1 + e % 250
        );
    }
    write(root, "content/events/many.yaml", &events);

    let files = common::build(root);
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for expected in [
        "entities/mali/index.html",
        "entities/mali/mentions-2.html",
        "timeline/index.html",
        "timeline/2020.html",
        "timeline/2022.html",
        "articles/index.html",
        "articles/index-2.html",
    ] {
        assert!(paths.contains(&expected), "{expected} missing");
    }
    assert!(!paths.contains(&"entities/mali/mentions-3.html"));
    let page = |p: &str| String::from_utf8_lossy(&files.iter().find(|f| f.path == p).unwrap().bytes).into_owned();
    let kw = |html: &str| html.matches("class=\"kw\"").count();
    assert_eq!(kw(&page("entities/mali/index.html")), 200);
    assert!(page("entities/mali/index.html").contains("href=\"mentions-2.html\""), "pager to the next page");
    assert!(page("articles/index.html").contains("href=\"index-2.html\""), "pager of the article index");
    assert_eq!(kw(&page("entities/mali/mentions-2.html")), 50);
    let index = page("timeline/index.html");
    assert!(index.contains("<rect class=\"bar\""), "histogram overview");
    assert!(!index.contains("id=\"event-"), "the index page lists years, not events");
    let events_on_year_pages: usize =
        (2020..=2022).map(|y| page(&format!("timeline/{y}.html")).matches("class=\"event\"").count()).sum();
    assert_eq!(events_on_year_pages, 310);
    let broken = common::broken_links(&files);
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}
