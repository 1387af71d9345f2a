//! What a build keeps in memory: an annotation file's text is let go once
//! parsed, and read again only when a later stage has a problem to show
//! in it, with the same line as if it had been kept.

mod common;

use milaf::load::Kind;

fn annotation_texts(sources: &milaf::load::Sources) -> Vec<usize> {
    sources.files.iter().filter(|f| f.kind == Kind::Annotations).map(|f| f.text.len()).collect()
}

#[test]
fn a_clean_build_lets_the_annotation_texts_go_and_keeps_each_notes_line() {
    let (dossier, diags, sources) = milaf::check(common::repo()).unwrap();
    let dossier = dossier.expect("the sample dossier builds");
    assert!(!diags.iter().any(|d| d.location.as_ref().is_some_and(|l| l.file.contains("annotations/"))));
    let texts = annotation_texts(&sources);
    assert!(!texts.is_empty());
    assert!(texts.iter().all(|&len| len == 0), "{texts:?}");
    // Each note's line, found while parsing, is where its item starts.
    let mut checked = std::collections::BTreeSet::new();
    for note in dossier.articles.iter().flat_map(|a| a.notes.iter()) {
        let text = std::fs::read_to_string(common::repo().join(&*note.origin.file)).unwrap();
        let line = text.lines().nth(note.origin.line as usize - 1).unwrap();
        assert!(line.trim_start().starts_with("- "), "{}:{}: {line}", note.origin.file, note.origin.line);
        assert!(checked.insert((&note.origin.file, note.origin.line)), "two notes on one line: {:?}", note.origin);
    }
    assert!(checked.len() > 10, "{} notes", checked.len());
}

#[test]
fn a_problem_in_an_annotation_file_is_shown_on_its_line() {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_tree(common::repo(), tmp.path());
    let ann = std::fs::read_dir(tmp.path().join("content/annotations")).unwrap().next().unwrap().unwrap().path();
    let text = std::fs::read_to_string(&ann).unwrap();
    std::fs::write(&ann, format!("{text}- id: broken-citation\n  quote: \"x\"\n  body: انظر [@no-such-article].\n"))
        .unwrap();
    let (dossier, diags, sources) = milaf::check(tmp.path()).unwrap();
    assert!(dossier.is_none());
    let d = diags
        .iter()
        .find(|d| d.message.contains("no-such-article"))
        .unwrap_or_else(|| panic!("{:#?}", diags.iter().map(|d| &d.message).collect::<Vec<_>>()));
    let at = d.location.as_ref().unwrap();
    assert_eq!(at.line, text.lines().count() + 3);
    assert_eq!(at.line_text, "  body: انظر [@no-such-article].");
    assert!(annotation_texts(&sources).iter().all(|&len| len > 0), "texts kept when a problem is shown");
}
