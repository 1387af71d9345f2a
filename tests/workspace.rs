//! The workspace behind `serve`: after each kind of edit, what it compiles
//! renders to the same bytes as a fresh build of the same folder, and only
//! what depends on the edit was computed again (an edited note re-reads one
//! article, an edited alias list every article).

mod common;

use milaf::workspace::Workspace;
use std::path::Path;

/// Every file of the site as a fresh build of `root` renders it.
fn fresh(root: &Path) -> Vec<milaf::render::OutputFile> {
    common::build(root)
}

fn compiled(ws: &mut Workspace) -> Vec<milaf::render::OutputFile> {
    let (d, diags) = ws.compile();
    let d = d.unwrap_or_else(|| panic!("{}", milaf::diag::render_human(&diags)));
    milaf::write::in_memory(&d, ws.theme(&d.config.theme)).unwrap()
}

/// The site and the problems found are those of a fresh build.
fn assert_same(ws: &mut Workspace, root: &Path, what: &str) {
    let (d, diags) = ws.compile();
    let (_, fresh_diags, _) = milaf::check(root).unwrap();
    assert_eq!(
        milaf::diag::render_human(&diags),
        milaf::diag::render_human(&fresh_diags),
        "{what}: the problems differ from a fresh check's"
    );
    let d = d.unwrap_or_else(|| panic!("{}", milaf::diag::render_human(&diags)));
    let a = milaf::write::in_memory(&d, ws.theme(&d.config.theme)).unwrap();
    let b = fresh(root);
    assert_eq!(a.len(), b.len(), "{what}: file count");
    for (x, y) in a.iter().zip(&b) {
        assert!(x.path == y.path && x.bytes == y.bytes, "{what}: {} differs from a fresh build", x.path);
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

fn page(ws: &mut Workspace, path: &str) -> String {
    let files = compiled(ws);
    let f = files.iter().find(|f| f.path == path).unwrap();
    String::from_utf8(f.bytes.clone()).unwrap()
}

#[test]
fn each_edit_recomputes_what_depends_on_it_and_gives_a_fresh_build() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    common::copy_tree(&common::repo().join("content"), &root.join("content"));
    let articles = std::fs::read_dir(root.join("content/articles")).unwrap().count();
    let mut ws = Workspace::open(root).unwrap();
    assert_same(&mut ws, root, "first build");
    assert_eq!(ws.articles_recomputed(), articles, "the first build reads every article");

    // Nothing changed: nothing is read again.
    ws.update(&[]).unwrap();
    assert_same(&mut ws, root, "no change");
    assert_eq!(ws.articles_recomputed(), 0);

    // A note's body: its article's notes are anchored again, no other's.
    let notes = root.join("content/annotations/camara-defenders-day.yaml");
    edit(&notes, "المقال غير مؤرخ،", "نص الملاحظة الجديد، المقال غير مؤرخ،");
    let touched = ws.update(std::slice::from_ref(&notes)).unwrap();
    assert!(touched.content && !touched.theme);
    assert!(page(&mut ws, "articles/camara-defenders-day/index.html").contains("نص الملاحظة الجديد"));
    assert_eq!(ws.articles_recomputed(), 1);
    assert_same(&mut ws, root, "note edit");

    // A note's quote: its article's notes are anchored again, no other's.
    edit(&notes, "quote: للعام الرابع على التوالي", "quote: للعام الرابع");
    ws.update(std::slice::from_ref(&notes)).unwrap();
    assert_same(&mut ws, root, "quote edit");
    assert_eq!(ws.articles_recomputed(), 1);

    // An article's text: that article only.
    let article = root.join("content/articles/mali-second-shipment.md");
    let text = std::fs::read_to_string(&article).unwrap();
    let last = text.trim_end().rsplit('\n').next().unwrap().to_string();
    std::fs::write(&article, format!("{}\n\nفقرة أضيفت للتجربة.\n", text.trim_end())).unwrap();
    ws.update(std::slice::from_ref(&article)).unwrap();
    assert!(page(&mut ws, "articles/mali-second-shipment/index.html").contains("فقرة أضيفت للتجربة"));
    assert_eq!(ws.articles_recomputed(), 1);
    assert_same(&mut ws, root, "article edit");
    assert!(!last.is_empty());

    // A name read as an adjective is warned about, and the warning stays
    // while another article's notes change (its article is not read again).
    let text = std::fs::read_to_string(&article).unwrap();
    std::fs::write(&article, format!("{}\n\nويعاني البلد من ضغط مالي كبير.\n", text.trim_end())).unwrap();
    ws.update(std::slice::from_ref(&article)).unwrap();
    let (_, diags) = ws.compile();
    assert!(diags.iter().any(|d| d.message.contains("may be read as an adjective")), "no adjective warning");
    assert_same(&mut ws, root, "adjective added");
    edit(&notes, "نص الملاحظة الجديد،", "نص الملاحظة الأحدث،");
    ws.update(std::slice::from_ref(&notes)).unwrap();
    assert_same(&mut ws, root, "another article's note edited");
    assert_eq!(ws.articles_recomputed(), 1);
    let (_, diags) = ws.compile();
    assert!(diags.iter().any(|d| d.message.contains("may be read as an adjective")), "the warning was lost");

    // An alias list: every article is matched again.
    let entity = root.join("content/entities/abdallah-diop.yaml");
    edit(&entity, "aliases: [", "aliases: [فقرة أضيفت, ");
    ws.update(std::slice::from_ref(&entity)).unwrap();
    assert_same(&mut ws, root, "alias edit");
    assert_eq!(ws.articles_recomputed(), articles);

    // A file added and one removed: the folder is read again.
    std::fs::write(root.join("content/entities/new-place.yaml"), "name: مكان جديد\nkind: place\n").unwrap();
    ws.update(&[root.join("content/entities/new-place.yaml")]).unwrap();
    assert_same(&mut ws, root, "file added");
    std::fs::remove_file(root.join("content/entities/new-place.yaml")).unwrap();
    ws.update(&[root.join("content/entities/new-place.yaml")]).unwrap();
    assert_same(&mut ws, root, "file removed");

    // An error, then its fix.
    edit(&notes, "speaker: sadio-camara", "speaker: sadio-kamara");
    ws.update(std::slice::from_ref(&notes)).unwrap();
    let (d, diags) = ws.compile();
    assert!(d.is_none());
    let e = diags.iter().find(|d| d.is_error()).unwrap();
    assert_eq!(e.message, "unknown entity 'sadio-kamara'");
    assert!(e.location.as_ref().unwrap().file.ends_with("annotations/camara-defenders-day.yaml"));
    edit(&notes, "speaker: sadio-kamara", "speaker: sadio-camara");
    ws.update(std::slice::from_ref(&notes)).unwrap();
    assert_same(&mut ws, root, "fixed");
}

/// Every file whose bytes a change altered (added, removed or different).
fn altered(before: &[milaf::render::OutputFile], after: &[milaf::render::OutputFile]) -> Vec<String> {
    let old: std::collections::BTreeMap<&str, &[u8]> =
        before.iter().map(|f| (f.path.as_str(), f.bytes.as_slice())).collect();
    let new: std::collections::BTreeMap<&str, &[u8]> =
        after.iter().map(|f| (f.path.as_str(), f.bytes.as_slice())).collect();
    let mut out: Vec<String> =
        new.iter().filter(|(p, b)| old.get(*p) != Some(*b)).map(|(p, _)| p.to_string()).collect();
    out.extend(old.keys().filter(|p| !new.contains_key(*p)).map(|p| p.to_string()));
    out
}

#[test]
fn the_pages_a_change_alters_are_among_those_the_index_names() {
    use milaf::render::{Affected, ChangedFile};
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    common::copy_tree(&common::repo().join("content"), &root.join("content"));
    let mut ws = Workspace::open(root).unwrap();
    let (d, _) = ws.compile();
    let mut before = d.unwrap();
    let mut files = milaf::write::in_memory(&before, None).unwrap();
    let notes = "content/annotations/camara-defenders-day.yaml";
    let article = "content/articles/mali-second-shipment.md";
    let entity = "content/entities/sadio-camara.yaml";
    let edits: [(&str, &str, &str, &str); 7] = [
        ("a note's body", notes, "المقال غير مؤرخ،", "المقال، وهو غير مؤرخ،"),
        ("a quote's speaker", notes, "  speaker: sadio-camara\n", "  speaker: assimi-goita\n"),
        ("a note's tags", notes, "entities: [russian-embassy-mali, defenders-day]", "entities: [defenders-day, mali]"),
        ("words added to a cited article", article, "في أقل من شهر.\n", "في أقل من شهر، بحسب البيان.\n"),
        ("a paragraph added to an article", article, "\n\nوقال رئيس", "\n\nفقرة جديدة عن باماكو وروسيا.\n\nوقال رئيس"),
        ("a mention override", notes, "- id: ", "- mention: false\n  quote: لدى مالي\n\n- id: "),
        ("an entity", entity, "role: وزير الدفاع المالي", "role: وزير دفاع مالي"),
    ];
    for (what, file, from, to) in edits {
        edit(&root.join(file), from, to);
        ws.update(&[Path::new(file).to_path_buf()]).unwrap();
        let (d, diags) = ws.compile();
        let after = d.unwrap_or_else(|| panic!("{what}: {}", milaf::diag::render_human(&diags)));
        let now = milaf::write::in_memory(&after, None).unwrap();
        let changed = altered(&files, &now);
        assert!(!changed.is_empty(), "{what}: the edit changed no page");
        let affected = Affected::of(Some(&before), &after, &[ChangedFile::of(file)]);
        let missed: Vec<&String> = changed.iter().filter(|p| !affected.contains(p)).collect();
        assert!(missed.is_empty(), "{what}: pages changed but not named: {missed:?}");
        if file != entity {
            // Selective: some entity page is left out.
            assert!(!affected.all, "{what}");
            assert!(!affected.contains("entities/le-monde/index.html"), "{what}: {affected:?}");
        }
        before = after;
        files = now;
    }
}
