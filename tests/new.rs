//! `milaf new` through the real binary, on a copy of a small fixture
//! dossier: each kind of skeleton fails `check` at its placeholders, and
//! passes once they are filled with real values of that dossier; existing
//! files and ids are never overwritten; bad ids are usage errors.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A temporary copy of `tests/fixtures/anchoring/passages`: one article
/// (`shipment`), its notes, one entity (`omar-diarra`), no events.
fn dossier() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("dossier");
    common::copy_tree(&common::repo().join("tests/fixtures/anchoring/passages"), &root);
    (tmp, root)
}

fn milaf(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_milaf")).arg("--root").arg(root).args(args).output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs `milaf new …` and asserts it succeeded.
fn new(root: &Path, args: &[&str]) -> String {
    let out = milaf(root, &[&["new"], args].concat());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    stderr(&out)
}

fn read(root: &Path, path: &str) -> String {
    std::fs::read_to_string(root.join(path)).unwrap()
}

/// Replaces the placeholders of `path`, in order, with `values`; there
/// must be exactly as many placeholders as values.
fn fill(root: &Path, path: &str, values: &[&str]) {
    let mut text = read(root, path);
    for value in values {
        let start = text.find("{{fill:").unwrap_or_else(|| panic!("fewer placeholders than values in:\n{text}"));
        let end = start + text[start..].find("}}").unwrap() + 2;
        text.replace_range(start..end, value);
    }
    assert!(!text.contains("{{fill:"), "more placeholders than values in:\n{text}");
    std::fs::write(root.join(path), text).unwrap();
}

/// `check` fails, and every error is an unfilled placeholder of `path`.
fn assert_only_placeholders_fail(root: &Path, path: &str, count: usize) {
    let out = milaf(root, &["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.matches("error: unfilled placeholder: ").count(), count, "{err}");
    assert_eq!(err.matches(&format!("--> {path}:")).count(), count, "{err}");
    assert!(err.contains(&format!("{count} error(s)")), "{err}");
}

fn assert_check_passes(root: &Path) {
    let out = milaf(root, &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn new_article_fails_check_until_filled() {
    let (_tmp, root) = dossier();
    let said = new(&root, &["article", "third-shipment"]);
    let path = "content/articles/third-shipment.md";
    assert!(said.contains(&format!("created {path}")), "{said}");
    assert!(said.contains(&format!("{path}:3  the headline as published")), "{said}");
    assert_only_placeholders_fail(&root, path, 5);

    fill(
        &root,
        path,
        &[
            "شحنة ثالثة",
            "سكاي نيوز عربية",
            "https://www.skynewsarabia.com/world/1",
            "2022-05~",
            "تسلمت مالي شحنة ثالثة من العتاد العسكري الروسي.\n\nوقال رئيس الأركان الجنرال عمر ديارا إنها الأخيرة.",
        ],
    );
    assert_check_passes(&root);

    // Values given on the command line leave only the text to fill.
    let said = new(
        &root,
        &[
            "article",
            "fourth",
            "--title",
            "شحنة: \"رابعة\"",
            "--outlet",
            "فرانس 24",
            "--url",
            "https://www.france24.com/ar/x",
            "--published",
            "2022-06",
        ],
    );
    assert_eq!(said.matches("content/articles/fourth.md:").count(), 1, "{said}");
    fill(&root, "content/articles/fourth.md", &["نص الخبر."]);
    assert_check_passes(&root);
}

#[test]
fn new_entity_takes_a_kind_of_the_dossier() {
    let (_tmp, root) = dossier();
    let out = milaf(&root, &["new", "entity", "bamako", "--kind", "city"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("content/dossier.yaml declares: person, place, equipment"), "{}", stderr(&out));
    assert!(!root.join("content/entities/bamako.yaml").exists());

    new(&root, &["entity", "bamako", "--kind", "place"]);
    let path = "content/entities/bamako.yaml";
    assert!(read(&root, path).contains("\nkind: place\n"));
    assert_only_placeholders_fail(&root, path, 2);
    fill(&root, path, &["باماكو", "عاصمة مالي [@shipment \"كانت باماكو قد أعلنت في 31 مارس الماضي\"]."]);
    assert_check_passes(&root);
}

#[test]
fn new_event_starts_an_event_file_then_appends_to_it() {
    let (_tmp, root) = dossier();
    let said = new(&root, &["event", "helicopters-announced"]);
    let path = "content/events/events.yaml";
    assert!(said.contains(&format!("added event `helicopters-announced` to {path}")), "{said}");
    assert_only_placeholders_fail(&root, path, 5);
    fill(
        &root,
        path,
        &[
            "2022-03-31",
            "باماكو تعلن تلقي مروحيتين من موسكو",
            "أعلنت باماكو «في 31 مارس الماضي» تلقي مروحيتين.",
            "shipment",
            "أعلنت في 31 مارس الماضي تلقيها من موسكو مروحيتين",
        ],
    );
    assert_check_passes(&root);

    // The second event is appended after a blank line; the first stays
    // byte for byte.
    let before = read(&root, path);
    new(
        &root,
        &["event", "second-batch", "--date", "2022-04~", "--article", "shipment", "--file", "events/events.yaml"],
    );
    let after = read(&root, path);
    assert!(after.starts_with(&before) && after[before.len()..].starts_with("\n- id: second-batch  #"), "{after}");
    assert_only_placeholders_fail(&root, path, 3);
    fill(&root, path, &["تسلم الشحنة الثانية", "وصلت الشحنة الثانية.", "وهي الثانية التي تتسلمها مالي"]);
    assert_check_passes(&root);
    let after = read(&root, path);

    // An event id is unique across all the event files.
    std::fs::write(root.join("content/events/other.yaml"), "").unwrap();
    let out = milaf(&root, &["new", "event", "second-batch", "--file", "events/other.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    let line = after.lines().position(|l| l.starts_with("- id: second-batch")).unwrap() + 1;
    assert!(stderr(&out).contains(&format!("`second-batch` is already used in {path}:{line}")), "{}", stderr(&out));
    assert_eq!(read(&root, "content/events/other.yaml"), "");
    assert_eq!(read(&root, path), after);
}

#[test]
fn new_note_appends_to_the_article_s_annotations() {
    let (_tmp, root) = dossier();
    let path = "content/annotations/shipment.yaml";
    let before = read(&root, path);
    new(&root, &["note", "shipment", "chief-of-staff", "--kind", "context"]);
    let after = read(&root, path);
    assert!(after.starts_with(&before), "the existing notes changed:\n{after}");
    assert!(after[before.len()..].starts_with("\n- id: chief-of-staff  #"), "{after}");
    assert!(after.contains("\n  kind: context\n"));
    assert_only_placeholders_fail(&root, path, 2);

    // A filled placeholder is checked like any value: words that are not
    // in the article are reported as such.
    let unfilled = read(&root, path);
    fill(&root, path, &["رئيس أركان الجيش", "عمر ديارا رئيس الأركان."]);
    let out = milaf(&root, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("error: the quote is not in `shipment`"), "{}", stderr(&out));
    std::fs::write(root.join(path), unfilled).unwrap();
    fill(&root, path, &["رئيس الأركان الجنرال عمر ديارا", "عمر ديارا رئيس الأركان."]);
    assert_check_passes(&root);

    // A quote names its speaker; --speaker makes the note a quote.
    new(
        &root,
        &["note", "shipment", "diarra-says", "--speaker", "omar-diarra", "--quote", "من العتاد العسكري من روسيا"],
    );
    let text = read(&root, path);
    assert!(text.contains("\n  kind: quote\n  # Who said it, by entity id.\n  speaker: omar-diarra\n"), "{text}");
    assert_only_placeholders_fail(&root, path, 1);
    fill(&root, path, &["يقول إن الشحنة من روسيا."]);
    assert_check_passes(&root);
}

#[test]
fn new_never_overwrites_a_file_or_repeats_an_id() {
    let (_tmp, root) = dossier();
    let article = read(&root, "content/articles/shipment.md");
    let out = milaf(&root, &["new", "article", "shipment", "--title", "x"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("content/articles/shipment.md already exists"), "{}", stderr(&out));
    assert_eq!(read(&root, "content/articles/shipment.md"), article);

    let entity = read(&root, "content/entities/omar-diarra.yaml");
    let out = milaf(&root, &["new", "entity", "omar-diarra", "--kind", "person"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(read(&root, "content/entities/omar-diarra.yaml"), entity);

    let notes = read(&root, "content/annotations/shipment.yaml");
    let out = milaf(&root, &["new", "note", "shipment", "diarra-quote"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("note id `diarra-quote` is already used in content/annotations/shipment.yaml:13"),
        "{}",
        stderr(&out)
    );
    assert_eq!(read(&root, "content/annotations/shipment.yaml"), notes);

    // A note needs an article that exists.
    let out = milaf(&root, &["new", "note", "shipmint", "x"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("did you mean 'shipment'?"), "{}", stderr(&out));
    assert!(!root.join("content/annotations/shipmint.yaml").exists());
}

#[test]
fn new_refuses_bad_ids_as_usage_errors() {
    let (_tmp, root) = dossier();
    let before = walk(&root);
    for args in [
        &["new", "article", "Shipment-2"][..],
        &["new", "entity", "bamako/x", "--kind", "place"],
        &["new", "event", "first_event"],
        &["new", "note", "shipment", "note_1"],
        &["new", "event", "e", "--article", "../shipment"],
        &["new", "note", "shipment", "n", "--speaker", "Omar"],
    ] {
        let out = milaf(&root, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).contains(milaf::model::ID_HELP), "{args:?}: {}", stderr(&out));
    }
    let out = milaf(&root, &["new", "article", "a", "--published", "2022-13"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("`2022-13` is not a valid date"), "{}", stderr(&out));
    assert_eq!(walk(&root), before, "a refused command wrote something");
}

fn walk(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), std::fs::read(e.path()).unwrap()))
        .collect();
    files.sort();
    files
}
