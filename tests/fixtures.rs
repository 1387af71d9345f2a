//! The golden-fixture runner. Every folder `tests/fixtures/<feature>/<case>/`
//! holds a small dossier in `content/` and its expectations in `expected/`:
//! - `diagnostics.txt`: what `milaf check` prints (paths relative to the
//!   case), for cases about editor errors and warnings;
//! - `files.txt`: the list of files a build writes (extra or missing output
//!   fails);
//! - `<path>.main.html`: the `<main>` element of that built page.
//!
//! Run with `UPDATE_EXPECT=1 cargo test --test fixtures` to regenerate the
//! expectations after an intended change, then review the diff.

use std::path::{Path, PathBuf};

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out = Vec::new();
    for feature in std::fs::read_dir(&root).unwrap() {
        let feature = feature.unwrap().path();
        if !feature.is_dir() {
            continue;
        }
        for case in std::fs::read_dir(&feature).unwrap() {
            let case = case.unwrap().path();
            if case.join("content").is_dir() {
                out.push(case);
            }
        }
    }
    out.sort();
    out
}

fn update() -> bool {
    std::env::var_os("UPDATE_EXPECT").is_some()
}

/// Compares or, with UPDATE_EXPECT, rewrites one expectation file.
fn expect(path: &Path, actual: &str, failures: &mut Vec<String>) {
    if update() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, actual).unwrap();
        return;
    }
    match std::fs::read_to_string(path) {
        Ok(expected) if expected == actual => {}
        Ok(expected) => {
            failures.push(format!("{} differs.\n--- expected\n{expected}\n--- actual\n{actual}", path.display()))
        }
        Err(_) => failures.push(format!("{} is missing; run with UPDATE_EXPECT=1", path.display())),
    }
}

/// The `<main>…</main>` element of a page.
fn main_of(html: &str) -> String {
    let start = html.find("<main").unwrap_or(0);
    let end = html.find("</main>").map_or(html.len(), |e| e + "</main>".len());
    html[start..end].to_string() + "\n"
}

#[test]
fn golden_fixtures() {
    let mut failures = Vec::new();
    let cases = cases();
    assert!(cases.len() >= 6, "fixture cases went missing: {cases:?}");
    for case in &cases {
        let expected = case.join("expected");
        let (dossier, diags, sources) = milaf::check(case).unwrap();
        let printed = milaf::diag::render_human(&diags);
        let diag_file = expected.join("diagnostics.txt");
        if diag_file.exists() || !diags.is_empty() {
            expect(&diag_file, &printed, &mut failures);
        }
        let Some(dossier) = dossier else {
            continue;
        };
        let files = milaf::write::in_memory(&dossier, sources.theme(&dossier.config.theme)).unwrap();
        let list: String = files.iter().map(|f| format!("{}\n", f.path)).collect();
        expect(&expected.join("files.txt"), &list, &mut failures);
        // Pages with an expectation are compared; new ones can be added by
        // creating an empty `<path>.main.html` and running UPDATE_EXPECT=1.
        for f in &files {
            let golden = expected.join(format!("{}.main.html", f.path.trim_end_matches(".html")));
            if golden.exists() {
                expect(&golden, &main_of(&String::from_utf8_lossy(&f.bytes)), &mut failures);
            }
        }
    }
    assert!(failures.is_empty(), "{} fixture expectation(s) failed:\n\n{}", failures.len(), failures.join("\n\n"));
}
