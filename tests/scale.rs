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
    // Rows of the keyword-in-context lists.
    let kw = |html: &str| -> usize {
        html.split("<ul class=\"kwic\">")
            .skip(1)
            .map(|l| l.split("</ul>").next().unwrap().matches("<li>").count())
            .sum()
    };
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

#[test]
fn an_entity_noted_and_dated_hundreds_of_times_keeps_a_light_page_with_paged_lists() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    write(
        root,
        "content/dossier.yaml",
        "title: ملف كبير\nkinds:\n  - { id: equipment, label: عتاد, singular: عتاد }\n",
    );
    write(root, "content/entities/bmp-3.yaml", "name: BMP-3\nkind: equipment\naliases: [بي إم بي 3]\n");
    let mut body = String::from("---\ntitle: مقال طويل\npublished: 2022-04\n---\n");
    let mut notes = String::new();
    for p in 1..=130 {
        let _ = writeln!(
            body,
            "في الفقرة رقم {p} تسلمت القوات المسلحة في العاصمة عربات قتالية من طراز BMP-3 مع ذخيرتها الكاملة وقطع الغيار اللازمة لصيانتها لسنوات طويلة قادمة بحسب ما أعلنته وزارة الدفاع في بيانها.\n"
        );
        let _ = writeln!(
            notes,
            "- id: n{p}\n  quote: من طراز BMP-3 مع\n  paragraph: {p}\n  entities: [bmp-3]\n  body: ملاحظة رقم {p}."
        );
    }
    write(root, "content/articles/long.md", &body);
    write(root, "content/annotations/long.yaml", &notes);
    let mut events = String::new();
    for e in 0..120 {
        let _ = writeln!(
            events,
            "- id: event-{e}\n  date: 2021-{:02}\n  title: حدث {e}\n  entities: [bmp-3]\n  sources: [{{ article: long, paragraph: {} }}]",
            1 + e % 12,
            1 + e % 130
        );
    }
    write(root, "content/events/many.yaml", &events);

    let files = common::build(root);
    let page = |p: &str| {
        let f = files.iter().find(|f| f.path == p).unwrap_or_else(|| panic!("{p} missing"));
        String::from_utf8_lossy(&f.bytes).into_owned()
    };
    let entity = page("entities/bmp-3/index.html");
    let count = |html: &str, what: &str| html.matches(what).count();
    assert_eq!(count(&entity, "class=\"note k-"), milaf::render::entity::NOTES_ON_PAGE);
    assert!(entity.contains("href=\"notes.html\""), "a link to the whole list of notes");
    assert!(entity.contains("href=\"events.html\""), "a link to the whole timeline");
    assert_eq!(
        count(&entity, "<time datetime"),
        milaf::render::entity::EVENTS_ON_PAGE,
        "the entity page shows the start of its timeline"
    );
    // The paged lists hold everything, once.
    let per = milaf::render::entity::LIST_PER_PAGE;
    assert_eq!(count(&page("entities/bmp-3/notes.html"), "class=\"note k-"), per);
    assert_eq!(count(&page("entities/bmp-3/notes-2.html"), "class=\"note k-"), 130 - per);
    assert_eq!(count(&page("entities/bmp-3/events.html"), "<time datetime"), per);
    assert_eq!(count(&page("entities/bmp-3/events-2.html"), "<time datetime"), 120 - per);
    assert!(!files.iter().any(|f| f.path == "entities/bmp-3/quotes.html"), "no list without quotes");
    // The preview renders each of these pages alone, with the same bytes.
    let (dossier, _, _) = milaf::check(root).unwrap();
    let d = dossier.unwrap();
    let templates = milaf::render::Templates::new(None, &d.config.lang, d.config.numerals).unwrap();
    for path in ["entities/bmp-3/index.html", "entities/bmp-3/notes-2.html", "entities/bmp-3/events.html"] {
        let alone = match milaf::render::render_path(&d, &templates, path).unwrap() {
            Some(milaf::render::Content::Bytes(b)) => b,
            other => panic!("{path}: {other:?}"),
        };
        assert!(alone == files.iter().find(|f| f.path == path).unwrap().bytes, "{path} differs when rendered alone");
    }
    assert!(milaf::render::render_path(&d, &templates, "entities/bmp-3/notes-3.html").unwrap().is_none());

    // Keyword in context: the model number is the keyword, isolated and
    // unbreakable; the context is cut at word boundaries, with «…».
    let kwic = entity.split("class=\"kwic\"").nth(1).unwrap();
    let row = kwic.split("</li>").next().unwrap();
    assert!(row.contains("\"><bdi class=\"nb\">BMP-3</bdi></a>"), "the keyword: {row}");
    assert!(row.contains("</span> <span>…"), "the text before is cut and says so: {row}");
    assert!(row.ends_with("…</span>"), "the text after is cut and says so: {row}");
    // The row's spans: paragraph, before, after.
    let spans: Vec<String> =
        row.split("<span>").skip(1).map(|s| s.split("</span>").next().unwrap().trim_matches('…').to_string()).collect();
    assert_eq!(spans.len(), 3, "{row}");
    let words: Vec<&str> = body.split_whitespace().collect();
    for w in spans[1].split_whitespace().chain(spans[2].split_whitespace()) {
        assert!(words.contains(&w), "«{w}» is not a whole word of the text: {row}");
    }
    let broken = common::broken_links(&files);
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

/// A dossier of `n` dated articles (article `k` published on day `k` of
/// 2020 onwards), with `extra` appended to its `dossier.yaml`.
fn dated_articles(n: usize, extra: &str) -> Vec<milaf::render::OutputFile> {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    write(
        root,
        "content/dossier.yaml",
        &format!("title: ملف الأخبار\nkinds:\n  - {{ id: place, label: أماكن, singular: مكان }}\n{extra}"),
    );
    for k in 0..n {
        let (month, day) = (1 + k / 28 % 12, 1 + k % 28);
        let year = 2020 + k / (28 * 12);
        write(
            root,
            &format!("content/articles/a-{k:04}.md"),
            &format!("---\ntitle: خبر {k}\npublished: {year}-{month:02}-{day:02}\n---\nنص الخبر رقم {k}.\n"),
        );
    }
    common::build(root)
}

/// The article ids of a feed's entries, in its order.
fn feed_entries(files: &[milaf::render::OutputFile]) -> Vec<String> {
    let feed = String::from_utf8_lossy(&files.iter().find(|f| f.path == "feed.xml").unwrap().bytes).into_owned();
    feed.split("<entry>")
        .skip(1)
        .map(|e| {
            let at = e.find("<link href=\"articles/").unwrap() + "<link href=\"articles/".len();
            e[at..at + e[at..].find('/').unwrap()].to_string()
        })
        .collect()
}

#[test]
fn the_feed_lists_the_newest_hundred_articles_unless_the_dossier_says_otherwise() {
    let newest =
        |n: usize, count: usize| -> Vec<String> { (0..n).rev().take(count).map(|k| format!("a-{k:04}")).collect() };
    assert_eq!(feed_entries(&dated_articles(130, "")), newest(130, 100), "the default: the newest 100, newest first");
    assert_eq!(feed_entries(&dated_articles(130, "feed_limit: 0\n")), newest(130, 130), "0: every article");
    assert_eq!(feed_entries(&dated_articles(12, "feed_limit: 5\n")), newest(12, 5));
    assert_eq!(feed_entries(&dated_articles(3, "feed_limit: 5\n")), newest(3, 3));
}
