//! Navigation between pages: the 404 page a host serves at any address
//! (its links start from the site's path, `base_url`'s or the host's root),
//! previous and next article by publication date, breadcrumbs, and the
//! entity page's table of contents and grouped relations.

mod common;

use std::path::Path;

fn page(files: &[milaf::render::OutputFile], path: &str) -> String {
    let f = files.iter().find(|f| f.path == path).unwrap_or_else(|| panic!("no {path}"));
    String::from_utf8(f.bytes.clone()).unwrap()
}

/// A small dossier: articles `a`…`d` published out of id order, one undated.
fn dossier(dir: &Path, base_url: Option<&str>) {
    let content = dir.join("content");
    std::fs::create_dir_all(content.join("articles")).unwrap();
    let base = base_url.map_or(String::new(), |u| format!("base_url: {u}\n"));
    std::fs::write(
        content.join("dossier.yaml"),
        format!("title: ملف\nlang: ar\n{base}kinds:\n  - {{ id: place, label: أماكن, singular: مكان }}\n"),
    )
    .unwrap();
    for (id, date) in
        [("a", Some("2023-05")), ("b", Some("2021")), ("c", None), ("d", Some("2023-05-02")), ("e", Some("2021"))]
    {
        let published = date.map_or(String::new(), |d| format!("published: {d}\n"));
        std::fs::write(
            content.join(format!("articles/{id}.md")),
            format!("---\ntitle: مقال {id}\n{published}---\nنص.\n"),
        )
        .unwrap();
    }
}

#[test]
fn the_404_page_finds_the_site_from_the_path_of_base_url_or_the_host_root() {
    for (base_url, expected) in [
        (Some("https://milaf.example/mali-russia/"), "/mali-russia/"),
        (Some("https://milaf.example/a/b"), "/a/b/"),
        (Some("https://milaf.example"), "/"),
        (None, "/"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        dossier(dir.path(), base_url);
        let files = common::build(dir.path());
        let html = page(&files, "404.html");
        for needed in [
            format!("<link rel=\"stylesheet\" href=\"{expected}static/milaf.css\">"),
            // From a folder: the stylesheet beside the page, and the script
            // that makes the links relative.
            "<link rel=\"stylesheet\" href=\"static/milaf.css\">".to_string(),
            format!("<script src=\"static/notfound.js\" data-site=\"{expected}\"></script>"),
            format!("<a class=\"brand\" href=\"{expected}index.html\">"),
            format!("action=\"{expected}search/index.html\""),
        ] {
            assert!(html.contains(&needed), "{base_url:?}: no {needed}");
        }
        assert!(files.iter().any(|f| f.path == "static/notfound.js"));
        // No other page starts from the host's root.
        let other = page(&files, "articles/a/index.html");
        assert!(!other.contains("notfound.js") && !other.contains("href=\"/"));
    }
}

#[test]
fn previous_and_next_follow_publication_date_then_id_with_undated_articles_last() {
    let dir = tempfile::tempdir().unwrap();
    dossier(dir.path(), None);
    let files = common::build(dir.path());
    let link = |html: &str, rel: &str| {
        let at = html.find(&format!("rel=\"{rel}\""))?;
        let start = html[..at].rfind("href=\"")? + 6;
        let end = start + html[start..].find('"')?;
        Some(html[start..end].to_string())
    };
    // 2021 (b, e by id), 2023-05, 2023-05-02, then the undated one.
    let order = ["b", "e", "a", "d", "c"];
    for (k, id) in order.iter().enumerate() {
        let html = page(&files, &format!("articles/{id}/index.html"));
        let prev = k.checked_sub(1).map(|p| format!("../../articles/{}/index.html", order[p]));
        let next = order.get(k + 1).map(|n| format!("../../articles/{n}/index.html"));
        assert_eq!(link(&html, "prev"), prev, "{id}");
        assert_eq!(link(&html, "next"), next, "{id}");
    }
}

#[test]
fn pages_carry_breadcrumbs_ending_in_the_current_page() {
    let files = common::build(common::repo());
    for (path, crumbs) in [
        (
            "entities/mali/index.html",
            &["../../index.html", "../../entities/index.html", "../../entities/index.html#kind-place"][..],
        ),
        ("articles/mali-second-shipment/index.html", &["../../index.html", "../../articles/index.html"][..]),
        ("timeline/index.html", &["../index.html"][..]),
    ] {
        let html = page(&files, path);
        let start = html.find("<nav class=\"crumbs\" aria-label=").unwrap_or_else(|| panic!("{path}: no breadcrumbs"));
        let nav = &html[start..start + html[start..].find("</nav>").unwrap()];
        assert_eq!(common::attr_values(nav, "href"), crumbs, "{path}");
        assert_eq!(nav.matches("aria-current=\"page\"").count(), 1, "{path}");
    }
    assert!(!page(&files, "index.html").contains("class=\"crumbs\""), "the home page needs none");
}

#[test]
fn a_long_entity_page_has_a_table_of_contents_and_its_relations_grouped_by_kind() {
    let files = common::build(common::repo());
    let html = page(&files, "entities/mali/index.html");
    let start = html.find("<nav class=\"toc entity-toc\"").expect("a table of contents");
    let toc = &html[start..start + html[start..].find("</nav>").unwrap()];
    let targets = common::attr_values(toc, "href");
    assert!(targets.len() > 3, "{targets:?}");
    for t in &targets {
        assert!(html.contains(&format!(" id=\"{}\"", &t[1..])), "{t} names no heading");
    }
    let relations = &html[html.find("id=\"relations-title\"").unwrap()..];
    let relations = &relations[..relations.find("</section>").unwrap()];
    for kind in ["person", "organization", "place", "equipment"] {
        assert!(relations.contains(&format!("<h3 id=\"relations-{kind}\">")), "no {kind} group");
    }
    // A short page has none.
    let short = page(&files, "entities/armed-groups/index.html");
    assert!(!short.contains("entity-toc"), "armed-groups");
}
