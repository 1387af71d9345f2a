//! The in-repository link checker run over built sites: every `href` and
//! `src` to a page or fragment resolves, and no page repeats an id. It runs
//! on the sample dossier and on every fixture that builds.

mod common;

#[test]
fn the_sample_dossier_has_no_broken_links() {
    let files = common::build(common::repo());
    let broken = common::broken_links(&files);
    assert!(broken.is_empty(), "{} broken:\n{}", broken.len(), broken.join("\n"));
}

#[test]
fn fixtures_have_no_broken_links() {
    let root = common::repo().join("tests/fixtures");
    let mut checked = 0;
    for feature in std::fs::read_dir(&root).unwrap() {
        for case in std::fs::read_dir(feature.unwrap().path()).unwrap() {
            let case = case.unwrap().path();
            let (dossier, _, sources) = milaf::check(&case).unwrap();
            let Some(dossier) = dossier else { continue };
            let files = milaf::write::in_memory(&dossier, sources.theme(&dossier.config.theme)).unwrap();
            let broken = common::broken_links(&files);
            assert!(broken.is_empty(), "{}: {}", case.display(), broken.join("\n"));
            checked += 1;
        }
    }
    assert!(checked >= 4, "only {checked} fixtures built");
}

#[test]
fn the_checker_finds_broken_links_and_fragments() {
    use milaf::render::OutputFile;
    let page = |path: &str, html: &str| OutputFile { path: path.into(), bytes: html.as_bytes().to_vec() };
    let files = vec![
        page("index.html", "<a href=\"a/index.html#x\"></a><a href=\"a/index.html#nope\"></a><a href=\"b.html\"></a><p id=\"d\"></p><p id=\"d\"></p>"),
        page("a/index.html", "<p id=\"x\"></p><a href=\"../index.html#d\"></a>"),
    ];
    let broken = common::broken_links(&files);
    assert_eq!(broken.len(), 3, "{broken:?}");
}
